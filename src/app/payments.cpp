#include "app/payments.h"

#include "app/audit.h"
#include "app/projection.h"
#include "base/json.h"
#include "pay/bank.h"
#include "pay/statement.h"
#include "pay/vietqr.h"

namespace motcua::app {

namespace bj = boost::json;
using domain::Dossier;

namespace {

constexpr int64_t kOrderLifetimeUs = 15 * 60 * kMicrosPerSecond;

Result<Dossier> ParseDossier(const store::DossierRow& row) {
  auto doc = json::Parse(row.doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", row.code);
  return Dossier::FromJson(doc->get_object());
}

std::string RspFor(std::string_view outcome) {
  if (outcome == "recorded" || outcome == "failed") return "00";
  if (outcome == "duplicate" || outcome == "not_due") return "02";
  if (outcome == "amount_mismatch") return "04";
  if (outcome == "unknown_order") return "01";
  if (outcome == "bad_signature") return "97";
  return "99";
}

bj::object MismatchJson(const pay::Mismatch& m) {
  return bj::object{{"kind", m.kind},
                    {"reference", m.reference},
                    {"transaction_id", m.transaction_id},
                    {"dossier", m.dossier},
                    {"statement_amount", m.statement_amount},
                    {"recorded_amount", m.recorded_amount},
                    {"line", m.line}};
}

}  // namespace

std::optional<store::CatalogRow> PaymentIndexRow(const Event& e) {
  if (e.type != "DossierSubmitted") return std::nullopt;
  const std::string code = json::OptString(e.payload, "code").value_or("");
  std::string reference = domain::PaymentReference(code);
  if (auto it = e.payload.find("payment"); it != e.payload.end() && it->value().is_object()) {
    reference = json::OptString(it->value().get_object(), "reference").value_or(reference);
  }
  return store::CatalogRow{"payment_ref", reference, bj::serialize(bj::object{{"dossier", code}})};
}

Result<std::optional<std::string>> Payments::DossierOfReference(store::Tx& tx,
                                                                std::string_view ref) {
  auto lookup = [&](std::string_view key) -> Result<std::optional<std::string>> {
    auto row = tx.GetCatalog("payment_ref", key);
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::string>();
    auto doc = json::Parse((*row)->doc);
    if (!doc || !doc->is_object())
      return Fail(ErrorCode::kDataLoss, "store.corrupt", "payment_ref");
    return json::OptString(doc->get_object(), "dossier");
  };
  if (ref.empty() || ref.size() > 100) return std::optional<std::string>();
  auto direct = lookup(ref);
  if (!direct || *direct) return direct;
  // A gateway order: "<reference>T<attempt>".
  const size_t t = ref.rfind('T');
  if (t == std::string_view::npos || t + 1 == ref.size()) return std::optional<std::string>();
  for (size_t i = t + 1; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return std::optional<std::string>();
  }
  return lookup(ref.substr(0, t));
}

Result<std::string> Payments::NextReceiptSerial(store::Tx& tx, const Dossier& d, Timestamp now) {
  const CivilDate today = ToVietnamLocal(now).date;
  const domain::CodeRule& rule = lifecycle_.catalog().receipt_rule();
  auto n = tx.NextNumber(rule.CounterKey(d.receiving_unit, today));
  if (!n) return std::unexpected(n.error());
  return rule.Format(d.receiving_unit, today, *n);
}

Result<std::string> Payments::RecordInTx(store::Tx& tx, const Actor& actor, std::string_view action,
                                         const std::string& code, domain::PaymentInput in,
                                         Dossier* out) {
  std::string outcome;
  auto done = lifecycle_.ActInTx(
      tx, actor, action, code,
      [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
        domain::Context here = ctx;
        // Money is collected by the receiving unit, whoever reports it.
        if (here.actor_unit.empty()) here.actor_unit = d.receiving_unit;
        if (in.paid_at.us == 0) in.paid_at = ctx.now;
        auto decision = domain::RecordPayment(d, in, here);
        if (!decision) return std::unexpected(decision.error());
        outcome = decision->outcome;
        if (outcome == "recorded") {
          std::string serial = in.receipt_serial;
          if (serial.empty()) {
            auto next = NextReceiptSerial(tx, d, ctx.now);
            if (!next) return std::unexpected(next.error());
            serial = *next;
          }
          decision->events.front().payload["receipt"] = bj::object{{"serial", serial}};
        }
        return std::move(decision->events);
      });
  if (!done) return std::unexpected(done.error());
  if (out) *out = std::move(*done);
  return outcome;
}

Result<std::string> Payments::StartGateway(const Actor& actor, const std::string& code) {
  auto view = lifecycle_.Get(actor, code);
  if (!view) return std::unexpected(view.error());
  const Dossier& d = view->dossier;
  auto allowed =
      lifecycle_.access().Check(actor, "payment.pay", lifecycle_.access().TargetOf(actor, d));
  if (!allowed) return std::unexpected(allowed.error());
  if (!d.payment.Due()) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.payment_not_due", code);
  }
  pay::PaymentOrder order;
  order.txn_ref = d.payment.reference + "T" + std::to_string(d.payment.transactions.size() + 1);
  order.amount = d.payment.amount_due;
  order.order_info = pay::AsciiPurpose("Thanh toan phi le phi ho so " + d.code, 255);
  order.return_url = config_.return_url;
  order.ip_address = actor.address.empty() ? "127.0.0.1" : actor.address;
  order.created_at = lifecycle_.clock().Now();
  order.expires_at = Timestamp{order.created_at.us + kOrderLifetimeUs};
  return pay::PaymentUrl(config_.gateway, order);
}

Result<VietQrView> Payments::VietQrOf(const Actor& actor, const std::string& code) {
  auto view = lifecycle_.Get(actor, code);
  if (!view) return std::unexpected(view.error());
  const Dossier& d = view->dossier;
  if (!d.payment.Due()) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.payment_not_due", code);
  }
  pay::VietQr q;
  q.bin = config_.bank.bin;
  q.account = config_.bank.account;
  q.amount = d.payment.amount_due;
  q.purpose = d.payment.reference;
  auto payload = pay::EncodeVietQr(q);
  if (!payload) return std::unexpected(payload.error());
  auto svg = pay::QrSvg(*payload);
  if (!svg) return std::unexpected(svg.error());
  VietQrView out{*payload, *svg, d.payment.amount_due, d.payment.reference, config_.bank};
  out.bank.notify_url.clear();
  out.bank.notify_secret.clear();
  return out;
}

GatewayOutcome Payments::GatewayNotification(const Actor& via, const pay::Params& params) {
  GatewayOutcome out;
  auto result = pay::VerifyNotification(config_.gateway, params);
  if (!result) {
    out.outcome = result.error().key == "gateway.bad_signature" ? "bad_signature" : "malformed";
    out.rsp_code = RspFor(out.outcome);
    return out;
  }
  Actor actor = via;
  actor.kind = Actor::Kind::kService;
  actor.id = "payment-gateway";
  actor.via = "gateway";
  auto r = lifecycle_.store().Write([&](store::Tx& tx) -> Result<void> {
    auto code = DossierOfReference(tx, result->txn_ref);
    if (!code) return std::unexpected(code.error());
    if (!*code) {
      out.outcome = "unknown_order";
      return {};
    }
    out.dossier = **code;
    if (!result->success()) {
      auto done = lifecycle_.ActInTx(tx, actor, "payment.notify", out.dossier,
                                     [&](const Dossier& d, const domain::Context& ctx) {
                                       domain::Context here = ctx;
                                       here.actor_unit = d.receiving_unit;
                                       return domain::RecordFailedPayment(
                                           d, "gateway", result->transaction_no,
                                           result->response_code, here);
                                     });
      if (!done) return std::unexpected(done.error());
      out.outcome = "failed";
      out.paid = done->payment.state == domain::PaymentState::kPaid;
      return {};
    }
    domain::PaymentInput in;
    in.channel = "gateway";
    in.online = true;
    in.platform = config_.platform;
    in.provider = "gateway";
    in.transaction_no = result->transaction_no;
    in.amount = result->amount;
    in.bank_code = result->bank_code;
    in.bank_tran_no = result->bank_tran_no;
    if (auto at = pay::ParseGatewayTime(result->pay_date)) in.paid_at = *at;
    Dossier after;
    auto outcome = RecordInTx(tx, actor, "payment.notify", out.dossier, in, &after);
    if (!outcome) return std::unexpected(outcome.error());
    out.outcome = *outcome;
    out.paid = after.payment.state == domain::PaymentState::kPaid;
    return {};
  });
  if (!r) out.outcome = "error";
  out.rsp_code = RspFor(out.outcome);
  return out;
}

Result<BankOutcome> Payments::BankNotification(const Actor& via, std::string_view body,
                                               std::string_view signature) {
  auto credit = pay::VerifyBankCredit(body, signature, config_.bank.notify_secret);
  if (!credit) return std::unexpected(credit.error());
  BankOutcome out;
  if (credit->direction != "in" || credit->account != config_.bank.account) {
    out.status = "ignored";
    return out;
  }
  auto ref = pay::FindReference(credit->content);
  if (!ref) {
    out.status = "unmatched";
    return out;
  }
  Actor actor = via;
  actor.kind = Actor::Kind::kService;
  actor.id = "bank-" + credit->bank;
  actor.via = "bank";
  auto r = lifecycle_.store().Write([&](store::Tx& tx) -> Result<void> {
    auto code = DossierOfReference(tx, *ref);
    if (!code) return std::unexpected(code.error());
    if (!*code) {
      out.status = "unmatched";
      return {};
    }
    out.dossier = **code;
    domain::PaymentInput in;
    in.channel = "bank_transfer";
    in.online = true;
    in.platform = "province";
    in.provider = "bank-" + credit->bank;
    in.transaction_no = credit->id;
    in.amount = credit->amount;
    in.bank_code = credit->bank;
    in.paid_at = credit->time;
    auto outcome = RecordInTx(tx, actor, "payment.notify", out.dossier, in, nullptr);
    if (!outcome) return std::unexpected(outcome.error());
    out.status = *outcome == "recorded" || *outcome == "duplicate" ? *outcome : "rejected";
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<Dossier> Payments::RecordCash(const Actor& actor, const std::string& code, int64_t amount) {
  Dossier out;
  auto r = lifecycle_.store().Write([&](store::Tx& tx) -> Result<void> {
    auto row = tx.GetDossier(code);
    if (!row) return std::unexpected(row.error());
    domain::PaymentInput in;
    in.channel = "counter_cash";
    in.provider = "counter-" + actor.unit;
    in.amount = amount;
    in.transaction_no = "none";
    if (*row) {
      auto d = ParseDossier(**row);
      if (!d) return std::unexpected(d.error());
      // The right first, then the facts: a caller without it learns nothing of the dossier.
      auto allowed =
          lifecycle_.access().Check(actor, "payment.cash", lifecycle_.access().TargetOf(actor, *d));
      if (!allowed) return std::unexpected(allowed.error());
      if (!d->payment.Due()) {
        return Fail(ErrorCode::kFailedPrecondition, "dossier.payment_not_due", code);
      }
      if (amount != d->payment.amount_due) {
        Error e{ErrorCode::kInvalidArgument, "payment.amount_mismatch", code, {}};
        e.With("amount", domain::FormatVnd(d->payment.amount_due));
        return std::unexpected(e);
      }
      // A cash payment's transaction is its receipt: numbered here, inside the transaction.
      auto serial = NextReceiptSerial(tx, *d, lifecycle_.clock().Now());
      if (!serial) return std::unexpected(serial.error());
      in.transaction_no = *serial;
      in.receipt_serial = *serial;
    }
    auto outcome = RecordInTx(tx, actor, "payment.cash", code, in, &out);
    if (!outcome) return std::unexpected(outcome.error());
    return {};
  });
  if (!r) {
    Error e = r.error();
    if (actor.kind == Actor::Kind::kCitizen && e.key == "auth.forbidden") {
      e = Error{ErrorCode::kNotFound, "dossier.not_found", code.substr(0, 64), {}};
    }
    return std::unexpected(
        lifecycle_.Rejected(actor, "payment.cash", "dossier/" + code.substr(0, 64), "", e));
  }
  return out;
}

Result<Dossier> Payments::Waive(const Actor& actor, const std::string& code,
                                const std::string& exemption, const std::string& reason) {
  return lifecycle_.Act(
      actor, "payment.waive", code,
      [&](const Dossier& d, const domain::Context& ctx) -> Result<std::vector<NewEvent>> {
        const domain::Procedure* p = lifecycle_.catalog().procedures().Find(d.procedure_code);
        if (!p) {
          return Fail(ErrorCode::kFailedPrecondition, "procedure.not_found", d.procedure_code);
        }
        return domain::WaiveFees(d, *p, exemption, reason, ctx);
      });
}

Result<Dossier> Payments::Refund(const Actor& actor, const std::string& code,
                                 const std::string& reason) {
  return lifecycle_.Act(actor, "payment.refund", code,
                        [&](const Dossier& d, const domain::Context& ctx) {
                          return domain::RefundPayment(d, reason, ctx);
                        });
}

Result<Documents::Receipt> Payments::Receipt(const Actor& actor, const std::string& code) {
  auto view = lifecycle_.Get(actor, code);
  if (!view) return std::unexpected(view.error());
  if (documents_ == nullptr) {
    return Fail(ErrorCode::kUnavailable, "service.unavailable", "receipts");
  }
  return documents_->FeeReceiptPdf(actor, view->dossier);
}

Result<bj::object> Payments::Reconcile(const Actor& actor, CivilDate date, std::string_view csv) {
  const domain::Unit* root = lifecycle_.catalog().units().Root();
  const std::string province = root ? root->code : "";
  auto allowed =
      lifecycle_.access().Check(actor, "payment.reconcile", domain::Target{{province}, false});
  if (!allowed) {
    return std::unexpected(lifecycle_.Rejected(actor, "payment.reconcile",
                                               "reconciliation/" + FormatIsoDate(date), province,
                                               allowed.error()));
  }
  auto lines = pay::ParseStatement(csv);
  if (!lines) return std::unexpected(lines.error());
  // The online payments recorded that day (Vietnam time); cash never reaches the account.
  std::vector<pay::RecordedPayment> recorded;
  store::EventQuery q;
  q.type = "PaymentSucceeded";
  q.from = FromVietnamLocal(date, 0);
  q.to = Timestamp{q.from->us + 24 * 60 * kMicrosPerMinute};
  q.limit = 10000;
  for (;;) {
    auto page = lifecycle_.store().QueryEvents(q);
    if (!page) return std::unexpected(page.error());
    for (const Event& e : *page) {
      if (json::OptString(e.payload, "channel").value_or("") == "counter_cash") continue;
      recorded.push_back({json::OptString(e.payload, "reference").value_or(""),
                          json::OptString(e.payload, "transaction_no").value_or(""),
                          e.stream.substr(e.stream.find('/') + 1),
                          json::OptInt(e.payload, "amount").value_or(0)});
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_seq = page->back().seq;
  }
  pay::Reconciliation rec = pay::Reconcile(*lines, recorded);
  bj::array mismatches;
  for (const auto& m : rec.mismatches) mismatches.push_back(MismatchJson(m));
  bj::object report{{"date", FormatIsoDate(date)},
                    {"lines", static_cast<int64_t>(lines->size())},
                    {"recorded", static_cast<int64_t>(recorded.size())},
                    {"matched", rec.matched},
                    {"matched_amount", rec.matched_amount},
                    {"mismatches", std::move(mismatches)}};
  auto r = lifecycle_.store().Write([&](store::Tx& tx) -> Result<void> {
    NewEvent n;
    n.stream = "reconciliation/" + FormatIsoDate(date);
    n.type = "StatementReconciled";
    n.unit = province;
    n.actor = actor.Ref();
    n.at = lifecycle_.clock().Now();
    n.payload = bj::object{{"report", report}};
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return AuditInTx(tx, actor, {"payment.reconcile", e->stream, province}, e->at, e->seq, e->seq);
  });
  if (!r) return std::unexpected(r.error());
  return report;
}

Result<std::optional<bj::object>> Payments::ReconciliationOf(const Actor& actor, CivilDate date) {
  const domain::Unit* root = lifecycle_.catalog().units().Root();
  auto allowed = lifecycle_.access().Check(actor, "payment.reconcile",
                                           domain::Target{{root ? root->code : ""}, false});
  if (!allowed) return std::unexpected(allowed.error());
  auto row = lifecycle_.store().GetCatalog("reconciliation", FormatIsoDate(date));
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<bj::object>();
  auto doc = json::Parse((*row)->doc);
  if (!doc || !doc->is_object())
    return Fail(ErrorCode::kDataLoss, "store.corrupt", "reconciliation");
  return std::optional<bj::object>(doc->get_object());
}

}  // namespace motcua::app
