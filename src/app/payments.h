// Online payment of fees and charges (issue #7; docs/design/0002-payments.md): the use cases
// around a dossier's payment. Money reaches a dossier through a payment gateway (redirect and
// signed IPN, pay/gateway.h), a bank transfer made from a VietQR code (the bank's signed credit
// notification matched by the payment reference, pay/bank.h) or cash at the counter; each is
// recorded once (idempotent by the provider's transaction number), checked against the amount
// due, numbered with a receipt serial (data/codes.json "receipt") and answered with a sealed
// electronic receipt. The bank's daily statement is reconciled against what was recorded
// (pay/statement.h). 766 index indicator 3.6 reads PaymentSucceeded.online.
// Thread-safety: thread-safe (state lives in the store; the configuration is immutable).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/documents.h"
#include "app/lifecycle.h"
#include "pay/config.h"
#include "pay/gateway.h"

namespace motcua::app {

// What a gateway notification (IPN or the payer's return) led to.
struct GatewayOutcome {
  std::string rsp_code;  // the protocol's answer (pay::IpnAnswer): 00, 01, 02, 04, 97, 99
  std::string outcome;   // recorded, duplicate, amount_mismatch, not_due, failed, unknown_order,
                         // bad_signature, malformed, error
  std::string dossier;   // the dossier concerned, "" when unknown
  bool paid = false;     // the dossier's fees are paid after it
};

struct BankOutcome {
  std::string status;  // recorded, duplicate, rejected, unmatched, ignored
  std::string dossier;
};

struct VietQrView {
  std::string payload;
  std::string svg;
  int64_t amount = 0;
  std::string reference;
  pay::BankAccountConfig bank;  // notify_* cleared
};

class Payments {
 public:
  // `documents` may be null (no receipts as PDFs then: payment.receipts_unavailable).
  Payments(Lifecycle& lifecycle, pay::PaymentConfig config, Documents* documents)
      : lifecycle_(lifecycle), config_(std::move(config)), documents_(documents) {}

  // The gateway page to send the payer to, for a dossier with fees due. Checked as
  // "payment.pay". Errors: dossier.not_found, dossier.payment_not_due.
  Result<std::string> StartGateway(const Actor& actor, const std::string& code);
  // The VietQR code for a transfer of the amount due with the reference (read access).
  Result<VietQrView> VietQrOf(const Actor& actor, const std::string& code);

  // A gateway notification, verified and recorded at most once. Never an error: a bad signature
  // or an unknown order is an outcome the protocol answers (97, 01). `via` is the caller's
  // origin (address, request id) for the trail.
  GatewayOutcome GatewayNotification(const Actor& via, const pay::Params& params);
  // A bank credit notification. Errors: bank.bad_signature (kUnauthenticated), bank.malformed;
  // a credit that matches no dossier is "unmatched" (it will show in the reconciliation).
  Result<BankOutcome> BankNotification(const Actor& via, std::string_view body,
                                       std::string_view signature);

  // The one-stop officer takes the amount due in cash. Checked as "payment.cash". Errors:
  // dossier.payment_not_due, payment.amount_mismatch (kInvalidArgument).
  Result<domain::Dossier> RecordCash(const Actor& actor, const std::string& code, int64_t amount);
  Result<domain::Dossier> Waive(const Actor& actor, const std::string& code,
                                const std::string& exemption, const std::string& reason);
  Result<domain::Dossier> Refund(const Actor& actor, const std::string& code,
                                 const std::string& reason);
  // The electronic receipt of the latest payment (read access; sealed on first request).
  Result<Documents::Receipt> Receipt(const Actor& actor, const std::string& code);

  // Reconciles the collecting account's statement for `date` (Vietnam time) with the gateway
  // and bank payments recorded that day; records StatementReconciled and returns the report.
  // Checked as "payment.reconcile" at the province. Errors: statement.* (bad CSV).
  Result<boost::json::object> Reconcile(const Actor& actor, CivilDate date, std::string_view csv);
  // The last report for `date`, if any.
  Result<std::optional<boost::json::object>> ReconciliationOf(const Actor& actor, CivilDate date);

  const pay::PaymentConfig& config() const { return config_; }

 private:
  // The dossier a payment reference (or a gateway order "<reference>T<n>") belongs to.
  Result<std::optional<std::string>> DossierOfReference(store::Tx& tx, std::string_view ref);
  // Records `in` on the dossier inside tx (serial assigned when recorded); returns the outcome.
  Result<std::string> RecordInTx(store::Tx& tx, const Actor& actor, std::string_view action,
                                 const std::string& code, domain::PaymentInput in,
                                 domain::Dossier* out);
  Result<std::string> NextReceiptSerial(store::Tx& tx, const domain::Dossier& d, Timestamp now);

  Lifecycle& lifecycle_;
  const pay::PaymentConfig config_;
  Documents* documents_;
};

// The catalogue row a dossier's submission writes so that a payment reference finds its
// dossier (kind "payment_ref"), and the row of a StatementReconciled (kind "reconciliation").
std::optional<store::CatalogRow> PaymentIndexRow(const Event& e);

}  // namespace motcua::app
