// The routes of signatures and electronic results (docs/api.md): public verification of a PDF or
// a verification code, the CA's certificates and CRL, certificate management for
// administrators, signing a PDF, and a dossier's signed result. The handlers read the request
// and encode the answer; app/pki.h and app/documents.h decide.
#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

namespace {

bj::object EncodeCertificate(const app::CertificateRecord& c) {
  bj::object o{{"serial", c.serial},
               {"kind", sign::CertKindName(c.kind)},
               {"holder", c.holder},
               {"unit", c.unit},
               {"algorithm", c.algorithm},
               {"subject", bj::object{{"common_name", c.subject.common_name},
                                      {"organisation", c.subject.organisation},
                                      {"position", c.subject.position},
                                      {"identifier", c.subject.identifier}}},
               {"issuer_serial", c.issuer_serial},
               {"pem", sign::ToPem(c.der, "CERTIFICATE")}};
  PutTime(o, "not_before", c.not_before);
  PutTime(o, "not_after", c.not_after);
  if (c.revoked) {
    bj::object r{{"reason", c.revoked->reason}, {"key_compromise", c.revoked->key_compromise}};
    PutTime(r, "at", c.revoked->at);
    o["revoked"] = std::move(r);
  }
  return o;
}

}  // namespace

void Api::AddDocumentRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::post, "/api/v1/verify", bind(&Api::VerifyUpload));
  router_.Add(verb::get, "/api/v1/verify/{code}", bind(&Api::VerifyCode));
  router_.Add(verb::get, "/api/v1/pki/ca", bind(&Api::CaCertificates));
  router_.Add(verb::get, "/api/v1/pki/crl", bind(&Api::Crl));
  router_.Add(verb::get, "/api/v1/certificates", bind(&Api::ListCertificates));
  router_.Add(verb::post, "/api/v1/certificates", bind(&Api::IssueCertificate));
  router_.Add(verb::post, "/api/v1/certificates/{serial}/revoke", bind(&Api::RevokeCertificate));
  router_.Add(verb::post, "/api/v1/documents/sign", bind(&Api::SignDocument));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/result.pdf", bind(&Api::DossierResult));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/receipt.pdf", bind(&Api::DossierReceipt));
}

Result<Reply> Api::VerifyUpload(Call& c) const {
  if (!services_.documents) return Fail(ServiceUnavailable("documents"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto v = services_.documents->Verify(c.raw().body());
  if (!v) return std::unexpected(v.error());
  return Reply{200, v->ToJson(), {}, {}, {}};
}

Result<Reply> Api::VerifyCode(Call& c) const {
  if (!services_.documents) return Fail(ServiceUnavailable("documents"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto v = services_.documents->VerifyCode(c.Param("code"));
  if (!v) return std::unexpected(v.error());
  return Reply{200, v->ToJson(), {}, {}, {}};
}

Result<Reply> Api::CaCertificates(Call& c) const {
  if (!services_.pki) return Fail(ServiceUnavailable("pki"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto authorities = services_.pki->Authorities();
  if (!authorities) return std::unexpected(authorities.error());
  bj::array items;
  for (const auto& a : *authorities) items.push_back(EncodeCertificate(a));
  return Reply{
      200, bj::object{{"authorities", std::move(items)}, {"crl", "/api/v1/pki/crl"}}, {}, {}, {}};
}

Result<Reply> Api::Crl(Call& c) const {
  if (!services_.pki) return Fail(ServiceUnavailable("pki"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto crl = services_.pki->Crl();
  if (!crl) return std::unexpected(crl.error());
  Reply r;
  r.raw = std::move(*crl);
  r.raw_content_type = "application/pkix-crl";
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  return r;
}

Result<Reply> Api::ListCertificates(Call& c) const {
  if (!services_.pki) return Fail(ServiceUnavailable("pki"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"holder"}); !o) return std::unexpected(o.error());
  const std::string* holder = c.Query("holder");
  if (holder && !CheckString(*holder, K::kLine, "holder"))
    return Fail(BadQuery("holder", "officer:<id> or unit:<code>"));
  auto list = services_.pki->List(*actor, holder ? *holder : "");
  if (!list) return std::unexpected(list.error());
  bj::array items;
  for (const auto& rec : *list) items.push_back(EncodeCertificate(rec));
  return Reply{200, bj::object{{"items", std::move(items)}}, {}, {}, {}};
}

Result<Reply> Api::IssueCertificate(Call& c) const {
  if (!services_.pki) return Fail(ServiceUnavailable("pki"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"kind", "holder", "position", "identifier", "years"}); !o) {
    return std::unexpected(o.error());
  }
  auto kind = r.Required("kind", K::kCode);
  auto holder = r.Required("holder", K::kLine);
  auto position = r.Optional("position", K::kLine);
  auto identifier = r.Optional("identifier", K::kCode);
  auto years = r.Optional("years", K::kCode, "2");
  for (const Result<std::string>* f : {&kind, &holder, &position, &identifier, &years}) {
    if (!*f) return std::unexpected(f->error());
  }
  auto k = sign::ParseCertKind(*kind);
  if (!k) return std::unexpected(k.error());
  auto n = ParseCount(*years, "years", 1, 5);
  if (!n) return std::unexpected(n.error());
  auto issued =
      services_.pki->Issue(*actor, {*k, *holder, *position, *identifier, static_cast<int>(*n)});
  if (!issued) return std::unexpected(issued.error());
  return Reply{201, EncodeCertificate(*issued), {}, {}, {}};
}

Result<Reply> Api::RevokeCertificate(Call& c) const {
  if (!services_.pki) return Fail(ServiceUnavailable("pki"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"reason", "key_compromise"}); !o) return std::unexpected(o.error());
  auto reason = r.Required("reason", K::kText);
  if (!reason) return std::unexpected(reason.error());
  auto compromise = r.Bool("key_compromise", false);
  if (!compromise) return std::unexpected(compromise.error());
  auto revoked = services_.pki->Revoke(*actor, c.Param("serial"), *reason, *compromise);
  if (!revoked) return std::unexpected(revoked.error());
  return Reply{200, EncodeCertificate(*revoked), {}, {}, {}};
}

Result<Reply> Api::SignDocument(Call& c) const {
  if (!services_.documents) return Fail(ServiceUnavailable("documents"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"kind", "title"}); !o) return std::unexpected(o.error());
  const std::string* kind = c.Query("kind");
  if (!kind) return Fail(BadQuery("kind", "personal or organisation"));
  const std::string* title = c.Query("title");
  if (title && !CheckString(*title, K::kLine, "title"))
    return Fail(BadQuery("title", "a line of text"));
  auto signed_doc = services_.documents->Sign(*actor, c.raw().body(), *kind, title ? *title : "");
  if (!signed_doc) return std::unexpected(signed_doc.error());
  Reply r =
      Attachment(std::move(signed_doc->second), "application/pdf", signed_doc->first.id + ".pdf");
  r.headers.emplace_back("X-Document-Id", signed_doc->first.id);
  r.headers.emplace_back("X-Verify-Code", signed_doc->first.verify_code);
  return r;
}

Result<Reply> Api::DossierResult(Call& c) const {
  if (!services_.documents) return Fail(ServiceUnavailable("documents"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  // Reading the dossier is the permission: its result is part of it.
  auto view = lifecycle_.Get(*actor, c.Param("code"));
  if (!view) return std::unexpected(view.error());
  auto bytes = services_.documents->ResultBytes(view->dossier);
  if (!bytes) return std::unexpected(bytes.error());
  return Attachment(std::move(*bytes), "application/pdf",
                    view->dossier.result_document->id + ".pdf");
}

Result<Reply> Api::DossierReceipt(Call& c) const {
  if (!services_.documents) return Fail(ServiceUnavailable("documents"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto view = lifecycle_.Get(*actor, c.Param("code"));
  if (!view) return std::unexpected(view.error());
  auto receipt = services_.documents->ReceiptPdf(*actor, view->dossier);
  if (!receipt) return std::unexpected(receipt.error());
  Reply r = Attachment(std::move(receipt->pdf), "application/pdf", view->dossier.code + "-TN.pdf");
  r.headers.emplace_back("X-Signed", receipt->signed_ ? "true" : "false");
  if (!receipt->verify_code.empty()) r.headers.emplace_back("X-Verify-Code", receipt->verify_code);
  return r;
}

}  // namespace motcua::http
