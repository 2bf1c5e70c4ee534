#include "cli/commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/catalog.h"
#include "app/demo.h"
#include "app/demo_accounts.h"
#include "app/digitise.h"
#include "app/documents.h"
#include "app/lifecycle.h"
#include "app/holdings.h"
#include "app/payments.h"
#include "app/pki.h"
#include "app/projection.h"
#include "app/scans.h"
#include "base/json.h"
#include "cli/calendar_command.h"
#include "cli/ocr_command.h"
#include "cli/pay_command.h"
#include "http/auth.h"
#include "http/server.h"
#include "pay/config.h"
#include "secure/random.h"
#include "secure/totp.h"
#include "store/blobs.h"
#include "store/store.h"

#ifndef MOTCUA_SOURCE_DIR
#define MOTCUA_SOURCE_DIR "."
#endif

namespace motcua::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = R"(motcua — nền tảng một cửa điện tử / digital one-stop platform

usage: motcua COMMAND [options]
  init      [--dir DIR | --db CONNINFO] [--units FILE]      create the store, import catalogue
  demo      [--dir DIR | --db CONNINFO] [--dossiers N] [--seed S] [--until YYYY-MM-DD] [--reset]
                                                           generate the demo province
  serve     [--dir DIR | --db CONNINFO] [--listen ADDR:PORT] [--static DIR] [--threads N]
            [--tls-cert PEM --tls-key PEM] [--trust-proxy ADDR,…] [--files DIR]
            [--ocr-workers N]  (OCR of uploaded scans in the background; default 1, 0 = off)
            [--payment-config FILE]           (default DIR/payment.json: online payment on)
  account create-officer --login L --name N --unit U --roles R1,R2 --password-file F
  account list                                             officers and services
  token issue --name N --unit U --roles R --scopes S1,S2 [--expires ISO]   prints the token once
  token revoke --id TOKEN_ID
  audit query [--actor A] [--unit U] [--type T] [--stream P] [--from ISO] [--to ISO]
              [--after SEQ] [--limit N]                    the audit trail as JSON Lines
  audit verify                                             check the hash chain of the log
  verify    [--dir DIR | --db CONNINFO]                    check the hash chain and projections
  rebuild   [--dir DIR | --db CONNINFO]                    rebuild projections from the log
  blobs gc  [--dir DIR | --db CONNINFO] [--min-age-hours H] [--dry-run]
                                                           remove unreferenced uploaded files
  export events [--dir DIR | --db CONNINFO] [--out FILE] [--after SEQ]
                                                           the log as JSON Lines
  calendar holidays YEAR | calendar due --from ISO --days N  working-day calendar
  pay vietqr --bank BIN --account NO [--amount VND] [--ref TEXT]   a VietQR payload
  pay reconcile --date YYYY-MM-DD --file STATEMENT.csv [--dir DIR]  match a bank statement
  ocr FILE [--pages N]                                     OCR (Vietnamese) and key fields as JSON
  totp      BASE32_SECRET                                  the current TOTP code (demo sign-in)
  pki init [--algorithm rsa2048|p256]                      create the root and issuing CAs
  pki issue --holder officer:LOGIN|unit:CODE --kind personal|organisation [--position P]
            [--identifier MNS:…] [--years N]               issue a certificate (key sealed)
  pki revoke --serial S --reason R [--key-compromise]      revoke a certificate
  pki list [--holder H] | pki ca [--out FILE] | pki crl --out FILE
  pki sign FILE --holder H --out FILE [--title T]          sign a PDF (PAdES, recorded)
  pki verify FILE                                          verify a PDF's signatures (JSON)
common: --data DIR (reference data, default $MOTCUA_DATA_DIR, ./data or the source tree's data/)
        --key FILE (secret key sealing TOTP seeds; default DIR/secret.key, or $MOTCUA_KEY_FILE
                    or ./motcua-secret.key with --db), --outbox DIR (messages awaiting delivery),
        --files DIR (uploaded component files; default DIR/files, or ./motcua-files with --db)
)";

struct Flags {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  bool Has(const std::string& k) const { return values.count(k) > 0; }
  std::string Get(const std::string& k, std::string fallback = "") const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
};

// Flags that take no value.
bool IsSwitch(const std::string& name) {
  return name == "reset" || name == "help" || name == "key-compromise" || name == "dry-run";
}

// Splits "a,b,c" (empty parts dropped).
std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    std::string part =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(std::move(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<Flags> ParseFlags(const std::vector<std::string>& args, size_t from,
                                std::ostream& err) {
  Flags f;
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      std::string value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (!IsSwitch(name)) {
        if (i + 1 >= args.size()) {
          err << "motcua: --" << name << " needs a value\n";
          return std::nullopt;
        }
        value = args[++i];
      }
      f.values[name] = value;
    } else {
      f.positional.push_back(a);
    }
  }
  return f;
}

fs::path DataDir(const Flags& f) {
  if (f.Has("data")) return f.Get("data");
  if (const char* env = std::getenv("MOTCUA_DATA_DIR"); env && *env) return env;
  if (fs::exists("data/procedures/catalogue.json")) return "data";
  return fs::path(MOTCUA_SOURCE_DIR) / "data";
}

std::string Location(const Flags& f) {
  if (f.Has("db")) return f.Get("db");
  return f.Get("dir", "motcua-data");
}

int Report(std::ostream& err, const Error& e) {
  err << "motcua: error: " << e.ToString() << "\n";
  return 1;
}

Result<std::unique_ptr<store::Store>> OpenStore(const Flags& f, bool create,
                                                bool read_only = false) {
  store::StoreOptions o;
  o.location = Location(f);
  o.create = create;
  o.read_only = read_only;
  return store::Open(o);
}

fs::path KeyFile(const Flags& f) {
  if (f.Has("key")) return f.Get("key");
  if (f.Has("db")) {
    if (const char* env = std::getenv("MOTCUA_KEY_FILE"); env && *env) return env;
    return "motcua-secret.key";
  }
  return fs::path(Location(f)) / "secret.key";
}

// Uploaded component files (content-addressed, app/files.h).
fs::path FilesDir(const Flags& f) {
  if (f.Has("files")) return f.Get("files");
  return f.Has("db") ? fs::path("motcua-files") : fs::path(Location(f)) / "files";
}

fs::path Outbox(const Flags& f) {
  if (f.Has("outbox")) return f.Get("outbox");
  return f.Has("db") ? fs::path("motcua-outbox") : fs::path(Location(f)) / "outbox";
}

// The payment settings (gateway merchant account, collecting bank account and their secrets,
// pay/config.h): --payment-config, else payment.json in the data directory.
fs::path PaymentConfigFile(const Flags& f) {
  if (f.Has("payment-config")) return f.Get("payment-config");
  return f.Has("db") ? fs::path("motcua-payment.json") : fs::path(Location(f)) / "payment.json";
}

// The accounts service over an open store (the key file is created on first use).
struct AccountsKit {
  std::unique_ptr<app::SpoolNotifier> notifier;
  std::unique_ptr<app::Accounts> accounts;
};
Result<AccountsKit> OpenAccounts(const Flags& f, store::Store& s,
                                 std::shared_ptr<const app::Catalog> catalog, const Clock& clock) {
  auto key = secure::SecretKey::LoadOrCreate(KeyFile(f));
  if (!key) return std::unexpected(key.error());
  AccountsKit kit;
  kit.notifier = std::make_unique<app::SpoolNotifier>(Outbox(f));
  kit.accounts = std::make_unique<app::Accounts>(s, std::move(catalog), clock, std::move(*key),
                                                 *kit.notifier, app::AccountsOptions{});
  return kit;
}

// The province's name ("Sông Trà"): the root unit's name without its "Tỉnh"/"Thành phố".
std::string ProvincePlace(const app::Catalog& catalog) {
  for (const domain::Unit* u : catalog.units().UnitsOn(domain::UnitLevel::kProvince,
                                                       ToVietnamLocal(SystemClock().Now()).date)) {
    for (std::string_view prefix : {"Tỉnh ", "Thành phố "}) {
      if (u->name.starts_with(prefix)) return u->name.substr(prefix.size());
    }
    return u->name;
  }
  return "";
}

// The certificate authority and the signed documents over an open store. The key-encryption key
// of the signing keys is the server's key file (--key), like the TOTP seeds'.
struct DocumentsKit {
  std::unique_ptr<secure::SecretKey> kek;
  std::unique_ptr<app::Access> access;
  std::unique_ptr<app::Pki> pki;
  std::unique_ptr<app::BlobStore> blobs;
  std::unique_ptr<app::Documents> documents;
};
Result<DocumentsKit> OpenDocuments(const Flags& f, store::Store& s,
                                   std::shared_ptr<const app::Catalog> catalog, const Clock& clock,
                                   const std::string& public_url) {
  auto key = secure::SecretKey::LoadOrCreate(KeyFile(f));
  if (!key) return std::unexpected(key.error());
  auto templates = app::LoadResultTemplates(DataDir(f) / "results" / "templates.json");
  if (!templates) return std::unexpected(templates.error());
  auto algorithm = sign::ParseKeyAlgorithm(f.Get("algorithm", "rsa2048"));
  if (!algorithm) return std::unexpected(algorithm.error());
  DocumentsKit kit;
  const std::string place = ProvincePlace(*catalog);
  kit.kek = std::make_unique<secure::SecretKey>(std::move(*key));
  kit.access = std::make_unique<app::Access>(catalog, clock);
  kit.pki = std::make_unique<app::Pki>(
      s, *kit.access, clock, *kit.kek,
      app::PkiOptions{*algorithm, "motcua " + place, place, public_url + "/api/v1/pki/crl", 20});
  kit.blobs = std::make_unique<app::BlobStore>(FilesDir(f));
  kit.documents = std::make_unique<app::Documents>(s, catalog, *kit.pki, *kit.blobs, *kit.access,
                                                   clock, std::move(*templates),
                                                   app::DocumentOptions{public_url, place});
  return kit;
}

// The address people reach the server at: --public-url, else http://localhost:<port of --listen>.
std::string PublicUrl(const Flags& f) {
  if (f.Has("public-url")) {
    std::string url = f.Get("public-url");
    while (url.ends_with('/')) url.pop_back();
    return url;
  }
  const std::string listen = f.Get("listen", "127.0.0.1:8080");
  return "http://localhost:" + listen.substr(listen.rfind(':') + 1);
}

app::Actor CliActor() {
  app::Actor a = app::Actor::System();
  a.via = "cli";
  return a;
}

Result<int64_t> InitStore(store::Store& s, const Flags& f) {
  const fs::path data = DataDir(f);
  const fs::path units = f.Has("units") ? fs::path(f.Get("units")) : data / "demo" / "units.json";
  auto catalog = app::Catalog::FromData(data, units);
  if (!catalog) return std::unexpected(catalog.error());
  return app::ImportCatalog(s, **catalog, SystemClock().Now());
}

int CmdInit(const Flags& f, std::ostream& out, std::ostream& err) {
  auto s = OpenStore(f, true);
  if (!s) return Report(err, s.error());
  auto n = InitStore(**s, f);
  if (!n) return Report(err, n.error());
  out << "{\"initialised\":\"" << Location(f) << "\",\"catalogue_events\":" << *n << "}\n";
  return 0;
}

// Writes `text` to `path` with mode 0600 from the start (credentials never readable by others),
// atomically (temporary file, fsync, rename).
Result<void> WritePrivateFile(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cli.cannot_write", tmp.string());
  size_t off = 0;
  while (off < text.size()) {
    const ssize_t w = ::write(fd, text.data() + off, text.size() - off);
    if (w <= 0) break;
    off += static_cast<size_t>(w);
  }
  const bool ok = off == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cli.cannot_write", tmp.string());
  fs::rename(tmp, path, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cli.cannot_write", path.string());
  return {};
}

// The demo's certificates: a personal one for every officer with the leader role, an
// organisation seal for every unit that has officers (budget codes made up from the unit code).
Result<int> IssueDemoCertificates(app::Pki& pki, const app::Catalog& catalog,
                                  const boost::json::object& people) {
  if (auto init = pki.Init(CliActor()); !init && init.error().key != "pki.already_initialised") {
    return std::unexpected(init.error());
  }
  int issued = 0;
  std::set<std::string> units;
  for (const auto& v : people.at("officers").as_array()) {
    const auto& o = v.as_object();
    const std::string unit(o.at("unit").as_string());
    units.insert(unit);
    bool leader = false;
    for (const auto& r : o.at("roles").as_array()) leader = leader || r.as_string() == "leader";
    if (!leader) continue;
    const domain::Unit* u = catalog.units().Find(unit);
    const bool commune = u && u->level == domain::UnitLevel::kCommune;
    auto c = pki.Issue(
        CliActor(), {sign::CertKind::kPersonal, "officer:" + std::string(o.at("login").as_string()),
                     commune ? "Chủ tịch" : "Giám đốc", "", 2});
    if (!c) return std::unexpected(c.error());
    ++issued;
  }
  for (const std::string& unit : units) {
    const std::string digits = std::to_string(1000000 + std::hash<std::string>{}(unit) % 9000000);
    auto c = pki.Issue(CliActor(),
                       {sign::CertKind::kOrganisation, "unit:" + unit, "", "MNS:" + digits, 2});
    if (!c) return std::unexpected(c.error());
    ++issued;
  }
  return issued;
}

// The demo's payment settings: the stand-in gateway (motcua-gateway) on 127.0.0.1:8091, a
// collecting account, fresh secrets. Kept when the file exists.
Result<void> WriteDemoPaymentConfig(const Flags& f) {
  const fs::path file = PaymentConfigFile(f);
  if (fs::exists(file)) return {};
  const std::string base = PublicUrl(f);
  pay::PaymentConfig c;
  c.gateway = {f.Get("gateway-url", "http://127.0.0.1:8091/paymentv2/vpcpay.html"), "MOTCUA01",
               secure::RandomToken(32)};
  c.platform = "province";
  c.ipn_url = base + "/api/v1/payments/gateway/ipn";
  c.return_url = base + "/api/v1/payments/gateway/return";
  c.bank = {"970415", "0011001932418", "KHO BAC NHA NUOC TINH SONG TRA",
            base + "/api/v1/payments/bank/notify", secure::RandomToken(32)};
  return WritePrivateFile(file, pay::PaymentConfigJson(c) + "\n");
}

int CmdDemo(const Flags& f, std::ostream& out, std::ostream& err) {
  app::DemoOptions opt;
  try {
    if (f.Has("dossiers")) opt.dossiers = std::stoll(f.Get("dossiers"));
    if (f.Has("seed")) opt.seed = std::stoull(f.Get("seed"));
  } catch (const std::exception&) {
    err << "motcua: --dossiers and --seed take whole numbers\n";
    return 2;
  }
  if (opt.dossiers < 0 || opt.dossiers > 20'000'000) {
    err << "motcua: --dossiers must be between 0 and 20000000\n";
    return 2;
  }
  const Timestamp now = SystemClock().Now();
  opt.until = ToVietnamLocal(now).date;
  opt.stop_at = now;  // never simulate the future
  if (f.Has("until")) {
    auto d = ParseIsoDate(f.Get("until"));
    if (!d) {
      err << "motcua: --until takes a date YYYY-MM-DD\n";
      return 2;
    }
    opt.until = *d;
  }
  if (f.Has("reset") && !f.Has("db")) {
    std::error_code ec;
    for (const char* name : {"motcua.db", "motcua.db-wal", "motcua.db-shm", "credentials.json"}) {
      fs::remove(fs::path(Location(f)) / name, ec);
    }
  }
  auto s = OpenStore(f, true);
  if (!s) return Report(err, s.error());
  if (auto head = (*s)->HeadSeq(); head && *head > 0) {
    auto stats = (*s)->Stats();
    if (stats && stats->dossiers > 0) {
      err << "motcua: " << Location(f) << " already holds dossiers; use --reset or another --dir\n";
      return 2;
    }
  }
  auto n = InitStore(**s, f);
  if (!n) return Report(err, n.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  FixedClock clock(FromVietnamLocal(opt.from, 0));
  opt.progress = [&](int64_t done, int64_t total) {
    err << "motcua demo: " << done << "/" << total << " dossiers\n";
  };
  const auto t0 = std::chrono::steady_clock::now();
  auto stats = app::GenerateDemo(**s, *catalog, clock, opt);
  if (!stats) return Report(err, stats.error());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The demo's people: officers at a few units, the province's administrators, a handful of the
  // applicants as registered citizens, and two API tokens; their credentials go to a 0600 file.
  std::vector<std::string> citizens;
  if (auto rows = (*s)->ListDossiers({.limit = 5}); rows) {
    for (const auto& r : *rows) citizens.push_back(r.applicant_key);
  }
  SystemClock wall;
  auto kit = OpenAccounts(f, **s, *catalog, wall);
  if (!kit) return Report(err, kit.error());
  auto people = app::CreateDemoAccounts(*kit->accounts, **catalog, citizens);
  if (!people) return Report(err, people.error());
  auto docs = OpenDocuments(f, **s, *catalog, wall, PublicUrl(f));
  if (!docs) return Report(err, docs.error());
  auto certificates = IssueDemoCertificates(*docs->pki, **catalog, *people);
  if (!certificates) return Report(err, certificates.error());
  // Each demo citizen's data store holds one signed result, reusable in a later procedure.
  app::Lifecycle seeding(**s, *catalog, wall);
  seeding.SetResultIssuer(docs->documents.get());
  auto holdings = app::SeedDemoHoldings(**s, seeding, **catalog, *people);
  if (!holdings) return Report(err, holdings.error());
  const fs::path tokens = f.Has("db") ? fs::path(f.Get("credentials", "credentials.json"))
                                      : fs::path(Location(f)) / "credentials.json";
  if (auto w = WritePrivateFile(tokens, boost::json::serialize(*people) + "\n"); !w) {
    return Report(err, w.error());
  }
  if (auto w = WriteDemoPaymentConfig(f); !w) return Report(err, w.error());
  boost::json::object channels;
  for (const auto& [k, v] : stats->by_channel) channels[k] = v;
  out << boost::json::serialize(
             boost::json::object{{"dossiers", stats->dossiers},
                                 {"actions", stats->actions},
                                 {"events", stats->events},
                                 {"returned", stats->returned},
                                 {"refused", stats->refused},
                                 {"withdrawn", stats->withdrawn},
                                 {"cancelled", stats->cancelled},
                                 {"supplement_requests", stats->supplements},
                                 {"finished_late", stats->late},
                                 {"open_actions", stats->open},
                                 {"reorganisation_transfers", stats->reorganisation_transfers},
                                 {"by_channel", channels},
                                 {"seconds", secs},
                                 {"dossiers_per_second", secs > 0 ? stats->dossiers / secs : 0.0},
                                 {"certificates", *certificates},
                                 {"holdings", *holdings},
                                 {"credentials", tokens.string()}})
      << "\n";
  return 0;
}

std::atomic<http::Server*> g_server{nullptr};
extern "C" void OnSignal(int) {
  if (auto* s = g_server.load()) s->Stop();
}

int CmdServe(const Flags& f, std::ostream& out, std::ostream& err) {
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  SystemClock clock;
  app::Lifecycle lifecycle(**s, *catalog, clock);
  auto kit = OpenAccounts(f, **s, *catalog, clock);
  if (!kit) return Report(err, kit.error());
  http::AccountAuthenticator auth(*kit->accounts);
  // The lookup keys are MACs under the same server key (a second handle on the key file).
  auto lookup_key = secure::SecretKey::LoadOrCreate(KeyFile(f));
  if (!lookup_key) return Report(err, lookup_key.error());
  const app::BlobStore blobs(FilesDir(f));
  app::Files files(**s, blobs, lifecycle.access(), clock);
  app::Drafts drafts(**s, lifecycle.access(), clock);
  app::Lookup lookup(**s, *catalog, clock, *lookup_key);
  app::CalendarAdmin calendar(**s, *catalog, lifecycle.access(), clock);
  auto docs = OpenDocuments(f, **s, *catalog, clock, PublicUrl(f));
  if (!docs) return Report(err, docs.error());
  lifecycle.SetResultIssuer(docs->documents.get());
  // Payments are on when the settings file exists (the demo writes one); otherwise their routes
  // answer 503 service.unavailable.
  std::unique_ptr<app::Payments> payments;
  if (const fs::path pc = PaymentConfigFile(f); fs::exists(pc)) {
    auto config = pay::LoadPaymentConfig(pc);
    if (!config) return Report(err, config.error());
    payments =
        std::make_unique<app::Payments>(lifecycle, std::move(*config), docs->documents.get());
  } else {
    err << "motcua: no " << pc.string() << ": online payment is off\n";
  }
  app::Holdings holdings(**s, lifecycle.access(), clock);
  // Counter digitisation: OCR of uploaded scans in background workers (app/digitise.h).
  app::Scans scans(**s, lifecycle, clock);
  int ocr_workers = 1;
  try {
    if (f.Has("ocr-workers")) ocr_workers = std::stoi(f.Get("ocr-workers"));
  } catch (const std::exception&) {
    ocr_workers = -1;
  }
  if (ocr_workers < 0 || ocr_workers > 16) {
    err << "motcua: --ocr-workers takes a number 0..16\n";
    return 2;
  }
  std::unique_ptr<app::Digitiser> digitiser;
  if (ocr_workers > 0) {
    app::DigitiserOptions dopt;
    dopt.workers = ocr_workers;
    digitiser = std::make_unique<app::Digitiser>(
        **s, [&files](const domain::FileRef& ref) { return files.Bytes(ref); },
        app::TesseractRecognisers({}), clock, dopt);
    if (auto started = digitiser->Start(); !started) {
      err << "motcua: OCR is off: " << started.error().ToString() << "\n";
      digitiser.reset();
    }
  }
  // An upload wakes the feeder at once instead of at its next poll.
  if (app::Digitiser* d = digitiser.get()) files.SetOnUpload([d] { d->Notify(); });
  http::ServerOptions opt;
  opt.services = {&files,           &drafts,
                  &lookup,          &calendar,
                  docs->pki.get(),  docs->documents.get(),
                  payments.get(),   &holdings,
                  &scans};
  if (f.Has("tls-cert")) opt.tls_cert_file = f.Get("tls-cert");
  if (f.Has("tls-key")) opt.tls_key_file = f.Get("tls-key");
  if (f.Has("trust-proxy")) opt.trusted_proxies = SplitList(f.Get("trust-proxy"));
  store::Store* st = s->get();
  opt.gauges.push_back({"motcua_store_pending_writes",
                        "Write transactions waiting for the store's writer thread",
                        [st] { return static_cast<double>(st->PendingWrites()); }});
  if (app::Digitiser* d = digitiser.get()) {
    opt.gauges.push_back({"motcua_ocr_queued_jobs", "OCR jobs held in memory for the workers",
                          [d] { return static_cast<double>(d->Stats().queued); }});
    opt.gauges.push_back({"motcua_ocr_running_jobs", "OCR jobs being recognised now",
                          [d] { return static_cast<double>(d->Stats().running); }});
    opt.gauges.push_back({"motcua_ocr_pending_files", "Uploaded scans waiting for OCR (durable backlog)",
                          [d] { return static_cast<double>(d->PendingGauge()); }});
    opt.gauges.push_back({"motcua_ocr_pages_recognised", "Pages recognised since start",
                          [d] { return static_cast<double>(d->Stats().pages); }});
  }
  opt.ready = [st] { return st->HeadSeq().has_value(); };
  opt.listen = f.Get("listen", "127.0.0.1:8080");
  opt.messages_file = DataDir(f) / "messages.json";
  opt.static_dir = f.Get("static", fs::exists("web/dist") ? "web/dist" : "");
  try {
    if (f.Has("threads")) opt.threads = std::stoi(f.Get("threads"));
  } catch (const std::exception&) {
    err << "motcua: --threads takes a number\n";
    return 2;
  }
  http::Server server(lifecycle, auth, opt, kit->accounts.get());
  if (auto r = server.Start(); !r) return Report(err, r.error());
  std::string host = opt.listen.substr(0, opt.listen.rfind(':'));
  if (host == "127.0.0.1" || host == "0.0.0.0" || host.empty()) host = "localhost";
  const bool tls = !opt.tls_cert_file.empty();
  out << "motcua: serving " << (tls ? "https" : "http") << "://" << host << ":" << server.port()
      << "/  (API: /api/v1/, OpenAPI: /api/openapi.json)" << std::endl;
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  server.Run();
  g_server = nullptr;
  if (digitiser) digitiser->Stop();
  return 0;
}

int CmdVerify(const Flags& f, std::ostream& out, std::ostream& err) {
  auto s = OpenStore(f, false, true);
  if (!s) return Report(err, s.error());
  auto report = app::Verify(**s);
  if (!report) return Report(err, report.error());
  out << boost::json::serialize(boost::json::object{{"events", report->events},
                                                    {"chain", "ok"},
                                                    {"dossiers", report->dossiers},
                                                    {"catalogue_rows", report->catalog_rows},
                                                    {"mismatches", report->mismatches},
                                                    {"first_mismatch", report->first_mismatch}})
      << "\n";
  if (report->mismatches > 0) {
    err << "motcua: error: projections differ from the log (" << report->first_mismatch << ")\n";
    return 1;
  }
  return 0;
}

// motcua blobs gc: removes the blob files that no catalogue row blob/<sha256> names and that are
// older than --min-age-hours (default 24), and stale temporary files; prints the counts as JSON.
// Refuses to run on a projection from before the blob rows (motcua rebuild first), since every
// blob would then look unreferenced.
int CmdBlobs(const Flags& f, std::ostream& out, std::ostream& err) {
  if (f.positional.size() != 2 || f.positional[1] != "gc") {
    err << "motcua: usage: motcua blobs gc [--dir D | --db URL] [--files DIR] "
           "[--min-age-hours H] [--dry-run]\n";
    return 2;
  }
  int64_t hours = 24;
  if (f.Has("min-age-hours")) {
    const std::string h = f.Get("min-age-hours");
    if (h.empty() || h.size() > 6 || h.find_first_not_of("0123456789") != std::string::npos) {
      err << "motcua: --min-age-hours takes a whole number of hours\n";
      return 2;
    }
    hours = std::stoll(h);
  }
  auto s = OpenStore(f, false, true);
  if (!s) return Report(err, s.error());
  const app::BlobStore blobs(FilesDir(f));
  std::string after;
  for (;;) {
    auto page = (*s)->ListCatalogPage("file", "", after, 1000);
    if (!page) return Report(err, page.error());
    for (const store::CatalogRow& row : *page) {
      auto doc = json::Parse(row.doc);
      const std::string sha = doc && doc->is_object()
                                  ? json::OptString(doc->get_object(), "sha256").value_or("")
                                  : "";
      auto blob = (*s)->GetCatalog("blob", sha);
      if (!blob) return Report(err, blob.error());
      if (!*blob) {
        return Report(err, Error{ErrorCode::kFailedPrecondition, "blob.projection_stale",
                                 "file " + row.key + " has no blob row; run motcua rebuild", {}});
      }
    }
    if (page->size() < 1000) break;
    after = page->back().key;
  }
  store::GcOptions options;
  options.min_age = std::chrono::hours(hours);
  options.dry_run = f.Has("dry-run");
  auto report = blobs.CollectGarbage(
      [&](std::string_view sha) -> Result<bool> {
        auto row = (*s)->GetCatalog("blob", sha);
        if (!row) return std::unexpected(row.error());
        return row->has_value();
      },
      options);
  if (!report) return Report(err, report.error());
  out << boost::json::serialize(boost::json::object{{"dry_run", options.dry_run},
                                                    {"min_age_hours", hours},
                                                    {"scanned", report->scanned},
                                                    {"referenced", report->referenced},
                                                    {"fresh", report->fresh},
                                                    {"removed", report->removed},
                                                    {"removed_bytes", report->removed_bytes},
                                                    {"temp_removed", report->temp_removed},
                                                    {"temp_bytes", report->temp_bytes},
                                                    {"foreign", report->foreign}})
      << "\n";
  return 0;
}

int CmdRebuild(const Flags& f, std::ostream& out, std::ostream& err) {
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  if (auto chain = store::VerifyChain(**s); !chain) return Report(err, chain.error());
  auto n = app::Rebuild(**s);
  if (!n) return Report(err, n.error());
  out << "{\"replayed_events\":" << *n << "}\n";
  return 0;
}

int CmdExport(const Flags& f, std::ostream& out, std::ostream& err) {
  if (f.positional.size() < 2 || f.positional[1] != "events") {
    err << "motcua: usage: motcua export events [--out FILE] [--after SEQ]\n";
    return 2;
  }
  int64_t after = 0;
  try {
    if (f.Has("after")) after = std::stoll(f.Get("after"));
  } catch (const std::exception&) {
    err << "motcua: --after takes a sequence number\n";
    return 2;
  }
  auto s = OpenStore(f, false, true);
  if (!s) return Report(err, s.error());
  std::ofstream file;
  std::ostream* o = &out;
  if (f.Has("out")) {
    file.open(f.Get("out"), std::ios::trunc);
    if (!file)
      return Report(err, Error{ErrorCode::kUnavailable, "cli.cannot_write", f.Get("out"), {}});
    o = &file;
  }
  int64_t n = 0;
  auto r = (*s)->ForEachEvent(after, [&](const Event& e) -> Result<void> {
    *o << EventToJsonLine(e) << '\n';
    ++n;
    return {};
  });
  if (!r) return Report(err, r.error());
  o->flush();
  if (!*o) return Report(err, Error{ErrorCode::kUnavailable, "cli.cannot_write", "output", {}});
  if (f.Has("out")) out << "{\"exported\":" << n << ",\"file\":\"" << f.Get("out") << "\"}\n";
  return 0;
}

// Reads a password from a file (first line), so that it never appears in the process list or
// shell history; "-" reads standard input.
Result<std::string> ReadPasswordFile(const std::string& path) {
  std::string line;
  if (path == "-") {
    std::getline(std::cin, line);
  } else {
    std::ifstream in(path);
    if (!in) return Fail(ErrorCode::kUnavailable, "data.unreadable", path);
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

boost::json::object AccountJson(const domain::Account& a) {
  boost::json::array roles;
  for (const auto& r : a.roles) roles.emplace_back(r);
  return {{"id", a.id},
          {"kind", domain::AccountKindName(a.kind)},
          {"login", a.login},
          {"name", a.name},
          {"unit", a.unit},
          {"roles", std::move(roles)},
          {"disabled", a.disabled},
          {"totp_enrolled", a.totp_enrolled}};
}

int CmdAccount(const Flags& f, std::ostream& out, std::ostream& err) {
  const std::string sub = f.positional.size() > 1 ? f.positional[1] : "";
  if (sub != "create-officer" && sub != "list") {
    err << "motcua: usage: motcua account create-officer|list …\n";
    return 2;
  }
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  SystemClock clock;
  auto kit = OpenAccounts(f, **s, *catalog, clock);
  if (!kit) return Report(err, kit.error());
  if (sub == "list") {
    std::string after;
    for (;;) {
      auto page = kit->accounts->List(CliActor(), after, 500);
      if (!page) return Report(err, page.error());
      for (const auto& a : *page) out << boost::json::serialize(AccountJson(a)) << "\n";
      if (page->size() < 500) return 0;
      after = page->back().id;
    }
  }
  for (const char* needed : {"login", "name", "unit", "roles", "password-file"}) {
    if (!f.Has(needed)) {
      err << "motcua: account create-officer needs --" << needed << "\n";
      return 2;
    }
  }
  auto password = ReadPasswordFile(f.Get("password-file"));
  if (!password) return Report(err, password.error());
  app::NewOfficer o{f.Get("login"), f.Get("name"),  f.Get("unit"), SplitList(f.Get("roles")),
                    f.Get("email"), f.Get("phone"), *password};
  auto a = kit->accounts->CreateOfficer(CliActor(), o);
  if (!a) return Report(err, a.error());
  out << boost::json::serialize(AccountJson(*a)) << "\n";
  return 0;
}

int CmdToken(const Flags& f, std::ostream& out, std::ostream& err) {
  const std::string sub = f.positional.size() > 1 ? f.positional[1] : "";
  if (sub != "issue" && sub != "revoke") {
    err << "motcua: usage: motcua token issue|revoke …\n";
    return 2;
  }
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  SystemClock clock;
  auto kit = OpenAccounts(f, **s, *catalog, clock);
  if (!kit) return Report(err, kit.error());
  if (sub == "revoke") {
    if (!f.Has("id")) {
      err << "motcua: token revoke needs --id\n";
      return 2;
    }
    if (auto r = kit->accounts->RevokeApiToken(CliActor(), f.Get("id")); !r) {
      return Report(err, r.error());
    }
    out << "{\"revoked\":\"" << f.Get("id") << "\"}\n";
    return 0;
  }
  for (const char* needed : {"name", "unit", "roles", "scopes"}) {
    if (!f.Has(needed)) {
      err << "motcua: token issue needs --" << needed << "\n";
      return 2;
    }
  }
  std::optional<Timestamp> expires;
  if (f.Has("expires")) {
    auto t = ParseIsoDateTime(f.Get("expires"));
    if (!t) return Report(err, t.error());
    expires = *t;
  }
  auto t =
      kit->accounts->IssueApiToken(CliActor(), f.Get("name"), f.Get("unit"),
                                   SplitList(f.Get("roles")), SplitList(f.Get("scopes")), expires);
  if (!t) return Report(err, t.error());
  // The token is shown once, on standard output only.
  out << boost::json::serialize(boost::json::object{
             {"token", t->token}, {"token_id", t->token_id}, {"account", t->service.id}})
      << "\n";
  return 0;
}

int CmdAudit(const Flags& f, std::ostream& out, std::ostream& err) {
  const std::string sub = f.positional.size() > 1 ? f.positional[1] : "";
  if (sub != "query" && sub != "verify") {
    err << "motcua: usage: motcua audit query|verify …\n";
    return 2;
  }
  auto s = OpenStore(f, false, true);
  if (!s) return Report(err, s.error());
  if (sub == "verify") {
    auto n = store::VerifyChain(**s);
    if (!n) return Report(err, n.error());
    out << "{\"chain\":\"ok\",\"events\":" << *n << "}\n";
    return 0;
  }
  store::EventQuery q;
  if (f.Has("actor")) q.actor = f.Get("actor");
  if (f.Has("unit")) q.unit = f.Get("unit");
  if (f.Has("type")) q.type = f.Get("type");
  if (f.Has("stream")) q.stream_prefix = f.Get("stream");
  for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    if (f.Has(name)) {
      auto t = ParseIsoDateTime(f.Get(name));
      if (!t) return Report(err, t.error());
      *field = *t;
    }
  }
  int64_t limit = 1000;
  try {
    if (f.Has("after")) q.after_seq = std::stoll(f.Get("after"));
    if (f.Has("limit")) limit = std::stoll(f.Get("limit"));
  } catch (const std::exception&) {
    err << "motcua: --after and --limit take whole numbers\n";
    return 2;
  }
  // Pages of up to 10,000 until the limit or the end of the trail.
  while (limit > 0) {
    q.limit = static_cast<int>(std::min<int64_t>(limit, 10000));
    auto events = app::QueryTrail(**s, q);
    if (!events) return Report(err, events.error());
    for (const Event& e : *events) out << EventToJsonLine(e) << "\n";
    limit -= static_cast<int64_t>(events->size());
    if (static_cast<int>(events->size()) < q.limit) break;
    q.after_seq = events->back().seq;
  }
  return 0;
}

// Reads a whole file (a PDF to sign or verify). Error cli.cannot_read.
Result<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, "cli.cannot_read", path.string());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

boost::json::object CertificateJson(const app::CertificateRecord& c) {
  boost::json::object o = c.ToJson();
  o.erase("pem");
  o["not_before"] = FormatIsoUtc(c.not_before);
  o["not_after"] = FormatIsoUtc(c.not_after);
  return o;
}

// `motcua pay reconcile --date YYYY-MM-DD --file STATEMENT.csv`: the bank's statement of a day
// matched against the recorded payments (app/payments.h); prints the report as JSON and records
// it. Exit 2 on bad usage or a malformed statement.
int CmdPayReconcile(const Flags& f, std::ostream& out, std::ostream& err) {
  auto date = ParseIsoDate(f.Get("date", ""));
  if (!date || !f.Has("file")) {
    err << "motcua: usage: motcua pay reconcile --date YYYY-MM-DD --file STATEMENT.csv\n";
    return 2;
  }
  std::ifstream in(f.Get("file"), std::ios::binary);
  if (!in) {
    err << "motcua: cannot read " << f.Get("file") << "\n";
    return 2;
  }
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  SystemClock clock;
  app::Lifecycle lifecycle(**s, *catalog, clock);
  // Reconciliation needs no gateway or bank secret: the settings only identify the account.
  pay::PaymentConfig config;
  if (const fs::path pc = PaymentConfigFile(f); fs::exists(pc)) {
    auto loaded = pay::LoadPaymentConfig(pc);
    if (!loaded) return Report(err, loaded.error());
    config = std::move(*loaded);
  }
  app::Payments payments(lifecycle, std::move(config), nullptr);
  auto report = payments.Reconcile(CliActor(), *date, csv);
  if (!report) {
    if (report.error().key.starts_with("statement.")) {
      err << boost::json::serialize(boost::json::object{{"code", report.error().key},
                                                        {"detail", report.error().detail}})
          << "\n";
      return 2;
    }
    return Report(err, report.error());
  }
  out << boost::json::serialize(*report) << "\n";
  return 0;
}

int CmdPki(const Flags& f, std::ostream& out, std::ostream& err) {
  const std::string sub = f.positional.size() > 1 ? f.positional[1] : "";
  static const std::set<std::string> kSubs{"init", "issue", "revoke", "list",
                                           "ca",   "crl",   "sign",   "verify"};
  if (!kSubs.contains(sub)) {
    err << "motcua: usage: motcua pki init|issue|revoke|list|ca|crl|sign|verify …\n";
    return 2;
  }
  auto s = OpenStore(f, false);
  if (!s) return Report(err, s.error());
  auto catalog = app::Catalog::Load(**s, DataDir(f));
  if (!catalog) return Report(err, catalog.error());
  SystemClock clock;
  auto kit = OpenDocuments(f, **s, *catalog, clock, PublicUrl(f));
  if (!kit) return Report(err, kit.error());
  app::Pki& pki = *kit->pki;
  auto needs = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      if (!f.Has(n)) {
        err << "motcua: pki " << sub << " needs --" << n << "\n";
        return false;
      }
    }
    return true;
  };
  if (sub == "init") {
    auto cas = pki.Init(CliActor());
    if (!cas) return Report(err, cas.error());
    for (const auto& c : *cas) out << boost::json::serialize(CertificateJson(c)) << "\n";
    return 0;
  }
  if (sub == "issue") {
    if (!needs({"holder", "kind"})) return 2;
    auto kind = sign::ParseCertKind(f.Get("kind"));
    if (!kind) return Report(err, kind.error());
    int years = 2;
    try {
      years = std::stoi(f.Get("years", "2"));
    } catch (const std::exception&) {
      err << "motcua: --years takes a number from 1 to 5\n";
      return 2;
    }
    auto c = pki.Issue(CliActor(),
                       {*kind, f.Get("holder"), f.Get("position"), f.Get("identifier"), years});
    if (!c) return Report(err, c.error());
    out << boost::json::serialize(CertificateJson(*c)) << "\n";
    return 0;
  }
  if (sub == "revoke") {
    if (!needs({"serial", "reason"})) return 2;
    auto c = pki.Revoke(CliActor(), f.Get("serial"), f.Get("reason"), f.Has("key-compromise"));
    if (!c) return Report(err, c.error());
    out << boost::json::serialize(CertificateJson(*c)) << "\n";
    return 0;
  }
  if (sub == "list") {
    auto list = pki.List(CliActor(), f.Get("holder"));
    if (!list) return Report(err, list.error());
    for (const auto& c : *list) out << boost::json::serialize(CertificateJson(c)) << "\n";
    return 0;
  }
  auto write = [&](const std::string& bytes) -> int {
    if (!f.Has("out")) {
      out << bytes;
      return 0;
    }
    std::ofstream file(f.Get("out"), std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file.flush())
      return Report(err, Error{ErrorCode::kUnavailable, "cli.cannot_write", f.Get("out"), {}});
    return 0;
  };
  if (sub == "ca") {
    auto cas = pki.Authorities();
    if (!cas) return Report(err, cas.error());
    std::string pem;
    for (const auto& c : *cas) pem += sign::ToPem(c.der, "CERTIFICATE");
    return write(pem);
  }
  if (sub == "crl") {
    if (!needs({"out"})) return 2;
    auto crl = pki.Crl();
    if (!crl) return Report(err, crl.error());
    return write(*crl);
  }
  if (f.positional.size() != 3) {
    err << "motcua: usage: motcua pki " << sub << " FILE …\n";
    return 2;
  }
  auto pdf = ReadWholeFile(f.positional[2]);
  if (!pdf) return Report(err, pdf.error());
  if (sub == "verify") {
    auto v = kit->documents->Verify(*pdf);
    if (!v) return Report(err, v.error());
    out << boost::json::serialize(v->ToJson()) << "\n";
    return v->Verdict() == "valid" ? 0 : 3;
  }
  if (!needs({"holder", "out"})) return 2;
  auto signed_pdf = kit->documents->SignAs(CliActor(), f.Get("holder"), *pdf, f.Get("title"));
  if (!signed_pdf) return Report(err, signed_pdf.error());
  if (int rc = write(signed_pdf->second); rc != 0) return rc;
  err << "motcua: signed " << signed_pdf->first.id << " (verification code "
      << signed_pdf->first.verify_code << ")\n";
  return 0;
}

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string& cmd = args[0];
  if (cmd == "totp") {
    // The current code for a Base32 secret (a stand-in authenticator app for the demo's
    // officers, whose secrets are in credentials.json).
    if (args.size() != 2) {
      err << "usage: motcua totp BASE32_SECRET\n";
      return 2;
    }
    auto secret = secure::Base32Decode(args[1]);
    if (!secret) return Report(err, secret.error());
    const int64_t now = SystemClock().Now().us / 1'000'000;
    auto code = secure::Totp(*secret, now);
    if (!code) return Report(err, code.error());
    out << *code << "\n";
    return 0;
  }
  if (cmd == "calendar") {
    auto f = ParseFlags(args, 1, err);
    std::vector<std::string> rest(args.begin() + 1, args.end());
    // --data is ours; the calendar command sees the rest.
    std::vector<std::string> cal_args;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == "--data" && i + 1 < rest.size()) {
        ++i;
        continue;
      }
      cal_args.push_back(rest[i]);
    }
    return RunCalendarCommand(cal_args, f ? DataDir(*f) : DataDir(Flags{}), out, err);
  }
  if (cmd == "ocr") return RunOcrCommand({args.begin() + 1, args.end()}, out, err);
  if (cmd == "pay") {
    const int code = RunPayCommand({args.begin() + 1, args.end()}, out, err);
    if (code != -1) return code;
    if (args.size() > 1 && args[1] == "reconcile") {
      auto f = ParseFlags(args, 0, err);
      if (!f) return 2;
      for (const auto& [k, _] : f->values) {
        if (k != "dir" && k != "db" && k != "data" && k != "date" && k != "file") {
          err << "motcua: pay reconcile: unknown option --" << k.substr(0, 40) << "\n";
          return 2;
        }
      }
      return CmdPayReconcile(*f, out, err);
    }
    err << "motcua: unknown pay subcommand\n";
    return 2;
  }
  auto f = ParseFlags(args, 0, err);
  if (!f) return 2;
  static const std::map<std::string, std::vector<std::string>> kAllowed = {
      {"init", {"dir", "db", "data", "units"}},
      {"demo",
       {"dir", "db", "data", "units", "dossiers", "seed", "until", "reset", "credentials", "key",
        "outbox", "files", "algorithm", "public-url", "payment-config", "gateway-url"}},
      {"serve",
       {"dir", "db", "data", "listen", "static", "threads", "key", "outbox", "files", "tls-cert",
        "tls-key", "trust-proxy", "public-url", "payment-config", "ocr-workers"}},
      {"pki",
       {"dir", "db", "data", "key", "files", "algorithm", "holder", "kind", "position",
        "identifier", "years", "serial", "reason", "key-compromise", "out", "title", "public-url"}},
      {"account",
       {"dir", "db", "data", "key", "outbox", "login", "name", "unit", "roles", "password-file",
        "email", "phone"}},
      {"token",
       {"dir", "db", "data", "key", "outbox", "name", "unit", "roles", "scopes", "expires", "id"}},
      {"audit", {"dir", "db", "actor", "unit", "type", "stream", "from", "to", "after", "limit"}},
      {"verify", {"dir", "db"}},
      {"rebuild", {"dir", "db", "data"}},
      {"blobs", {"dir", "db", "files", "min-age-hours", "dry-run"}},
      {"export", {"dir", "db", "out", "after"}},
  };
  auto allowed = kAllowed.find(cmd);
  if (allowed == kAllowed.end()) {
    err << "motcua: unknown command '" << cmd.substr(0, 40) << "'\n" << kUsage;
    return 2;
  }
  for (const auto& [k, _] : f->values) {
    if (std::find(allowed->second.begin(), allowed->second.end(), k) == allowed->second.end()) {
      err << "motcua: " << cmd << ": unknown option --" << k.substr(0, 40) << "\n";
      return 2;
    }
  }
  if (f->Has("dir") && f->Has("db")) {
    err << "motcua: give --dir or --db, not both\n";
    return 2;
  }
  if (cmd == "init") return CmdInit(*f, out, err);
  if (cmd == "demo") return CmdDemo(*f, out, err);
  if (cmd == "serve") return CmdServe(*f, out, err);
  if (cmd == "verify") return CmdVerify(*f, out, err);
  if (cmd == "rebuild") return CmdRebuild(*f, out, err);
  if (cmd == "blobs") return CmdBlobs(*f, out, err);
  if (cmd == "account") return CmdAccount(*f, out, err);
  if (cmd == "token") return CmdToken(*f, out, err);
  if (cmd == "audit") return CmdAudit(*f, out, err);
  if (cmd == "pki") return CmdPki(*f, out, err);
  return CmdExport(*f, out, err);
}

}  // namespace motcua::cli
