#include "app/projection.h"

#include <functional>
#include <map>

#include "app/documents.h"
#include "app/payments.h"
#include "app/pki.h"

#include "base/json.h"
#include "domain/account.h"
#include "store/blobs.h"
#include "domain/holding.h"

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

// OCR of uploaded scans (app/digitise.h): a file of these types waits in ocr_pending until
// FileRecognised or FileRecognitionFailed; "ocr" holds the result's metadata (no text, no field
// values: those are personal data, kept in the store's private texts).
bool IsOcrType(std::string_view content_type) {
  return content_type == "application/pdf" || content_type == "image/png" ||
         content_type == "image/jpeg";
}

Result<std::vector<store::CatalogRow>> OcrRowsOf(const Event& e, const std::string& key,
                                                 const std::optional<std::string>& current) {
  boost::json::object doc;
  if (current) {
    auto parsed = json::Parse(*current);
    if (parsed && parsed->is_object()) doc = std::move(parsed->get_object());
  }
  if (e.type == "FileFieldsConfirmed") {
    if (!doc.contains("state")) doc["state"] = "pending";
    boost::json::object confirmed{{"kind", json::OptString(e.payload, "kind").value_or("")},
                                  {"fields", boost::json::array{}},
                                  {"by", e.actor},
                                  {"at", e.at.us}};
    if (auto it = e.payload.find("fields"); it != e.payload.end()) {
      confirmed["fields"] = it->value();
    }
    doc["confirmed"] = std::move(confirmed);
  } else {
    // A new result replaces the last one but keeps the officer's confirmation.
    boost::json::object next;
    if (auto it = doc.find("confirmed"); it != doc.end()) next["confirmed"] = it->value();
    next["state"] = e.type == "FileRecognised" ? "done" : "failed";
    next["at"] = e.at.us;
    for (const auto& [k, v] : e.payload) next[k] = v;
    doc = std::move(next);
  }
  return std::vector<store::CatalogRow>{{"ocr", key, boost::json::serialize(doc)}};
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

// The applicant's data-store rows an event files (domain/holding.h), keyed "<applicant>/<id>".
std::vector<store::CatalogRow> HoldingRows(const domain::Dossier& after, const Event& e) {
  std::vector<store::CatalogRow> rows;
  for (const domain::Holding& h : domain::HoldingsFiledBy(after, e)) {
    rows.push_back({"holding", h.applicant + "/" + h.id, boost::json::serialize(h.ToJson())});
  }
  return rows;
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
  if (e.type == "FileUploaded") {
    auto row = PayloadRow(e, "file", "file");
    if (!row) return std::unexpected(row.error());
    Rows rows{std::move(*row)};
    const auto& f = e.payload.at("file").get_object();
    if (IsOcrType(json::OptString(f, "content_type").value_or(""))) {
      rows.push_back({"ocr_pending", key,
                      boost::json::serialize(boost::json::object{
                          {"sha256", json::OptString(f, "sha256").value_or("")},
                          {"content_type", json::OptString(f, "content_type").value_or("")}})});
    }
    return rows;
  }
  if (e.type == "FileRecognised" || e.type == "FileRecognitionFailed" ||
      e.type == "FileFieldsConfirmed") {
    auto current = read("ocr", key);
    if (!current) return std::unexpected(current.error());
    return OcrRowsOf(e, key, *current);
  }
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

// The catalogue rows an event removes: a file leaves the OCR backlog once recognised or failed.
std::vector<std::pair<std::string, std::string>> CatalogDeletesOf(const Event& e) {
  if (e.type == "FileRecognised" || e.type == "FileRecognitionFailed") {
    return {{"ocr_pending", e.stream.substr(e.stream.find('/') + 1)}};
  }
  return {};
}

// The index file_dossier/<file id> → {"dossier": code}, for every file a submission or a
// supplement files in a component (the search of scanned text narrows by dossier).
std::vector<store::CatalogRow> FileDossierRows(const Event& e) {
  std::vector<store::CatalogRow> rows;
  if (e.type != "DossierSubmitted" && e.type != "SupplementProvided") return rows;
  const std::string code = e.stream.substr(e.stream.find('/') + 1);
  const std::string doc = boost::json::serialize(boost::json::object{{"dossier", code}});
  auto it = e.payload.find("components");
  if (it == e.payload.end() || !it->value().is_array()) return rows;
  for (const auto& c : it->value().get_array()) {
    if (!c.is_object()) continue;
    auto files = c.get_object().find("files");
    if (files == c.get_object().end() || !files->value().is_array()) continue;
    for (const auto& f : files->value().get_array()) {
      if (!f.is_object()) continue;
      if (auto id = json::OptString(f.get_object(), "id"); id && !id->empty()) {
        rows.push_back({"file_dossier", *id, doc});
      }
    }
  }
  return rows;
}

// Every object in `v` that names a stored blob: a 64-hex "sha256" beside an integer "size" (the
// shape of domain::FileRef and of the file records), found wherever the payload carries it, so
// that a new kind of event that refers to a file is counted without a change here.
void CollectBlobRefs(const boost::json::value& v,
                     std::map<std::string, const boost::json::object*>& out) {
  if (v.is_array()) {
    for (const boost::json::value& x : v.get_array()) CollectBlobRefs(x, out);
    return;
  }
  if (!v.is_object()) return;
  const boost::json::object& o = v.get_object();
  const boost::json::value* sha = o.if_contains("sha256");
  const boost::json::value* size = o.if_contains("size");
  if (sha && sha->is_string() && store::IsSha256Hex(sha->get_string()) && size &&
      size->is_int64()) {
    out.emplace(std::string(sha->get_string()), &o);
  }
  for (const auto& kv : o) CollectBlobRefs(kv.value(), out);
}

// The catalogue rows blob/<sha256> an event touches: the blob's size and type, when and where
// it was first named, and how many events name it. The blob collector keeps every blob that has
// a row (docs/impl/blobs.md).
Result<std::vector<store::CatalogRow>> BlobRowsOf(const Event& e, const RowReader& read) {
  std::map<std::string, const boost::json::object*> refs;
  const boost::json::value payload(e.payload);
  CollectBlobRefs(payload, refs);
  std::vector<store::CatalogRow> rows;
  for (const auto& [sha, ref] : refs) {
    auto current = read("blob", sha);
    if (!current) return std::unexpected(current.error());
    boost::json::object doc;
    if (*current) {
      auto parsed = json::Parse(**current);
      if (!parsed || !parsed->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", sha);
      doc = std::move(parsed->get_object());
      const int64_t n = json::OptInt(doc, "refs").value_or(0);
      doc["refs"] = n + 1;
    } else {
      doc = {{"sha256", sha},
             {"size", ref->at("size").as_int64()},
             {"content_type", json::OptString(*ref, "content_type").value_or("")},
             {"first_seen_us", e.at.us},
             {"first_stream", e.stream},
             {"refs", 1}};
    }
    rows.push_back({"blob", sha, boost::json::serialize(doc)});
  }
  return rows;
}

Result<void> ProjectBlobs(store::Tx& tx, const Event& e) {
  auto rows = BlobRowsOf(e, [&](std::string_view kind, const std::string& key)
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
  if (auto b = ProjectBlobs(tx, e); !b) return b;
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
    for (store::CatalogRow& row : FileDossierRows(e)) {
      if (auto r = tx.PutCatalog(std::move(row)); !r) return r;
    }
    for (store::CatalogRow& row : HoldingRows(d, e)) {
      if (auto r = tx.PutCatalog(std::move(row)); !r) return r;
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
  for (const auto& [kind, key] : CatalogDeletesOf(e)) {
    if (auto r = tx.DeleteCatalog(kind, key); !r) return std::unexpected(r.error());
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
  auto read_replayed = [&](std::string_view kind,
                           const std::string& k) -> Result<std::optional<std::string>> {
    auto it = catalog.find({std::string(kind), k});
    if (it == catalog.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  };
  auto scan = store.ForEachEvent(0, [&](const Event& e) -> Result<void> {
    if (!e.stream.starts_with("account/") && e.type != "ActionAudited") {
      auto blobs = BlobRowsOf(e, read_replayed);
      if (!blobs) return std::unexpected(blobs.error());
      for (store::CatalogRow& row : *blobs) catalog[{row.kind, row.key}] = std::move(row.doc);
    }
    if (e.stream.starts_with("dossier/")) {
      if (auto index = PaymentIndexRow(e)) catalog[{index->kind, index->key}] = index->doc;
      for (store::CatalogRow& row : FileDossierRows(e)) {
        catalog[{row.kind, row.key}] = std::move(row.doc);
      }
      domain::Dossier& d = dossiers[e.stream.substr(8)];
      if (auto r = domain::Apply(d, e); !r) return r;
      for (store::CatalogRow& row : HoldingRows(d, e)) {
        catalog[{row.kind, row.key}] = std::move(row.doc);
      }
      return {};
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
    for (const auto& [kind, k] : CatalogDeletesOf(e)) catalog.erase({kind, k});
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
       {"unit", "procedure", "file", "blob", "calendar_day", "payment_ref", "reconciliation", "holding",
        "ocr_pending", "ocr", "file_dossier"}) {
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
