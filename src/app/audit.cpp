#include "app/audit.h"

namespace motcua::app {

namespace bj = boost::json;

namespace {

NewEvent AuditEvent(const Actor& actor, const AuditRecord& what, Timestamp at,
                    std::string_view outcome) {
  NewEvent e;
  e.stream = "audit/" + FormatIsoDate(ToVietnamLocal(at).date);
  e.type = "ActionAudited";
  e.unit = what.unit;
  e.actor = actor.Ref();
  e.at = at;
  e.payload = bj::object{{"action", what.action},
                         {"target", what.target},
                         {"outcome", outcome},
                         {"address", actor.address},
                         {"request_id", actor.request_id},
                         {"via", actor.via},
                         {"acting_unit", actor.unit}};
  return e;
}

}  // namespace

bool Audited(const Actor& actor) {
  return !actor.request_id.empty() || actor.via == "cli" || actor.via == "session" ||
         actor.via == "token";
}

Result<void> AuditInTx(store::Tx& tx, const Actor& actor, const AuditRecord& what, Timestamp at,
                       int64_t first_seq, int64_t last_seq) {
  if (!Audited(actor)) return {};
  NewEvent e = AuditEvent(actor, what, at, "done");
  if (first_seq > 0) e.payload["events"] = bj::array{first_seq, last_seq};
  auto r = tx.Append(std::move(e));
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<void> AuditRejected(store::Store& store, const Actor& actor, const AuditRecord& what,
                           Timestamp at, const Error& why) {
  if (!Audited(actor) && actor.kind != Actor::Kind::kAnonymous) return {};
  const bool denied =
      why.code == ErrorCode::kPermissionDenied || why.code == ErrorCode::kUnauthenticated;
  NewEvent e = AuditEvent(actor, what, at, denied ? "denied" : "failed");
  e.payload["error"] = why.key;
  return store.Write([&](store::Tx& tx) -> Result<void> {
    auto r = tx.Append(e);
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<std::vector<Event>> QueryTrail(store::Store& store, const store::EventQuery& q) {
  return store.QueryEvents(q);
}

}  // namespace motcua::app
