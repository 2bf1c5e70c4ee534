#include "app/pki.h"

#include <algorithm>

#include "app/audit.h"
#include "app/projection.h"
#include "base/json.h"
#include "domain/account.h"

namespace motcua::app {
namespace bj = boost::json;

namespace {

constexpr int64_t kDaysPerYear = 365;

bj::object SubjectJson(const sign::Subject& s) {
  return {{"common_name", s.common_name},
          {"organisation", s.organisation},
          {"unit", s.unit},
          {"position", s.position},
          {"identifier", s.identifier},
          {"province", s.province},
          {"email", s.email}};
}

sign::Subject SubjectFrom(const bj::object& o) {
  sign::Subject s;
  s.common_name = json::OptString(o, "common_name").value_or("");
  s.organisation = json::OptString(o, "organisation").value_or("");
  s.unit = json::OptString(o, "unit").value_or("");
  s.position = json::OptString(o, "position").value_or("");
  s.identifier = json::OptString(o, "identifier").value_or("");
  s.province = json::OptString(o, "province").value_or("");
  s.email = json::OptString(o, "email").value_or("");
  return s;
}

bj::object RevocationJson(const sign::Revocation& r) {
  return {{"serial", r.serial_hex},
          {"at", r.at.us},
          {"reason", r.reason},
          {"key_compromise", r.key_compromise}};
}

Error BadEvent(const Event& e) {
  return Error{ErrorCode::kDataLoss, "projection.bad_event", e.type + " " + e.stream, {}};
}

std::string SealContext(const std::string& serial) { return "signing_key/" + serial; }

Result<CertificateRecord> ParseRecord(const std::string& doc) {
  auto parsed = json::Parse(doc);
  if (!parsed || !parsed->is_object())
    return Fail(ErrorCode::kDataLoss, "store.corrupt", "certificate");
  return CertificateRecord::FromJson(parsed->get_object());
}

}  // namespace

bj::object CertificateRecord::ToJson() const {
  bj::object o{{"serial", serial},
               {"kind", sign::CertKindName(kind)},
               {"holder", holder},
               {"unit", unit},
               {"algorithm", algorithm},
               {"subject", SubjectJson(subject)},
               {"issuer_serial", issuer_serial},
               {"not_before", not_before.us},
               {"not_after", not_after.us},
               {"pem", sign::ToPem(der, "CERTIFICATE")}};
  if (revoked) o["revoked"] = RevocationJson(*revoked);
  return o;
}

Result<CertificateRecord> CertificateRecord::FromJson(const bj::object& o) {
  CertificateRecord r;
  auto serial = json::String(o, "serial");
  auto kind = json::String(o, "kind");
  auto pem = json::String(o, "pem");
  auto from = json::Int(o, "not_before");
  auto to = json::Int(o, "not_after");
  if (!serial || !kind || !pem || !from || !to) {
    return Fail(ErrorCode::kDataLoss, "pki.bad_record", "certificate");
  }
  auto k = sign::ParseCertKind(*kind);
  auto der = sign::FromPem(*pem);
  if (!k || !der) return Fail(ErrorCode::kDataLoss, "pki.bad_record", *serial);
  r.serial = *serial;
  r.kind = *k;
  r.der = std::move(*der);
  r.not_before = Timestamp{*from};
  r.not_after = Timestamp{*to};
  r.holder = json::OptString(o, "holder").value_or("");
  r.unit = json::OptString(o, "unit").value_or("");
  r.algorithm = json::OptString(o, "algorithm").value_or("");
  r.issuer_serial = json::OptString(o, "issuer_serial").value_or("");
  if (const auto* s = o.if_contains("subject"); s && s->is_object())
    r.subject = SubjectFrom(s->get_object());
  if (const auto* v = o.if_contains("revoked"); v && v->is_object()) {
    const bj::object& rv = v->get_object();
    auto at = json::Int(rv, "at");
    if (!at) return Fail(ErrorCode::kDataLoss, "pki.bad_record", *serial);
    r.revoked =
        sign::Revocation{r.serial, Timestamp{*at}, json::OptString(rv, "reason").value_or(""),
                         rv.contains("key_compromise") && rv.at("key_compromise").is_bool() &&
                             rv.at("key_compromise").get_bool()};
  }
  return r;
}

Result<std::string> ApplyCertificateEvent(const std::optional<std::string>& doc, const Event& e) {
  if (e.type == "CertificateIssued") {
    const auto* c = e.payload.if_contains("certificate");
    if (c == nullptr || !c->is_object()) return std::unexpected(BadEvent(e));
    return bj::serialize(*c);
  }
  if (e.type == "CertificateRevoked") {
    if (!doc) return std::unexpected(BadEvent(e));
    auto parsed = json::Parse(*doc);
    const auto* r = e.payload.if_contains("revocation");
    if (!parsed || !parsed->is_object() || r == nullptr || !r->is_object()) {
      return std::unexpected(BadEvent(e));
    }
    parsed->get_object()["revoked"] = *r;
    return bj::serialize(*parsed);
  }
  return std::unexpected(BadEvent(e));
}

Result<CertificateRecord> Pki::IssueInTx(store::Tx& tx, const Actor& actor, sign::CertKind kind,
                                         sign::Subject subject, const std::string& holder,
                                         const std::string& unit, int64_t days,
                                         const CertificateRecord* issuer) {
  const Timestamp now = clock_.Now();
  auto key = sign::GenerateKey(options_.algorithm);
  if (!key) return std::unexpected(key.error());
  subject.province = options_.province;
  CertificateRecord r;
  r.serial = sign::RandomSerial();
  r.kind = kind;
  r.holder = holder;
  r.unit = unit;
  r.algorithm = std::string(sign::KeyAlgorithmName(options_.algorithm));
  r.subject = subject;
  r.issuer_serial = issuer ? issuer->serial : "";
  r.not_before = Timestamp{now.us - kMicrosPerMinute};  // a little slack for clock skew
  r.not_after = Timestamp{now.us + days * kMicrosPerDay};
  std::string issuer_key;
  if (issuer) {
    // Read inside the transaction: the issuer may have been created in it (Init).
    auto row = tx.GetSecret("signing_key", issuer->serial);
    if (!row) return std::unexpected(row.error());
    auto k = OpenKey(*row, issuer->serial);
    if (!k) return std::unexpected(k.error());
    issuer_key = std::move(*k);
  }
  auto der =
      sign::IssueCertificate({kind, subject, r.serial, r.not_before, r.not_after, options_.crl_url},
                             *key, issuer ? issuer->der : "", issuer ? issuer_key : *key);
  if (!der) return std::unexpected(der.error());
  r.der = std::move(*der);

  if (auto put = tx.PutSecret(
          {"signing_key", r.serial,
           bj::serialize(bj::object{{"sealed", kek_.Seal(*key, SealContext(r.serial))}}),
           std::nullopt});
      !put) {
    return std::unexpected(put.error());
  }
  NewEvent n;
  n.stream = "certificate/" + r.serial;
  n.type = "CertificateIssued";
  n.unit = unit;
  n.actor = actor.Ref();
  n.at = now;
  n.payload["certificate"] = r.ToJson();
  auto e = tx.Append(std::move(n));
  if (!e) return std::unexpected(e.error());
  if (auto p = Project(tx, *e, false); !p) return std::unexpected(p.error());
  if (auto a = AuditInTx(tx, actor, {"certificate.manage", "certificate/" + r.serial, unit}, now,
                         e->seq, e->seq);
      !a) {
    return std::unexpected(a.error());
  }
  return r;
}

Result<std::vector<CertificateRecord>> Pki::Init(const Actor& actor) {
  if (auto allowed = access_.Check(actor, "certificate.manage", {}); !allowed) {
    return std::unexpected(allowed.error());
  }
  std::vector<CertificateRecord> out;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto existing = tx.GetCatalog("pki", "issuing");
    if (!existing) return std::unexpected(existing.error());
    if (*existing) return Fail(ErrorCode::kAlreadyExists, "pki.already_initialised");
    const int64_t days = options_.ca_years * kDaysPerYear;
    auto root = IssueInTx(tx, actor, sign::CertKind::kRootCa,
                          {.common_name = options_.authority_name + " Root CA",
                           .organisation = options_.authority_name},
                          "ca", "", days, nullptr);
    if (!root) return std::unexpected(root.error());
    auto issuing = IssueInTx(tx, actor, sign::CertKind::kIssuingCa,
                             {.common_name = options_.authority_name + " Issuing CA",
                              .organisation = options_.authority_name},
                             "ca", "", days - kDaysPerYear, &*root);
    if (!issuing) return std::unexpected(issuing.error());
    out = {std::move(*root), std::move(*issuing)};
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<CertificateRecord> Pki::Issue(const Actor& actor, const IssueRequest& req) {
  // Whether the actor manages certificates at all, before anything about the holder is said.
  if (auto allowed = access_.Check(actor, "certificate.manage", {{actor.unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (req.years < 1 || req.years > 5 ||
      (req.kind != sign::CertKind::kPersonal && req.kind != sign::CertKind::kOrganisation)) {
    return Fail(ErrorCode::kInvalidArgument, "pki.bad_params", "kind or years");
  }
  // Who the certificate is for, and the unit whose administrators may issue it.
  sign::Subject subject;
  std::string unit;
  std::string holder = req.holder;
  const auto& units = access_.catalog().units();
  if (req.kind == sign::CertKind::kPersonal && req.holder.starts_with("officer:")) {
    // The holder is the account id; a login is accepted and resolved to it.
    std::string id = req.holder.substr(8);
    auto by_login = store_.GetCatalog("account_login", id);
    if (!by_login) return std::unexpected(by_login.error());
    if (*by_login) {
      auto pointer = json::Parse((*by_login)->doc);
      if (pointer && pointer->is_object())
        id = json::OptString(pointer->get_object(), "id").value_or(id);
    }
    holder = "officer:" + id;
    auto row = store_.GetCatalog("account", id);
    if (!row) return std::unexpected(row.error());
    std::optional<domain::Account> account;
    if (*row) {
      auto doc = json::Parse((*row)->doc);
      if (doc && doc->is_object()) {
        if (auto a = domain::Account::FromJson(doc->get_object())) account = std::move(*a);
      }
    }
    if (!account || account->kind != domain::AccountKind::kOfficer || account->disabled) {
      return Fail(ErrorCode::kInvalidArgument, "pki.bad_holder", req.holder);
    }
    unit = account->unit;
    const domain::Unit* u = units.Find(unit);
    subject.common_name = account->name;
    subject.organisation = u ? u->name : unit;
    subject.position = req.position.empty() ? "Cán bộ" : req.position;
    subject.email = account->email;
  } else if (req.kind == sign::CertKind::kOrganisation && req.holder.starts_with("unit:")) {
    unit = req.holder.substr(5);
    const domain::Unit* u = units.Find(unit);
    if (!u) return Fail(ErrorCode::kInvalidArgument, "pki.bad_holder", req.holder);
    subject.common_name = u->name;
    subject.organisation = u->name;
    subject.identifier = req.identifier;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "pki.bad_holder", req.holder.substr(0, 80));
  }
  if (auto allowed = access_.Check(actor, "certificate.manage", {{unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto authorities = Authorities();
  if (!authorities) return std::unexpected(authorities.error());
  CertificateRecord out;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto c = IssueInTx(tx, actor, req.kind, subject, holder, unit, req.years * kDaysPerYear,
                       &authorities->back());
    if (!c) return std::unexpected(c.error());
    out = std::move(*c);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<CertificateRecord> Pki::Revoke(const Actor& actor, const std::string& serial,
                                      const std::string& reason, bool key_compromise) {
  if (reason.empty()) return Fail(ErrorCode::kInvalidArgument, "pki.reason_required");
  auto found = Find(serial);
  if (!found) return std::unexpected(found.error());
  if (!*found || (*found)->holder == "ca") {
    return Fail(ErrorCode::kNotFound, "pki.not_found", serial.substr(0, 40));
  }
  CertificateRecord rec = std::move(**found);
  if (auto allowed = access_.Check(actor, "certificate.manage", {{rec.unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto row = tx.GetCatalog("certificate", serial);
    if (!row) return std::unexpected(row.error());
    auto current = *row ? ParseRecord((*row)->doc) : Result<CertificateRecord>(rec);
    if (!current) return std::unexpected(current.error());
    if (current->revoked)
      return Fail(ErrorCode::kFailedPrecondition, "pki.already_revoked", serial);
    rec.revoked = sign::Revocation{serial, clock_.Now(), reason, key_compromise};
    NewEvent n;
    n.stream = "certificate/" + serial;
    n.type = "CertificateRevoked";
    n.unit = rec.unit;
    n.actor = actor.Ref();
    n.at = rec.revoked->at;
    n.payload["revocation"] = RevocationJson(*rec.revoked);
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return AuditInTx(tx, actor, {"certificate.manage", "certificate/" + serial, rec.unit},
                     rec.revoked->at, e->seq, e->seq);
  });
  if (!r) return std::unexpected(r.error());
  return rec;
}

Result<std::vector<CertificateRecord>> Pki::List(const Actor& actor, const std::string& holder) {
  if (auto allowed = access_.Check(actor, "certificate.read", {{actor.unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  std::vector<CertificateRecord> out;
  std::string after;
  for (;;) {
    auto page = store_.ListCatalogPage("holder_certificate", holder.empty() ? "" : holder + "/",
                                       after, 500);
    if (!page) return std::unexpected(page.error());
    for (const auto& row : *page) {
      auto rec = Find(row.key.substr(row.key.rfind('/') + 1));
      if (!rec) return std::unexpected(rec.error());
      if (!*rec) continue;
      // Administrators see the certificates of the units in their scope.
      if (access_.Check(actor, "certificate.read", {{(*rec)->unit}, false}))
        out.push_back(std::move(**rec));
    }
    if (page->size() < 500) break;
    after = page->back().key;
  }
  return out;
}

Result<std::optional<CertificateRecord>> Pki::Find(const std::string& serial) const {
  auto row = store_.GetCatalog("certificate", serial);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CertificateRecord>();
  auto rec = ParseRecord((*row)->doc);
  if (!rec) return std::unexpected(rec.error());
  return std::optional<CertificateRecord>(std::move(*rec));
}

Result<std::vector<CertificateRecord>> Pki::Authorities() const {
  std::vector<CertificateRecord> out;
  for (const char* which : {"root", "issuing"}) {
    auto row = store_.GetCatalog("pki", which);
    if (!row) return std::unexpected(row.error());
    if (!*row) return Fail(ErrorCode::kFailedPrecondition, "pki.not_initialised");
    auto doc = json::Parse((*row)->doc);
    auto serial =
        doc && doc->is_object() ? json::OptString(doc->get_object(), "serial") : std::nullopt;
    if (!serial) return Fail(ErrorCode::kDataLoss, "store.corrupt", "pki");
    auto rec = Find(*serial);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return Fail(ErrorCode::kDataLoss, "store.corrupt", *serial);
    out.push_back(std::move(**rec));
  }
  return out;
}

Result<std::string> Pki::Crl() const {
  auto authorities = Authorities();
  if (!authorities) return std::unexpected(authorities.error());
  auto rows = store_.ListCatalog("revocation");
  if (!rows) return std::unexpected(rows.error());
  std::vector<sign::Revocation> revoked;
  for (const auto& row : *rows) {
    auto rec = Find(row.key);
    if (!rec) return std::unexpected(rec.error());
    if (*rec && (*rec)->revoked) revoked.push_back(*(*rec)->revoked);
  }
  auto key = UnsealKey(authorities->back().serial);
  if (!key) return std::unexpected(key.error());
  const Timestamp now = clock_.Now();
  return sign::BuildCrl(authorities->back().der, *key, revoked, now,
                        Timestamp{now.us + 7 * kMicrosPerDay},
                        static_cast<int64_t>(revoked.size()) + 1);
}

Result<sign::TrustAnchors> Pki::Anchors() const {
  auto authorities = Authorities();
  if (!authorities) return std::unexpected(authorities.error());
  sign::TrustAnchors a;
  a.roots = {authorities->front().der};
  a.intermediates = {authorities->back().der};
  a.revocation = [this](const std::string& serial) -> std::optional<sign::Revocation> {
    auto rec = Find(serial);
    if (!rec || !*rec) return std::nullopt;
    return (*rec)->revoked;
  };
  return a;
}

Result<std::string> Pki::OpenKey(const std::optional<store::SecretRow>& row,
                                 const std::string& serial) const {
  if (!row) return Fail(ErrorCode::kFailedPrecondition, "pki.key_missing", serial);
  auto doc = json::Parse(row->doc);
  auto sealed =
      doc && doc->is_object() ? json::OptString(doc->get_object(), "sealed") : std::nullopt;
  if (!sealed) return Fail(ErrorCode::kDataLoss, "store.corrupt", "signing_key " + serial);
  return kek_.Open(*sealed, SealContext(serial));
}

Result<std::string> Pki::UnsealKey(const std::string& serial) const {
  auto row = store_.GetSecret("signing_key", serial);
  if (!row) return std::unexpected(row.error());
  return OpenKey(*row, serial);
}

Result<SigningKey> Pki::KeyFor(const std::string& holder) const {
  auto page = store_.ListCatalogPage("holder_certificate", holder + "/", "", 1000);
  if (!page) return std::unexpected(page.error());
  const Timestamp now = clock_.Now();
  std::optional<CertificateRecord> best;
  bool any_revoked = false;
  bool any = false;
  for (const auto& row : *page) {
    auto rec = Find(row.key.substr(row.key.rfind('/') + 1));
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) continue;
    any = true;
    if ((*rec)->revoked && (*rec)->revoked->at <= now) any_revoked = true;
    if ((*rec)->UsableAt(now) && (!best || best->not_before < (*rec)->not_before))
      best = std::move(**rec);
  }
  if (!best) {
    if (!any) return Fail(ErrorCode::kFailedPrecondition, "pki.no_certificate", holder);
    return Fail(ErrorCode::kFailedPrecondition,
                any_revoked ? "pki.certificate_revoked" : "pki.certificate_expired", holder);
  }
  auto authorities = Authorities();
  if (!authorities) return std::unexpected(authorities.error());
  auto key = UnsealKey(best->serial);
  if (!key) return std::unexpected(key.error());
  SigningKey out;
  out.signer = std::make_unique<sign::LocalKeySigner>(
      std::move(*key), best->der, std::vector<std::string>{authorities->back().der});
  out.certificate = std::move(*best);
  return out;
}

}  // namespace motcua::app
