#include "app/projection.h"

#include <functional>
#include <map>

#include "app/documents.h"
#include "app/payments.h"
#include "app/pki.h"

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

// The row holding the payload's object `field`, keyed by the stream's id.
Result<store::CatalogRow> PayloadRow(const Event& e, std::string kind, std::string_view field) {
  auto it = e.payload.find(field);
  if (it == e.payload.end() || !it->value().is_object()) {
    return Fail(ErrorCode::kDataLoss, "projection.bad_event", e.type);
  }
  const std::string key = e.stream.substr(e.stream.find('/') + 1);
  return store::CatalogRow{std::move(kind), key, boost::json::serialize(it->value())};
}

using RowReader =
    std::function<Result<std::optional<std::string>>(std::string_view kind, const std::string& key)>;

// The catalogue rows written by an event outside the dossier and account streams, given a
// reader of the current rows: the live path reads the transaction, verify its own replay.
Result<std::vector<store::CatalogRow>> CatalogRowsOf(const Event& e, const RowReader& read) {
  using Rows = std::vector<store::CatalogRow>;
  auto one = [](Result<store::CatalogRow> row) -> Result<Rows> {
    if (!row) return std::unexpected(row.error());
    return Rows{std::move(*row)};
  };
  const std::string key = e.stream.substr(e.stream.find('/') + 1);
  if (e.type == "UnitRegistered") return one(PayloadRow(e, "unit", "unit"));
  if (e.type == "ProcedurePublished") return one(PayloadRow(e, "procedure", "procedure"));
  if (e.type == "FileUploaded") return one(PayloadRow(e, "file", "file"));
  if (e.type == "CalendarDaySet") return one(PayloadRow(e, "calendar_day", "entry"));
  if (e.type == "StatementReconciled") return one(PayloadRow(e, "reconciliation", "report"));
  if (e.type == "CalendarDayCleared") return Rows{{"calendar_day", key, ClearedDayDoc(key)}};
  if (e.type == "CertificateIssued" || e.type == "CertificateRevoked") {
    auto current = read("certificate", key);
    if (!current) return std::unexpected(current.error());
    auto doc = ApplyCertificateEvent(*current, e);
    if (!doc) return std::unexpected(doc.error());
    Rows rows{{"certificate", key, *doc}};
    const std::string empty = "{}";
    if (e.type == "CertificateRevoked") {
      rows.push_back({"revocation", key, empty});
      return rows;
    }
    const auto& c = e.payload.at("certificate").get_object();
    const std::string holder = json::OptString(c, "holder").value_or("");
    const std::string kind = json::OptString(c, "kind").value_or("");
    rows.push_back({"holder_certificate", holder + "/" + key, empty});
    const std::string pointer = boost::json::serialize(boost::json::object{{"serial", key}});
    if (kind == "root_ca") rows.push_back({"pki", "root", pointer});
    if (kind == "issuing_ca") rows.push_back({"pki", "issuing", pointer});
    return rows;
  }
  if (e.type == "DocumentSigned") {
    auto current = read("document", key);
    if (!current) return std::unexpected(current.error());
    return DocumentRows(*current, e);
  }
  return Fail(ErrorCode::kDataLoss, "projection.unknown_event", e.type);
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
    if (auto index = PaymentIndexRow(e)) {
      if (auto r = tx.PutCatalog(std::move(*index)); !r) return r;
    }
    return tx.PutDossier(ToRow(d));
  }
  auto rows = CatalogRowsOf(e, [&](std::string_view kind, const std::string& key)
                                    -> Result<std::optional<std::string>> {
    auto row = tx.GetCatalog(kind, key);
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>((*row)->doc);
  });
  if (!rows) return std::unexpected(rows.error());
  for (store::CatalogRow& row : *rows) {
    if (auto r = tx.PutCatalog(std::move(row)); !r) return r;
  }
  return {};
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
      if (auto index = PaymentIndexRow(e)) catalog[{index->kind, index->key}] = index->doc;
      return domain::Apply(dossiers[e.stream.substr(8)], e);
    }
    const std::string key = e.stream.substr(e.stream.find('/') + 1);
    if (e.stream.starts_with("account/")) {
      return domain::ApplyAccountEvent(accounts[key], e);
    }
    if (e.type == "ActionAudited") return {};
    auto rows = CatalogRowsOf(e, [&](std::string_view kind, const std::string& k)
                                     -> Result<std::optional<std::string>> {
      auto it = catalog.find({std::string(kind), k});
      if (it == catalog.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    });
    if (!rows) return std::unexpected(rows.error());
    for (store::CatalogRow& row : *rows) catalog[{row.kind, row.key}] = std::move(row.doc);
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
  for (std::string kind :
       {"unit", "procedure", "file", "calendar_day", "payment_ref", "reconciliation"}) {
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
