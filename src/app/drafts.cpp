#include "app/drafts.h"

#include "base/json.h"

namespace motcua::app {

namespace bj = boost::json;

namespace {
constexpr int64_t kDayUs = 86'400'000'000LL;
}  // namespace

Result<void> Drafts::Check(const Actor& actor) const {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "draft.manage", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (actor.account.empty()) return Fail(ErrorCode::kUnauthenticated, "auth.missing");
  return {};
}

Result<Draft> Drafts::Save(const Actor& actor, std::string_view procedure_code,
                           const bj::object& form) {
  if (auto c = Check(actor); !c) return std::unexpected(c.error());
  if (!access_.catalog().procedures().Find(procedure_code)) {
    Error e{
        ErrorCode::kNotFound, "procedure.not_found", std::string(procedure_code.substr(0, 64)), {}};
    e.With("procedure", std::string(procedure_code.substr(0, 40)));
    return std::unexpected(e);
  }
  const std::string text = bj::serialize(form);
  if (text.size() > kMaxDraftBytes) {
    return Fail(ErrorCode::kResourceExhausted, "draft.too_large", std::to_string(text.size()));
  }
  Draft d{std::string(procedure_code), clock_.Now(), form};
  const std::string key = actor.account + "/" + d.procedure_code;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto existing = tx.GetSecret("draft", key);
    if (!existing) return std::unexpected(existing.error());
    if (!*existing) {
      auto all = store_.ListSecrets("draft", actor.account + "/", kMaxDraftsPerAccount + 1);
      if (!all) return std::unexpected(all.error());
      if (static_cast<int>(all->size()) >= kMaxDraftsPerAccount) {
        return Fail(ErrorCode::kResourceExhausted, "draft.too_many");
      }
    }
    bj::object doc{
        {"procedure_code", d.procedure_code}, {"saved_at", d.saved_at.us}, {"form", form}};
    return tx.PutSecret(
        {"draft", key, bj::serialize(doc), Timestamp{d.saved_at.us + kDraftDays * kDayUs}});
  });
  if (!r) return std::unexpected(r.error());
  return d;
}

Result<std::vector<Draft>> Drafts::List(const Actor& actor) {
  if (auto c = Check(actor); !c) return std::unexpected(c.error());
  auto rows = store_.ListSecrets("draft", actor.account + "/", kMaxDraftsPerAccount);
  if (!rows) return std::unexpected(rows.error());
  const Timestamp now = clock_.Now();
  std::vector<Draft> out;
  for (const store::SecretRow& row : *rows) {
    if (row.expires_at && row.expires_at->us <= now.us) continue;
    auto doc = json::Parse(row.doc);
    if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", "draft");
    const bj::object& o = doc->get_object();
    Draft d;
    d.procedure_code = json::OptString(o, "procedure_code").value_or("");
    d.saved_at = Timestamp{json::OptInt(o, "saved_at").value_or(0)};
    if (const bj::value* f = o.if_contains("form"); f && f->is_object()) d.form = f->get_object();
    out.push_back(std::move(d));
  }
  return out;
}

Result<bool> Drafts::Delete(const Actor& actor, std::string_view procedure_code) {
  if (auto c = Check(actor); !c) return std::unexpected(c.error());
  bool deleted = false;
  const std::string key = actor.account + "/" + std::string(procedure_code);
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto d = tx.DeleteSecret("draft", key);
    if (!d) return std::unexpected(d.error());
    deleted = *d;
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return deleted;
}

}  // namespace motcua::app
