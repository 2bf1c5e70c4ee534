// The routes of fees and payments (docs/api.md, docs/design/0002-payments.md): starting a
// gateway payment and the VietQR code of a dossier, the gateway's IPN and the payer's return
// (public, authenticated by the gateway's signature), the bank's credit notifications (public,
// authenticated by X-Signature), cash, exemption and refund at the counter, the electronic
// receipt, and the reconciliation of the bank's statement. app/payments.h decides.
#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

namespace {

std::string RequestHeader(const Request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

// An ISO date path or query parameter (http.bad_query otherwise).
Result<CivilDate> DateParam(const std::string* s, std::string_view name) {
  if (!s) return Fail(BadQuery(name, "required: yyyy-mm-dd"));
  auto d = ParseIsoDate(*s);
  if (!d) return Fail(BadQuery(name, "yyyy-mm-dd"));
  return *d;
}

}  // namespace

void Api::AddPaymentRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::post, "/api/v1/dossiers/{code}/payments/gateway", bind(&Api::StartPayment));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/payments/vietqr", bind(&Api::PaymentVietQr));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/payments/receipt.pdf",
              bind(&Api::PaymentReceipt));
  router_.Add(verb::post, "/api/v1/dossiers/{code}/payments/cash", bind(&Api::PayCash));
  router_.Add(verb::post, "/api/v1/dossiers/{code}/payments/waive", bind(&Api::WaiveFees));
  router_.Add(verb::post, "/api/v1/dossiers/{code}/payments/refund", bind(&Api::RefundPayment));
  router_.Add(verb::get, "/api/v1/payments/gateway/ipn", bind(&Api::GatewayIpn));
  router_.Add(verb::get, "/api/v1/payments/gateway/return", bind(&Api::GatewayReturn));
  router_.Add(verb::post, "/api/v1/payments/bank/notify", bind(&Api::BankNotify));
  router_.Add(verb::post, "/api/v1/payments/reconciliations", bind(&Api::Reconcile));
  router_.Add(verb::get, "/api/v1/payments/reconciliations/{date}", bind(&Api::GetReconciliation));
}

Result<Reply> Api::StartPayment(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  if (auto o = FieldReader(*body).Only({}); !o) return std::unexpected(o.error());
  auto url = services_.payments->StartGateway(*actor, c.Param("code"));
  if (!url) return std::unexpected(url.error());
  return Reply{200, bj::object{{"url", *url}}, {}, {}, {}};
}

Result<Reply> Api::PaymentVietQr(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto qr = services_.payments->VietQrOf(*actor, c.Param("code"));
  if (!qr) return std::unexpected(qr.error());
  return Reply{200,
               bj::object{{"payload", qr->payload},
                          {"svg", qr->svg},
                          {"amount", qr->amount},
                          {"reference", qr->reference},
                          {"bank", bj::object{{"bin", qr->bank.bin},
                                              {"account", qr->bank.account},
                                              {"account_name", qr->bank.account_name}}}},
               {},
               {},
               {}};
}

Result<Reply> Api::PaymentReceipt(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto receipt = services_.payments->Receipt(*actor, c.Param("code"));
  if (!receipt) return std::unexpected(receipt.error());
  Reply r = Attachment(std::move(receipt->pdf), "application/pdf", c.Param("code") + "-BL.pdf");
  r.headers.emplace_back("X-Signed", receipt->signed_ ? "true" : "false");
  if (!receipt->verify_code.empty()) r.headers.emplace_back("X-Verify-Code", receipt->verify_code);
  return r;
}

Result<Reply> Api::PayCash(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  return Act(c,
             [this](const app::Actor& actor, const std::string& code,
                    const bj::object& b) -> Result<domain::Dossier> {
               FieldReader r(b);
               if (auto o = r.Only({"amount"}); !o) return std::unexpected(o.error());
               auto amount = json::Int(b, "amount");
               if (!amount || *amount <= 0)
                 return Fail(json::BadField("amount", "a positive amount in VND"));
               return services_.payments->RecordCash(actor, code, *amount);
             });
}

Result<Reply> Api::WaiveFees(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  return Act(c,
             [this](const app::Actor& actor, const std::string& code,
                    const bj::object& b) -> Result<domain::Dossier> {
               FieldReader r(b);
               if (auto o = r.Only({"exemption", "reason"}); !o) return std::unexpected(o.error());
               auto exemption = r.Required("exemption", K::kCode);
               if (!exemption) return std::unexpected(exemption.error());
               auto reason = r.Required("reason", K::kText);
               if (!reason) return std::unexpected(reason.error());
               return services_.payments->Waive(actor, code, *exemption, *reason);
             });
}

Result<Reply> Api::RefundPayment(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  return Act(c,
             [this](const app::Actor& actor, const std::string& code,
                    const bj::object& b) -> Result<domain::Dossier> {
               FieldReader r(b);
               if (auto o = r.Only({"reason"}); !o) return std::unexpected(o.error());
               auto reason = r.Required("reason", K::kText);
               if (!reason) return std::unexpected(reason.error());
               return services_.payments->Refund(actor, code, *reason);
             });
}

Result<Reply> Api::GatewayIpn(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  pay::Params params(c.query_.begin(), c.query_.end());
  app::GatewayOutcome out = services_.payments->GatewayNotification(c.Anonymous(), params);
  Reply r;
  r.raw = pay::IpnAnswer(out.rsp_code);
  r.raw_content_type = "application/json; charset=utf-8";
  return r;
}

Result<Reply> Api::GatewayReturn(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  pay::Params params(c.query_.begin(), c.query_.end());
  // The payer's browser carries the same signed result: it is recorded like the IPN (whichever
  // arrives first), so a lost IPN does not leave a paid dossier unpaid.
  app::GatewayOutcome out = services_.payments->GatewayNotification(c.Anonymous(), params);
  std::string location = "/#/tra-cuu";
  if (!out.dossier.empty()) {
    location = "/#/ho-so/" + out.dossier + (out.paid ? "?thanh-toan=ok" : "?thanh-toan=loi");
  }
  Reply r{303, bj::object{{"outcome", out.outcome}, {"location", location}}, {}, {}, {}};
  r.headers.emplace_back("Location", location);
  return r;
}

Result<Reply> Api::BankNotify(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto out = services_.payments->BankNotification(c.Anonymous(), c.raw().body(),
                                                  RequestHeader(c.raw(), "X-Signature"));
  if (!out) return std::unexpected(out.error());
  bj::object o{{"status", out->status}};
  if (!out->dossier.empty()) o["dossier"] = out->dossier;
  return Reply{200, std::move(o), {}, {}, {}};
}

Result<Reply> Api::Reconcile(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"date"}); !o) return std::unexpected(o.error());
  auto date = DateParam(c.Query("date"), "date");
  if (!date) return std::unexpected(date.error());
  std::string type = RequestHeader(c.raw(), "Content-Type");
  type = type.substr(0, type.find(';'));
  if (type != "text/csv") {
    return Fail(ErrorCode::kInvalidArgument, "http.unsupported_media_type", "text/csv expected");
  }
  auto report = services_.payments->Reconcile(*actor, *date, c.raw().body());
  if (!report) return std::unexpected(report.error());
  return Reply{200, std::move(*report), {}, {}, {}};
}

Result<Reply> Api::GetReconciliation(Call& c) const {
  if (!services_.payments) return Fail(ServiceUnavailable("payments"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto date = ParseIsoDate(c.Param("date"));
  if (!date) return Fail(BadQuery("date", "yyyy-mm-dd"));
  auto report = services_.payments->ReconciliationOf(*actor, *date);
  if (!report) return std::unexpected(report.error());
  if (!*report) return Fail(ErrorCode::kNotFound, "payment.no_reconciliation", c.Param("date"));
  return Reply{200, std::move(**report), {}, {}, {}};
}

}  // namespace motcua::http
