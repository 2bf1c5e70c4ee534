#include "app/documents.h"

#include <fstream>
#include <tuple>

#include "app/audit.h"
#include "app/projection.h"
#include "base/json.h"
#include "secure/random.h"
#include "secure/totp.h"
#include "sign/pades.h"
#include "sign/verify.h"

namespace motcua::app {
namespace bj = boost::json;

namespace {

// 60 random bits in Base32 (12 characters): printed on documents, typed by people.
std::string NewVerifyCode() { return secure::Base32Encode(secure::RandomBytes(8)).substr(0, 12); }

std::string Replace(std::string text,
                    const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const std::string token = "{" + name + "}";
    for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
      text.replace(at, token.size(), value);
      at += value.size();
    }
  }
  return text;
}

Result<ResultTemplate> TemplateFrom(const bj::value& v, const std::string& where) {
  if (!v.is_object()) return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates", where);
  ResultTemplate t;
  t.title = json::OptString(v.get_object(), "title").value_or("");
  const auto* ps = v.get_object().if_contains("paragraphs");
  if (t.title.empty() || ps == nullptr || !ps->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates",
                where + ": title, paragraphs");
  }
  for (const auto& p : ps->get_array()) {
    if (!p.is_string()) return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates", where);
    t.paragraphs.emplace_back(p.get_string());
  }
  return t;
}

bool HasSignature(const SignedDocument& doc, std::string_view kind) {
  for (const auto& s : doc.signatures) {
    if (s.kind == kind) return true;
  }
  return false;
}

}  // namespace

bj::object DocumentSignature::ToJson() const {
  return {
      {"kind", kind},         {"serial", serial}, {"holder", holder}, {"signer_name", signer_name},
      {"position", position}, {"unit", unit},     {"at", at.us}};
}

DocumentSignature DocumentSignature::FromJson(const bj::object& o) {
  DocumentSignature s;
  s.kind = json::OptString(o, "kind").value_or("");
  s.serial = json::OptString(o, "serial").value_or("");
  s.holder = json::OptString(o, "holder").value_or("");
  s.signer_name = json::OptString(o, "signer_name").value_or("");
  s.position = json::OptString(o, "position").value_or("");
  s.unit = json::OptString(o, "unit").value_or("");
  s.at = Timestamp{json::Int(o, "at").value_or(0)};
  return s;
}

bj::object SignedDocument::ToJson() const {
  bj::array sigs;
  for (const auto& s : signatures) sigs.push_back(s.ToJson());
  return {{"id", id},
          {"purpose", purpose},
          {"dossier", dossier},
          {"title", title},
          {"unit", unit},
          {"verify_code", verify_code},
          {"file", domain::FileRefJson(file)},
          {"signatures", std::move(sigs)}};
}

Result<SignedDocument> SignedDocument::FromJson(const bj::object& o) {
  SignedDocument d;
  auto id = json::String(o, "id");
  if (!id) return Fail(ErrorCode::kDataLoss, "documents.bad_record");
  d.id = *id;
  d.purpose = json::OptString(o, "purpose").value_or("");
  d.dossier = json::OptString(o, "dossier").value_or("");
  d.title = json::OptString(o, "title").value_or("");
  d.unit = json::OptString(o, "unit").value_or("");
  d.verify_code = json::OptString(o, "verify_code").value_or("");
  if (const auto* f = o.if_contains("file"); f && f->is_object())
    d.file = domain::FileRefFrom(f->get_object());
  if (const auto* s = o.if_contains("signatures"); s && s->is_array()) {
    for (const auto& v : s->get_array()) {
      if (v.is_object()) d.signatures.push_back(DocumentSignature::FromJson(v.get_object()));
    }
  }
  return d;
}

Result<std::vector<store::CatalogRow>> DocumentRows(const std::optional<std::string>& current,
                                                    const Event& e) {
  const auto* doc_v = e.payload.if_contains("document");
  const auto* sig_v = e.payload.if_contains("signature");
  const auto* file_v = e.payload.if_contains("file");
  if (doc_v == nullptr || !doc_v->is_object() || sig_v == nullptr || !sig_v->is_object() ||
      file_v == nullptr || !file_v->is_object()) {
    return Fail(ErrorCode::kDataLoss, "projection.bad_event", e.type + " " + e.stream);
  }
  SignedDocument doc;
  if (current) {
    auto parsed = json::Parse(*current);
    if (!parsed || !parsed->is_object())
      return Fail(ErrorCode::kDataLoss, "store.corrupt", e.stream);
    auto d = SignedDocument::FromJson(parsed->get_object());
    if (!d) return std::unexpected(d.error());
    doc = std::move(*d);
  } else {
    auto d = SignedDocument::FromJson(doc_v->get_object());
    if (!d) return Fail(ErrorCode::kDataLoss, "projection.bad_event", e.stream);
    doc = std::move(*d);
    doc.signatures.clear();
  }
  doc.file = domain::FileRefFrom(file_v->get_object());
  doc.signatures.push_back(DocumentSignature::FromJson(sig_v->get_object()));
  const bj::object pointer{{"document", doc.id}};
  return std::vector<store::CatalogRow>{{"document", doc.id, bj::serialize(doc.ToJson())},
                                        {"verify_code", doc.verify_code, bj::serialize(pointer)},
                                        {"signed_file", doc.file.sha256, bj::serialize(pointer)}};
}

const ResultTemplate& ResultTemplates::For(std::string_view procedure_code) const {
  auto it = by_procedure.find(procedure_code);
  return it == by_procedure.end() ? fallback : it->second;
}

Result<ResultTemplates> LoadResultTemplates(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates", file.string());
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto v = json::Parse(text);
  if (!v || !v->is_object())
    return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates", "JSON");
  ResultTemplates out;
  const auto* fallback = v->get_object().if_contains("default");
  if (fallback == nullptr)
    return Fail(ErrorCode::kInvalidArgument, "documents.bad_templates", "default");
  auto t = TemplateFrom(*fallback, "default");
  if (!t) return std::unexpected(t.error());
  out.fallback = std::move(*t);
  if (const auto* procs = v->get_object().if_contains("procedures"); procs && procs->is_object()) {
    for (const auto& [code, value] : procs->get_object()) {
      auto p = TemplateFrom(value, std::string(code));
      if (!p) return std::unexpected(p.error());
      out.by_procedure.emplace(std::string(code), std::move(*p));
    }
  }
  return out;
}

std::string Verification::Verdict() const {
  if (pdf.signatures.empty()) return "unsigned";
  return pdf.all_valid() ? "valid" : "invalid";
}

bj::object Verification::ToJson() const {
  bj::array sigs;
  for (size_t i = 0; i < pdf.signatures.size(); ++i) {
    const sign::SignatureCheck& s = pdf.signatures[i];
    const std::optional<CertificateRecord>& rec = certificates[i];
    bj::object o{{"field", s.field_name},
                 {"valid", s.valid()},
                 {"intact", s.digest_matches && s.covers_revision},
                 {"covered_bytes", s.covered_bytes},
                 {"kind", rec ? bj::value(sign::CertKindName(rec->kind)) : bj::value("unknown")},
                 {"certificate_status", sign::ChainStatusName(s.chain)}};
    if (s.signing_time) o["signed_at"] = FormatIsoUtc(*s.signing_time);
    if (s.signer) {
      o["signer"] = bj::object{{"name", s.signer->subject.common_name},
                               {"position", s.signer->subject.position},
                               {"organisation", s.signer->subject.organisation},
                               {"unit", s.signer->subject.unit},
                               {"identifier", s.signer->subject.identifier},
                               {"issuer", s.signer->issuer_name}};
      o["certificate"] = bj::object{{"serial", s.signer->serial_hex},
                                    {"not_before", FormatIsoUtc(s.signer->not_before)},
                                    {"not_after", FormatIsoUtc(s.signer->not_after)},
                                    {"fingerprint_sha256", s.signer->fingerprint_sha256}};
    }
    if (s.revocation) {
      o["revoked_at"] = FormatIsoUtc(s.revocation->at);
      o["revocation_reason"] = s.revocation->reason;
    }
    if (!s.chain_detail.empty() && !s.valid()) o["certificate_problem"] = s.chain_detail;
    if (!s.problem.empty()) o["problem"] = s.problem;
    sigs.push_back(std::move(o));
  }
  bj::object out{{"verdict", Verdict()},
                 {"sha256", sha256},
                 {"size", pdf.file_size},
                 {"changed_after_last_signature", pdf.changed_after_last_signature},
                 {"signatures", std::move(sigs)}};
  if (registered) {
    out["document"] = bj::object{{"id", registered->id},
                                 {"title", registered->title},
                                 {"purpose", registered->purpose},
                                 {"unit", registered->unit},
                                 {"verify_code", registered->verify_code},
                                 {"latest_revision", registered->file.sha256 == sha256}};
  }
  return out;
}

Result<std::optional<SignedDocument>> Documents::FindDocument(const std::string& id) const {
  auto row = store_.GetCatalog("document", id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<SignedDocument>();
  auto doc = json::Parse((*row)->doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", id);
  auto d = SignedDocument::FromJson(doc->get_object());
  if (!d) return std::unexpected(d.error());
  return std::optional<SignedDocument>(std::move(*d));
}

Result<std::string> Documents::RenderResult(const domain::Dossier& d,
                                            const CertificateRecord& signer,
                                            const std::string& verify_code) const {
  const domain::Unit* unit = catalog_->units().Find(d.competent_unit);
  const domain::Procedure* proc = catalog_->procedures().Find(d.procedure_code);
  const std::string unit_name = unit ? unit->name : d.competent_unit;
  const bool commune = unit && unit->level == domain::UnitLevel::kCommune;
  sign::DocumentContent c;
  std::tie(c.authority, c.unit) = Heading(d.competent_unit);
  c.number = "Số: " + d.code + "-KQ1";
  c.place = options_.place;
  c.date = ToVietnamLocal(clock_.Now()).date;
  const ResultTemplate& t = templates_.For(d.procedure_code);
  c.title = sign::UpperVietnamese(t.title);
  std::string result_name = d.result_name.empty() && proc ? proc->result_name : d.result_name;
  c.subtitle = result_name;
  std::string legal;
  if (const auto* basis = proc ? proc->source.if_contains("legal_basis") : nullptr;
      basis && basis->is_array()) {
    for (const auto& l : basis->get_array()) {
      if (l.is_string()) legal += (legal.empty() ? "" : "; ") + std::string(l.get_string());
    }
  }
  const std::vector<std::pair<std::string, std::string>> values{
      {"dossier_code", d.code},
      {"applicant_name", d.applicant.name},
      {"submitted_date", FormatViDate(ToVietnamLocal(d.submitted_at).date)},
      {"procedure_name", d.procedure_name},
      {"procedure_code", d.procedure_code},
      {"unit_name", commune ? "Ủy ban nhân dân " + unit_name : unit_name},
      {"result_name", result_name},
      {"legal_basis", legal.empty() ? "các quy định hiện hành" : legal}};
  for (const std::string& p : t.paragraphs) c.paragraphs.push_back(Replace(p, values));
  c.signer_position = sign::UpperVietnamese(signer.subject.position);
  c.signer_name = signer.subject.common_name;
  const std::string link = options_.public_url + "/#/xac-thuc/" + verify_code;
  c.footer = "Mã kiểm tra: " + verify_code + ". Quét mã QR hoặc mở " + options_.public_url +
             "/#/xac-thuc để kiểm tra chữ ký số của văn bản (Nghị định 45/2020/NĐ-CP, Điều 14).";
  c.qr_text = link;
  c.document_title = d.code + "-KQ1 " + result_name;
  return sign::RenderDocument(c, options_.font_path);
}

Result<NewEvent> Documents::SignRevision(const Actor& actor, SignedDocument& doc, std::string& pdf,
                                         SigningKey& key, const std::string& reason) const {
  const Timestamp now = clock_.Now();
  const CertificateRecord& cert = key.certificate;
  auto signed_pdf =
      sign::SignPdf(pdf, {"", cert.subject.common_name, reason, options_.place, now}, *key.signer);
  if (!signed_pdf) return std::unexpected(signed_pdf.error());
  pdf = std::move(*signed_pdf);
  const std::string sha = secure::Sha256Hex(pdf);
  if (auto put = blobs_.Put(pdf); !put) return std::unexpected(put.error());
  domain::FileRef file{doc.id + "-r" + std::to_string(doc.signatures.size() + 1), doc.id + ".pdf",
                       "application/pdf", static_cast<int64_t>(pdf.size()), sha};
  DocumentSignature sig{std::string(sign::CertKindName(cert.kind)),
                        cert.serial,
                        cert.holder,
                        cert.subject.common_name,
                        cert.subject.position,
                        cert.unit,
                        now};
  doc.file = file;
  doc.signatures.push_back(sig);
  NewEvent n;
  n.stream = "document/" + doc.id;
  n.type = "DocumentSigned";
  n.unit = cert.unit;
  n.actor = actor.Ref();
  n.at = now;
  n.payload["document"] =
      bj::object{{"id", doc.id},       {"purpose", doc.purpose}, {"dossier", doc.dossier},
                 {"title", doc.title}, {"unit", doc.unit},       {"verify_code", doc.verify_code}};
  n.payload["signature"] = sig.ToJson();
  n.payload["file"] = domain::FileRefJson(file);
  return n;
}

Result<std::vector<NewEvent>> Documents::BeforeStepCompletion(const Actor& actor,
                                                              const domain::Dossier& d) {
  std::vector<NewEvent> out;
  if (d.current_step < 0 || d.current_step >= static_cast<int>(d.steps.size())) return out;
  const domain::StepRecord& step = d.steps[static_cast<size_t>(d.current_step)];
  const bool last = d.current_step + 1 == static_cast<int>(d.steps.size());
  const std::string id = d.code + "-KQ1";
  auto existing = FindDocument(id);
  if (!existing) return std::unexpected(existing.error());
  std::optional<SignedDocument> doc = std::move(*existing);
  std::string pdf;

  const bool leader_step =
      actor.kind == Actor::Kind::kOfficer && step.role == "leader" && actor.HasRole("leader");
  if (leader_step && !(doc && HasSignature(*doc, "personal"))) {
    auto key = pki_.KeyFor("officer:" + actor.account);
    if (!key) {
      // No certificate at all: the result is issued on paper. An unusable one is an error the
      // leader must see (they meant to sign).
      if (key.error().key == "pki.no_certificate") return out;
      return std::unexpected(key.error());
    }
    const std::string code = NewVerifyCode();
    auto rendered = RenderResult(d, key->certificate, code);
    if (!rendered) return std::unexpected(rendered.error());
    pdf = std::move(*rendered);
    const domain::Procedure* proc = catalog_->procedures().Find(d.procedure_code);
    doc = SignedDocument{id,
                         "result",
                         d.code,
                         d.result_name.empty() && proc ? proc->result_name : d.result_name,
                         d.competent_unit,
                         code,
                         {},
                         {}};
    auto event =
        SignRevision(actor, *doc, pdf, *key, "Phê duyệt kết quả giải quyết thủ tục hành chính");
    if (!event) return std::unexpected(event.error());
    out.push_back(std::move(*event));
  }
  if (!last || !doc || HasSignature(*doc, "organisation")) return out;
  if (pdf.empty()) {
    auto bytes = blobs_.Get(doc->file.sha256);
    if (!bytes) return std::unexpected(bytes.error());
    pdf = std::move(*bytes);
  }
  auto seal = pki_.KeyFor("unit:" + d.competent_unit);
  if (!seal) {
    if (seal.error().key == "pki.no_certificate") return out;  // signed by the leader only
    return std::unexpected(seal.error());
  }
  auto event = SignRevision(actor, *doc, pdf, *seal, "Đóng dấu cơ quan, ban hành kết quả");
  if (!event) return std::unexpected(event.error());
  out.push_back(std::move(*event));
  NewEvent issued;
  issued.stream = domain::DossierStream(d.code);
  issued.type = "ResultIssued";
  issued.unit = d.competent_unit;
  issued.actor = actor.Ref();
  issued.at = out.back().at;
  issued.payload = bj::object{{"document", doc->id},
                              {"verify_code", doc->verify_code},
                              {"file", domain::FileRefJson(doc->file)}};
  out.push_back(std::move(issued));
  return out;
}

Result<std::pair<SignedDocument, std::string>> Documents::Sign(const Actor& actor,
                                                               std::string_view pdf,
                                                               std::string_view kind,
                                                               const std::string& title) {
  if (kind != "personal" && kind != "organisation") {
    return Fail(ErrorCode::kInvalidArgument, "document.bad_kind", std::string(kind.substr(0, 20)));
  }
  const std::string action =
      kind == "personal" ? "document.sign_personal" : "document.sign_organisation";
  if (auto allowed = access_.Check(actor, action, {{actor.unit}, false}); !allowed) {
    return std::unexpected(allowed.error());
  }
  return SignAs(actor, kind == "personal" ? "officer:" + actor.account : "unit:" + actor.unit, pdf,
                title);
}

Result<std::pair<SignedDocument, std::string>> Documents::SignAs(const Actor& actor,
                                                                 const std::string& holder,
                                                                 std::string_view pdf,
                                                                 const std::string& title) {
  if (static_cast<int64_t>(pdf.size()) > kMaxPdfBytes) {
    return Fail(ErrorCode::kResourceExhausted, "document.too_large");
  }
  // A revision of a document we registered continues it; anything else starts a new one.
  std::optional<SignedDocument> doc;
  auto known = store_.GetCatalog("signed_file", secure::Sha256Hex(pdf));
  if (!known) return std::unexpected(known.error());
  std::string bytes(pdf);
  if (*known) {
    auto pointer = json::Parse((*known)->doc);
    auto id = pointer && pointer->is_object() ? json::OptString(pointer->get_object(), "document")
                                              : std::nullopt;
    if (id) {
      auto found = FindDocument(*id);
      if (!found) return std::unexpected(found.error());
      doc = std::move(*found);
    }
  } else {
    auto normal = sign::NormalisePdf(bytes);
    if (normal) {
      bytes = std::move(*normal);
    } else if (normal.error().key != "pdf.already_signed") {
      return std::unexpected(normal.error());
    }
  }
  auto key = pki_.KeyFor(holder);
  if (!key) return std::unexpected(key.error());
  const bool personal = key->certificate.kind == sign::CertKind::kPersonal;
  if (!doc) {
    doc = SignedDocument{
        "VB-" + NewVerifyCode(), "document",      "", title.empty() ? "Văn bản" : title,
        key->certificate.unit,   NewVerifyCode(), {}, {}};
  }
  auto event =
      SignRevision(actor, *doc, bytes, *key, personal ? "Ký số văn bản" : "Đóng dấu cơ quan");
  if (!event) return std::unexpected(event.error());
  const std::string action = personal ? "document.sign_personal" : "document.sign_organisation";
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto e = tx.Append(std::move(*event));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return AuditInTx(tx, actor, {action, "document/" + doc->id, doc->unit}, e->at, e->seq, e->seq);
  });
  if (!r) return std::unexpected(r.error());
  return std::pair{std::move(*doc), std::move(bytes)};
}

Result<Verification> Documents::Verify(std::string_view pdf) const {
  if (static_cast<int64_t>(pdf.size()) > kMaxPdfBytes) {
    return Fail(ErrorCode::kResourceExhausted, "document.too_large");
  }
  sign::TrustAnchors anchors;
  if (auto a = pki_.Anchors()) {
    anchors = std::move(*a);
  } else if (a.error().key != "pki.not_initialised") {
    return std::unexpected(a.error());
  }
  auto checked = sign::VerifyPdf(pdf, anchors);
  if (!checked) return std::unexpected(checked.error());
  Verification v;
  v.pdf = std::move(*checked);
  v.sha256 = secure::Sha256Hex(pdf);
  for (const auto& s : v.pdf.signatures) {
    std::optional<CertificateRecord> rec;
    if (s.signer) {
      auto found = pki_.Find(s.signer->serial_hex);
      if (!found) return std::unexpected(found.error());
      // The registry's record only if it is the same certificate (serials are ours to give).
      if (*found && sign::ParseCertificate((*found)->der)->fingerprint_sha256 ==
                        s.signer->fingerprint_sha256) {
        rec = std::move(**found);
      }
    }
    v.certificates.push_back(std::move(rec));
  }
  auto known = store_.GetCatalog("signed_file", v.sha256);
  if (!known) return std::unexpected(known.error());
  if (*known) {
    auto pointer = json::Parse((*known)->doc);
    if (auto id = pointer && pointer->is_object()
                      ? json::OptString(pointer->get_object(), "document")
                      : std::nullopt) {
      auto doc = FindDocument(*id);
      if (!doc) return std::unexpected(doc.error());
      v.registered = std::move(*doc);
    }
  }
  return v;
}

Result<Verification> Documents::VerifyCode(std::string_view raw) const {
  std::string code;
  for (char c : raw.substr(0, 64)) {
    if (c == ' ' || c == '-') continue;
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto row = code.empty() || code.size() > 32 ? Result<std::optional<store::CatalogRow>>()
                                              : store_.GetCatalog("verify_code", code);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kNotFound, "document.not_found");
  auto pointer = json::Parse((*row)->doc);
  auto id = pointer && pointer->is_object() ? json::OptString(pointer->get_object(), "document")
                                            : std::nullopt;
  if (!id) return Fail(ErrorCode::kDataLoss, "store.corrupt", "verify_code");
  auto doc = FindDocument(*id);
  if (!doc) return std::unexpected(doc.error());
  if (!*doc) return Fail(ErrorCode::kDataLoss, "store.corrupt", *id);
  auto bytes = blobs_.Get((*doc)->file.sha256);
  if (!bytes) return std::unexpected(bytes.error());
  return Verify(*bytes);
}

std::pair<std::string, std::string> Documents::Heading(const std::string& unit_code) const {
  const auto& units = catalog_->units();
  const domain::Unit* unit = units.Find(unit_code);
  const domain::Unit* parent = unit ? units.Find(unit->parent) : nullptr;
  const std::string name = unit ? unit->name : unit_code;
  const bool commune = unit && unit->level == domain::UnitLevel::kCommune;
  return {parent ? sign::UpperVietnamese("Ủy ban nhân dân " + parent->name) : "",
          sign::UpperVietnamese(commune ? "Ủy ban nhân dân " + name : name)};
}

Result<std::string> Documents::RenderReceipt(const domain::Dossier& d,
                                             const std::string& verify_code) const {
  sign::DocumentContent c;
  std::tie(c.authority, c.unit) = Heading(d.receiving_unit);
  c.number = "Mã hồ sơ: " + d.code;
  c.place = options_.place;
  c.date = ToVietnamLocal(*d.received_at).date;
  c.title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
  c.paragraphs.push_back("Tiếp nhận hồ sơ của: " + d.applicant.name + ".");
  c.paragraphs.push_back("Thủ tục: " + d.procedure_name + " (mã " + d.procedure_code + ").");
  std::string components;
  for (const domain::ComponentRecord& comp : d.components) {
    if (!comp.provided) continue;
    components += (components.empty() ? "" : "; ") + comp.name;
  }
  if (!components.empty()) c.paragraphs.push_back("Thành phần hồ sơ: " + components + ".");
  c.paragraphs.push_back("Thời gian tiếp nhận: " + FormatViDateTime(*d.received_at) + ".");
  if (d.due_at) {
    c.paragraphs.push_back("Thời gian hẹn trả kết quả: " + FormatViDateTime(*d.due_at) + ".");
  }
  c.paragraphs.push_back("Tra cứu tình trạng hồ sơ tại " + options_.public_url +
                         "/#/tra-cuu bằng mã hồ sơ và mã tra cứu.");
  c.signer_position = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ";
  c.footer = "Mã kiểm tra: " + verify_code + ". Quét mã QR hoặc mở " + options_.public_url +
             "/#/xac-thuc để kiểm tra chữ ký số của phiếu.";
  c.qr_text = options_.public_url + "/#/xac-thuc/" + verify_code;
  c.document_title = d.code + " Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
  return sign::RenderDocument(c, options_.font_path);
}

Result<Documents::Receipt> Documents::ReceiptPdf(const Actor& actor, const domain::Dossier& d) {
  if (!d.received_at) return Fail(ErrorCode::kFailedPrecondition, "document.not_received", d.code);
  return SealOnce(actor, d, {d.code + "-TN", "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                             d.receiving_unit, "Đóng dấu cơ quan: tiếp nhận hồ sơ"},
                  [&](const std::string& code) { return RenderReceipt(d, code); });
}

Result<std::string> Documents::RenderFeeReceipt(const domain::Dossier& d,
                                                const domain::PaymentEntry& paid,
                                                const std::string& verify_code) const {
  sign::DocumentContent c;
  std::tie(c.authority, c.unit) = Heading(d.receiving_unit);
  c.number = "Số: " + paid.receipt_serial;
  c.place = options_.place;
  c.date = ToVietnamLocal(paid.paid_at).date;
  c.title = "BIÊN LAI THU PHÍ, LỆ PHÍ";
  c.subtitle = "(Biên lai điện tử)";
  c.paragraphs.push_back("Tên người nộp: " + d.applicant.name + ".");
  c.paragraphs.push_back("Hồ sơ: " + d.code + " — " + d.procedure_name + ".");
  for (const domain::FeeLine& l : d.payment.lines) {
    std::string line = "- " + l.name;
    if (l.quantity != 1) line += " (" + std::to_string(l.quantity) + " × " + domain::FormatVnd(l.unit_amount) + " đồng)";
    c.paragraphs.push_back(line + ": " + domain::FormatVnd(l.amount) + " đồng.");
  }
  c.paragraphs.push_back("Tổng số tiền: " + domain::FormatVnd(paid.amount) + " đồng.");
  c.paragraphs.push_back("Số tiền bằng chữ: " + domain::AmountInWords(paid.amount) + ".");
  const std::string how = paid.channel == "gateway"         ? "thanh toán trực tuyến qua cổng thanh toán"
                          : paid.channel == "bank_transfer" ? "chuyển khoản (mã VietQR)"
                                                            : "tiền mặt tại Bộ phận một cửa";
  c.paragraphs.push_back("Hình thức thanh toán: " + how + "; mã giao dịch " + paid.transaction_no +
                         "; thời gian " + FormatViDateTime(paid.paid_at) + ".");
  c.paragraphs.push_back("Mã thanh toán: " + d.payment.reference + ".");
  c.signer_position = "ĐƠN VỊ THU";
  c.footer = "Mã kiểm tra: " + verify_code + ". Quét mã QR hoặc mở " + options_.public_url +
             "/#/xac-thuc để kiểm tra chữ ký số của biên lai.";
  c.qr_text = options_.public_url + "/#/xac-thuc/" + verify_code;
  c.document_title = paid.receipt_serial + " Biên lai thu phí, lệ phí";
  return sign::RenderDocument(c, options_.font_path);
}

Result<Documents::Receipt> Documents::FeeReceiptPdf(const Actor& actor, const domain::Dossier& d) {
  if (d.payment.payments.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.not_paid", d.code);
  }
  const domain::PaymentEntry& paid = d.payment.payments.back();
  const std::string id = d.code + "-BL" + std::to_string(d.payment.payments.size());
  return SealOnce(actor, d,
                  {id, "fee_receipt", "Biên lai thu phí, lệ phí " + paid.receipt_serial,
                   d.receiving_unit, "Đóng dấu đơn vị thu: biên lai điện tử"},
                  [&](const std::string& code) { return RenderFeeReceipt(d, paid, code); });
}

Result<Documents::Receipt> Documents::SealOnce(
    const Actor& actor, const domain::Dossier& d, const Sealed& what,
    const std::function<Result<std::string>(const std::string& verify_code)>& render) {
  auto existing = FindDocument(what.id);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) {
    auto bytes = blobs_.Get((*existing)->file.sha256);
    if (!bytes) return std::unexpected(bytes.error());
    return Receipt{std::move(*bytes), true, (*existing)->verify_code};
  }
  const std::string code = NewVerifyCode();
  auto pdf = render(code);
  if (!pdf) return std::unexpected(pdf.error());
  auto seal = pki_.KeyFor("unit:" + what.unit);
  if (!seal) {
    if (seal.error().key == "pki.no_certificate") return Receipt{std::move(*pdf), false, ""};
    return std::unexpected(seal.error());
  }
  SignedDocument doc{what.id, what.purpose, d.code, what.title, what.unit, code, {}, {}};
  auto event = SignRevision(actor, doc, *pdf, *seal, what.reason);
  if (!event) return std::unexpected(event.error());
  std::optional<Receipt> earlier;
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    // Two first requests at once: the one that commits first wins, the other answers its bytes.
    auto row = tx.GetCatalog("document", what.id);
    if (!row) return std::unexpected(row.error());
    if (*row) {
      auto parsed = json::Parse((*row)->doc);
      auto other = parsed && parsed->is_object() ? SignedDocument::FromJson(parsed->get_object())
                                                 : Fail(ErrorCode::kDataLoss, "store.corrupt", what.id);
      if (!other) return std::unexpected(other.error());
      auto bytes = blobs_.Get(other->file.sha256);
      if (!bytes) return std::unexpected(bytes.error());
      earlier = Receipt{std::move(*bytes), true, other->verify_code};
      return {};
    }
    auto e = tx.Append(std::move(*event));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return AuditInTx(tx, actor, {"document.sign_organisation", "document/" + what.id, what.unit},
                     e->at, e->seq, e->seq);
  });
  if (!r) return std::unexpected(r.error());
  if (earlier) return std::move(*earlier);
  return Receipt{std::move(*pdf), true, code};
}

Result<std::string> Documents::ResultBytes(const domain::Dossier& d) const {
  if (!d.result_document) return Fail(ErrorCode::kNotFound, "document.not_found");
  return blobs_.Get(d.result_document->file.sha256);
}

}  // namespace motcua::app
