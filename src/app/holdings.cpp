#include "app/holdings.h"

#include <algorithm>

#include "app/audit.h"
#include "base/json.h"
#include "domain/identity.h"

namespace motcua::app {

namespace {

using domain::ComponentRecord;
using domain::Holding;

using RowGetter = std::function<Result<std::optional<store::CatalogRow>>(const std::string& key)>;

Result<Holding> ParseHolding(const store::CatalogRow& row) {
  auto doc = json::Parse(row.doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", "holding");
  return Holding::FromJson(doc->get_object());
}

// Data taken from a national database rather than from the applicant's store: recorded as
// claimed (no connection to those databases yet), but only under these names.
bool IsNationalSource(std::string_view s) {
  return std::find(kNationalSources.begin(), kNationalSources.end(), s) != kNationalSources.end();
}

Error WithComponent(Error e, const std::string& component) {
  e.With("component", component);
  return e;
}

Result<void> Resolve(const RowGetter& get, std::string_view applicant,
                     const domain::Procedure& proc, CivilDate today,
                     std::vector<ComponentRecord>& components) {
  for (ComponentRecord& c : components) {
    if (c.reused_from.empty() || IsNationalSource(c.reused_from)) continue;
    const std::string id = domain::HoldingIdOf(c.reused_from);
    if (id.empty()) {
      return Fail(WithComponent(
          Error{ErrorCode::kInvalidArgument, "holding.bad_reference", c.code, {}}, c.code));
    }
    if (!c.files.empty()) {
      return Fail(WithComponent(
          Error{ErrorCode::kInvalidArgument, "holding.with_files", c.code, {}}, c.code));
    }
    auto row = get(std::string(applicant) + "/" + id);
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      return Fail(WithComponent(Error{ErrorCode::kNotFound, "holding.not_found", id, {}}, c.code));
    }
    auto h = ParseHolding(**row);
    if (!h) return std::unexpected(h.error());
    const domain::Component* spec = proc.FindComponent(c.code);
    if (spec == nullptr || !spec->Accepts(h->doc_type)) {
      Error e{ErrorCode::kInvalidArgument, "holding.not_accepted", id, {}};
      e.With("doc_type", h->doc_type);
      return Fail(WithComponent(std::move(e), c.code));
    }
    if (!h->ValidOn(today)) {
      Error e{ErrorCode::kFailedPrecondition, "holding.expired", id, {}};
      e.With("valid_until", FormatViDate(*h->valid_until));
      return Fail(WithComponent(std::move(e), c.code));
    }
    c.reused_from = "holding:" + id;
    c.files = {h->file};
  }
  return {};
}

}  // namespace

Result<void> ResolveReuse(store::Tx& tx, std::string_view applicant, const domain::Procedure& proc,
                          CivilDate today, std::vector<ComponentRecord>& components) {
  return Resolve([&](const std::string& key) { return tx.GetCatalog("holding", key); }, applicant,
                 proc, today, components);
}

Result<void> ResolveReuse(store::Store& store, std::string_view applicant,
                          const domain::Procedure& proc, CivilDate today,
                          std::vector<ComponentRecord>& components) {
  return Resolve([&](const std::string& key) { return store.GetCatalog("holding", key); },
                 applicant, proc, today, components);
}

Result<std::vector<Holding>> Holdings::ListOf(const std::string& applicant) {
  auto rows = store_.ListCatalogPage("holding", applicant + "/", "", kMaxHoldingsListed);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Holding> out;
  out.reserve(rows->size());
  for (const store::CatalogRow& row : *rows) {
    auto h = ParseHolding(row);
    if (!h) return std::unexpected(h.error());
    out.push_back(std::move(*h));
  }
  std::stable_sort(out.begin(), out.end(), [](const Holding& a, const Holding& b) {
    return a.issued_at.us != b.issued_at.us ? a.issued_at.us > b.issued_at.us : a.id < b.id;
  });
  return out;
}

Result<std::vector<Holding>> Holdings::ListOwn(const Actor& actor) {
  if (auto allowed = access_.Check(actor, "holding.read_own", {{actor.unit}, true}); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (actor.kind != Actor::Kind::kCitizen || actor.id.empty()) {
    return Fail(ErrorCode::kPermissionDenied, "auth.forbidden", "holding.read_own");
  }
  return ListOf(actor.id);
}

Result<Holding> Holdings::GetOwn(const Actor& actor, std::string_view id) {
  auto all = ListOwn(actor);
  if (!all) return std::unexpected(all.error());
  for (Holding& h : *all) {
    if (h.id == id) return std::move(h);
  }
  return Fail(ErrorCode::kNotFound, "holding.not_found", std::string(id.substr(0, 64)));
}

Result<std::vector<Holding>> Holdings::ListFor(const Actor& actor, std::string_view id_number) {
  auto id = domain::ValidateIdNumber(domain::IdKind::kCitizenId, id_number);
  // Looking into a person's documents is recorded, allowed or not (who looked at whose, when).
  const AuditRecord what{"holding.read", "holdings/" + (id ? *id : std::string("-")), actor.unit};
  if (auto allowed = access_.Check(actor, "holding.read", {{actor.unit}, false}); !allowed) {
    (void)AuditRejected(store_, actor, what, clock_.Now(), allowed.error());
    return std::unexpected(allowed.error());
  }
  if (!id) return std::unexpected(id.error());
  auto list = ListOf(*id);
  if (!list) return list;
  if (Audited(actor)) {
    auto audited =
        store_.Write([&](store::Tx& tx) { return AuditInTx(tx, actor, what, clock_.Now(), 0, 0); });
    if (!audited) return std::unexpected(audited.error());
  }
  return list;
}

Result<DigitisationFigures> Holdings::Figures(const Actor& actor, const std::string& unit,
                                              Timestamp from, Timestamp to) {
  if (auto allowed = access_.Check(actor, "indicator.read", {{unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (to.us <= from.us) return Fail(ErrorCode::kInvalidArgument, "figures.bad_period");
  store::DossierQuery q;
  q.unit = unit;
  q.submitted_to = to;  // received or returned before `to` means submitted before it
  q.limit = -1;
  auto rows = store_.ListDossiers(q);
  if (!rows) return std::unexpected(rows.error());
  DigitisationFigures f;
  auto in = [&](const std::optional<Timestamp>& t) { return t && *t >= from && *t < to; };
  for (const store::DossierRow& row : *rows) {
    auto doc = json::Parse(row.doc);
    if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", row.code);
    auto d = domain::Dossier::FromJson(doc->get_object());
    if (!d) return std::unexpected(d.error());
    if (d->receiving_unit == unit && in(d->received_at)) {
      ++f.dossiers;
      int64_t provided = 0, covered = 0, reused = 0;
      for (const ComponentRecord& c : d->components) {
        if (!c.provided) continue;
        ++provided;
        f.components_digitised += c.digitised;
        reused += !c.reused_from.empty();
        covered += c.digitised || !c.reused_from.empty();
      }
      f.components += provided;
      f.components_reused += reused;
      f.dossiers_all_digitised += provided > 0 && covered == provided;
      f.dossiers_reusing += reused > 0;
    }
    if (d->competent_unit == unit && in(d->returned_at)) {
      ++f.results;
      f.results_electronic += d->result_document.has_value();
    }
  }
  return f;
}

}  // namespace motcua::app
