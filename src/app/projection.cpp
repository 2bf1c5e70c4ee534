#include "app/projection.h"

#include <map>

#include "base/json.h"
#include "domain/account.h"

namespace motcua::app {

store::DossierRow ToRow(const domain::Dossier& d) {
  store::DossierRow r;
  r.code = d.code;
  r.procedure_code = d.procedure_code;
  r.receiving_unit = d.receiving_unit;
  r.competent_unit = d.competent_unit;
  r.current_unit = d.current_unit;
  r.state = std::string(domain::StateName(d.state));
  r.status_code = domain::NationalStatusCode(d.state);
  r.channel = std::string(domain::ChannelName(d.channel));
  r.applicant_key = d.applicant.id_number;
  r.submitted_at = d.submitted_at;
  r.received_at = d.received_at;
  r.due_at = d.due_at;
  r.finished_at = d.finished_at;
  r.version = d.version;
  r.doc = boost::json::serialize(d.ToJson());
  return r;
}

namespace {

bool StartsWith(const std::string& s, std::string_view p) { return s.starts_with(p); }

// The catalogue row of a calendar day the administrator cleared (kept, so the row count follows
// the log; Catalog::Load skips it).
std::string ClearedDayDoc(const std::string& date) {
  return boost::json::serialize(boost::json::object{{"date", date}, {"cleared", true}});
}

Result<void> ProjectCatalog(store::Tx& tx, const Event& e, std::string kind,
                            std::string_view field) {
  auto it = e.payload.find(field);
  if (it == e.payload.end() || !it->value().is_object()) {
    return Fail(ErrorCode::kDataLoss, "projection.bad_event", e.type);
  }
  const std::string key = e.stream.substr(e.stream.find('/') + 1);
  return tx.PutCatalog({std::move(kind), key, boost::json::serialize(it->value())});
}

Result<void> ProjectAccount(store::Tx& tx, const Event& e) {
  const std::string id = e.stream.substr(e.stream.find('/') + 1);
  domain::Account a;
  auto row = tx.GetCatalog("account", id);
  if (!row) return std::unexpected(row.error());
  if (*row) {
    auto doc = json::Parse((*row)->doc);
    if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", id);
    auto loaded = domain::Account::FromJson(doc->get_object());
    if (!loaded) return std::unexpected(loaded.error());
    a = std::move(*loaded);
  } else if (e.type != "AccountRegistered" && e.type != "OfficerAccountCreated" &&
             e.type != "ServiceAccountCreated") {
    return Fail(ErrorCode::kDataLoss, "projection.missing_account", id);
  }
  const std::string old_login = a.login;
  if (auto r = domain::ApplyAccountEvent(a, e); !r) return r;
  if (a.login != old_login) {
    if (auto r = tx.PutCatalog({"account_login", a.login,
                                boost::json::serialize(boost::json::object{{"id", a.id}})});
        !r) {
      return r;
    }
  }
  return tx.PutCatalog({"account", id, boost::json::serialize(a.ToJson())});
}

}  // namespace

Result<void> Project(store::Tx& tx, const Event& e, bool replaying) {
  if (StartsWith(e.stream, "account/")) return ProjectAccount(tx, e);
  // The audit trail is read from the log itself (QueryEvents); it has no projection.
  if (e.type == "ActionAudited") return {};
  if (StartsWith(e.stream, "dossier/")) {
    const std::string code = e.stream.substr(8);
    domain::Dossier d;
    if (e.type != "DossierSubmitted") {
      auto row = tx.GetDossier(code);
      if (!row) return std::unexpected(row.error());
      if (!*row) return Fail(ErrorCode::kDataLoss, "projection.missing_dossier", code);
      auto doc = json::Parse((*row)->doc);
      if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", code);
      auto loaded = domain::Dossier::FromJson(doc->get_object());
      if (!loaded) return std::unexpected(loaded.error());
      d = std::move(*loaded);
    } else if (replaying) {
      if (auto counter = json::OptString(e.payload, "counter")) {
        if (auto n = tx.NextNumber(*counter); !n) return std::unexpected(n.error());
      }
    }
    if (auto r = domain::Apply(d, e); !r) return r;
    return tx.PutDossier(ToRow(d));
  }
  if (e.type == "UnitRegistered") return ProjectCatalog(tx, e, "unit", "unit");
  if (e.type == "ProcedurePublished") return ProjectCatalog(tx, e, "procedure", "procedure");
  if (e.type == "FileUploaded") return ProjectCatalog(tx, e, "file", "file");
  if (e.type == "CalendarDaySet") return ProjectCatalog(tx, e, "calendar_day", "entry");
  if (e.type == "CalendarDayCleared") {
    const std::string key = e.stream.substr(e.stream.find('/') + 1);
    return tx.PutCatalog({"calendar_day", key, ClearedDayDoc(key)});
  }
  return Fail(ErrorCode::kDataLoss, "projection.unknown_event", e.type);
}

Result<int64_t> Rebuild(store::Store& store, int batch) {
  auto cleared = store.Write([](store::Tx& tx) { return tx.ClearProjections(); });
  if (!cleared) return std::unexpected(cleared.error());
  int64_t done = 0;
  std::vector<Event> pending;
  auto flush = [&]() -> Result<void> {
    auto r = store.Write([&](store::Tx& tx) -> Result<void> {
      for (const Event& e : pending) {
        if (auto p = Project(tx, e, true); !p) return p;
      }
      return {};
    });
    done += static_cast<int64_t>(pending.size());
    pending.clear();
    return r;
  };
  auto scan = store.ForEachEvent(0, [&](const Event& e) -> Result<void> {
    pending.push_back(e);
    if (static_cast<int>(pending.size()) >= batch) return flush();
    return {};
  });
  if (!scan) return std::unexpected(scan.error());
  if (!pending.empty()) {
    if (auto r = flush(); !r) return std::unexpected(r.error());
  }
  return done;
}

Result<VerifyReport> Verify(store::Store& store) {
  VerifyReport report;
  auto chain = store::VerifyChain(store);
  if (!chain) return std::unexpected(chain.error());
  report.events = *chain;

  std::map<std::string, domain::Dossier> dossiers;
  std::map<std::pair<std::string, std::string>, std::string> catalog;
  std::map<std::string, domain::Account> accounts;
  auto scan = store.ForEachEvent(0, [&](const Event& e) -> Result<void> {
    if (e.stream.starts_with("dossier/")) {
      return domain::Apply(dossiers[e.stream.substr(8)], e);
    }
    const std::string key = e.stream.substr(e.stream.find('/') + 1);
    if (e.stream.starts_with("account/")) {
      return domain::ApplyAccountEvent(accounts[key], e);
    }
    if (e.type == "ActionAudited") return {};
    if (e.type == "UnitRegistered" && e.payload.contains("unit")) {
      catalog[{"unit", key}] = boost::json::serialize(e.payload.at("unit"));
    } else if (e.type == "ProcedurePublished" && e.payload.contains("procedure")) {
      catalog[{"procedure", key}] = boost::json::serialize(e.payload.at("procedure"));
    } else if (e.type == "FileUploaded" && e.payload.contains("file")) {
      catalog[{"file", key}] = boost::json::serialize(e.payload.at("file"));
    } else if (e.type == "CalendarDaySet" && e.payload.contains("entry")) {
      catalog[{"calendar_day", key}] = boost::json::serialize(e.payload.at("entry"));
    } else if (e.type == "CalendarDayCleared") {
      catalog[{"calendar_day", key}] = ClearedDayDoc(key);
    } else {
      return Fail(ErrorCode::kDataLoss, "projection.unknown_event", e.type);
    }
    return {};
  });
  if (!scan) return std::unexpected(scan.error());

  auto mismatch = [&](std::string what) {
    if (report.mismatches++ == 0) report.first_mismatch = std::move(what);
  };
  int64_t seen = 0;
  auto rows = store.ForEachDossier([&](const store::DossierRow& row) -> Result<void> {
    ++seen;
    auto it = dossiers.find(row.code);
    if (it == dossiers.end()) {
      mismatch("dossier " + row.code + ": row without events");
      return {};
    }
    const store::DossierRow expected = ToRow(it->second);
    if (!(expected == row)) {
      std::string field = expected.state != row.state                 ? "state"
                          : expected.due_at != row.due_at             ? "due_at"
                          : expected.current_unit != row.current_unit ? "current_unit"
                          : expected.version != row.version           ? "version"
                                                                      : "document";
      mismatch("dossier " + row.code + ": " + field);
    }
    return {};
  });
  if (!rows) return std::unexpected(rows.error());
  if (seen != static_cast<int64_t>(dossiers.size())) {
    mismatch("dossier rows " + std::to_string(seen) + " != streams " +
             std::to_string(dossiers.size()));
  }
  report.dossiers = static_cast<int64_t>(dossiers.size());
  for (std::string kind : {"unit", "procedure", "file", "calendar_day"}) {
    auto stored = store.ListCatalog(kind);
    if (!stored) return std::unexpected(stored.error());
    int64_t count = 0;
    for (const auto& row : *stored) {
      auto it = catalog.find({row.kind, row.key});
      if (it == catalog.end() || it->second != row.doc) mismatch(kind + " " + row.key);
      ++count;
    }
    for (const auto& [k, _] : catalog) count -= k.first == kind;
    if (count != 0) mismatch(kind + " rows differ in number from the log");
  }
  for (const auto& [id, a] : accounts) {
    catalog[{"account", id}] = boost::json::serialize(a.ToJson());
    catalog[{"account_login", a.login}] = boost::json::serialize(boost::json::object{{"id", id}});
  }
  for (std::string kind : {"account", "account_login"}) {
    auto stored = store.ListCatalog(kind);
    if (!stored) return std::unexpected(stored.error());
    int64_t count = 0;
    for (const auto& row : *stored) {
      auto it = catalog.find({row.kind, row.key});
      if (it == catalog.end() || it->second != row.doc) mismatch(kind + " " + row.key);
      ++count;
    }
    for (const auto& [k, _] : catalog) count -= k.first == kind;
    if (count != 0) mismatch(kind + " rows differ in number from the log");
  }
  report.catalog_rows = static_cast<int64_t>(catalog.size());
  return report;
}

}  // namespace motcua::app
