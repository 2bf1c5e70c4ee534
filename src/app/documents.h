// The documents the platform issues and signs, and their public verification.
// - Electronic results: when a leader completes their step of a dossier, the result PDF is
//   generated from the procedure's template (data/results/templates.json) and signed with the
//   leader's personal certificate; when the last step completes, the competent unit's
//   organisation certificate seals it and the dossier records ResultIssued. The result is kept
//   as "<dossier code>-KQ1" and carries a verification code and a QR code to the public page.
// - Any PDF (receipts, slips, later official documents): signed by an officer (personal) or for
//   the officer's unit (organisation).
// Every signature is an event (DocumentSigned on stream document/<id>) so the personal and
// organisation signature rates can be counted; each signed revision's bytes are a blob.
// Verification answers, for a PDF or a verification code, who signed, as what, when, whether
// the file is intact and whether each certificate chained to our root and was valid and
// unrevoked at signing time.
// Thread-safety: thread-safe (state lives in the store and the blob directory).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/catalog.h"
#include "app/files.h"
#include "app/lifecycle.h"
#include "app/pki.h"
#include "base/error.h"
#include "sign/document.h"

namespace motcua::app {

struct DocumentSignature {
  std::string kind;  // "personal" or "organisation"
  std::string serial;
  std::string holder;
  std::string signer_name;
  std::string position;
  std::string unit;
  Timestamp at;
  boost::json::object ToJson() const;
  static DocumentSignature FromJson(const boost::json::object& o);
};

// A signed document as the registry keeps it (catalogue kind "document").
struct SignedDocument {
  std::string id;
  std::string purpose;  // "result", "document"
  std::string dossier;  // for results
  std::string title;
  std::string unit;
  std::string verify_code;
  domain::FileRef file;  // the latest signed revision
  std::vector<DocumentSignature> signatures;
  boost::json::object ToJson() const;
  static Result<SignedDocument> FromJson(const boost::json::object& o);
};

// The catalogue rows a DocumentSigned event writes, given the document's current row (for the
// live projection, rebuild and verify). Error projection.bad_event.
Result<std::vector<store::CatalogRow>> DocumentRows(const std::optional<std::string>& current,
                                                    const Event& e);

// The templates of result documents: a default and per-procedure overrides. Placeholders:
// {dossier_code} {applicant_name} {submitted_date} {procedure_name} {procedure_code}
// {unit_name} {result_name} {legal_basis}.
struct ResultTemplate {
  std::string title;
  std::vector<std::string> paragraphs;
};
struct ResultTemplates {
  ResultTemplate fallback;
  std::map<std::string, ResultTemplate, std::less<>> by_procedure;
  const ResultTemplate& For(std::string_view procedure_code) const;
};
// Error documents.bad_templates (kInvalidArgument) naming the problem.
Result<ResultTemplates> LoadResultTemplates(const std::filesystem::path& file);

struct DocumentOptions {
  std::string public_url = "http://localhost:8080";  // the QR code's link goes below it
  std::string place;                                 // "Sông Trà", for the date line
  std::string font_path = sign::kDefaultFontPath;
};

// The verification of one PDF, for the API and the command line.
struct Verification {
  sign::PdfVerification pdf;
  std::string sha256;
  std::optional<SignedDocument> registered;  // the registry's document, if the file is ours
  // The registry's record of each signer's certificate (by index in pdf.signatures).
  std::vector<std::optional<CertificateRecord>> certificates;
  std::string Verdict() const;  // "valid", "invalid", "unsigned"
  boost::json::object ToJson() const;
};

class Documents : public ResultIssuer {
 public:
  Documents(store::Store& store, std::shared_ptr<const Catalog> catalog, const Pki& pki,
            const BlobStore& blobs, const Access& access, const Clock& clock,
            ResultTemplates templates, DocumentOptions options)
      : store_(store),
        catalog_(std::move(catalog)),
        pki_(pki),
        blobs_(blobs),
        access_(access),
        clock_(clock),
        templates_(std::move(templates)),
        options_(std::move(options)) {}

  // ResultIssuer: the leader's signature when a leader completes their step, the unit's seal and
  // ResultIssued when the last step completes. Nothing when the procedure has no result or the
  // leader holds no certificate (the result is then on paper). Errors: pki.certificate_revoked,
  // pki.certificate_expired (the signer's certificates are all unusable), document.*.
  Result<std::vector<NewEvent>> BeforeStepCompletion(const Actor& actor,
                                                     const domain::Dossier& d) override;

  // Signs `pdf` as the actor ("personal") or for the actor's unit ("organisation"). Checked as
  // "document.sign". Returns the registered document and the signed bytes. Errors: pdf.*,
  // pki.*, document.bad_kind, document.too_large.
  Result<std::pair<SignedDocument, std::string>> Sign(const Actor& actor, std::string_view pdf,
                                                      std::string_view kind,
                                                      const std::string& title);

  // Signs `pdf` as `holder` ("officer:<account id>" or "unit:<code>") for `actor`, who the caller
  // has already allowed to (Sign's permission check, or the operator at the command line).
  Result<std::pair<SignedDocument, std::string>> SignAs(const Actor& actor,
                                                        const std::string& holder,
                                                        std::string_view pdf,
                                                        const std::string& title);

  // Public verification of a file or of a verification code (pdf.*, document.not_found).
  Result<Verification> Verify(std::string_view pdf) const;
  Result<Verification> VerifyCode(std::string_view code) const;

  // The receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả) of a received
  // dossier the caller has already been allowed to read, as a PDF sealed with the receiving
  // unit's certificate the first time it is asked for (DocumentSigned, purpose "receipt",
  // "<code>-TN") and the same bytes afterwards. Without a seal certificate the PDF is unsigned
  // (`signed` false) and nothing is recorded. Error document.not_received (kFailedPrecondition).
  struct Receipt {
    std::string pdf;
    bool signed_ = false;
    std::string verify_code;
  };
  Result<Receipt> ReceiptPdf(const Actor& actor, const domain::Dossier& d);

  // The electronic receipt (biên lai điện tử) of the dossier's latest payment: serial number,
  // fee lines, the amount in figures and in Vietnamese words, sealed with the collecting
  // (receiving) unit's certificate the first time it is asked for (DocumentSigned, purpose
  // "fee_receipt", "<code>-BL<n>") and the same bytes afterwards; unsigned without a seal
  // certificate. Error dossier.not_paid (kFailedPrecondition).
  Result<Receipt> FeeReceiptPdf(const Actor& actor, const domain::Dossier& d);

  // The signed result of a dossier the caller has already been allowed to read.
  Result<std::string> ResultBytes(const domain::Dossier& d) const;

 private:
  Result<std::optional<SignedDocument>> FindDocument(const std::string& id) const;
  Result<std::string> RenderResult(const domain::Dossier& d, const CertificateRecord& signer,
                                   const std::string& verify_code) const;
  Result<std::string> RenderReceipt(const domain::Dossier& d, const std::string& verify_code) const;
  Result<std::string> RenderFeeReceipt(const domain::Dossier& d, const domain::PaymentEntry& paid,
                                       const std::string& verify_code) const;
  // A document issued once for a dossier and sealed by `unit`: rendered and sealed on the first
  // request (DocumentSigned), the stored bytes afterwards; unsigned without a seal certificate.
  struct Sealed {
    std::string id, purpose, title, unit, reason;
  };
  Result<Receipt> SealOnce(const Actor& actor, const domain::Dossier& d, const Sealed& what,
                           const std::function<Result<std::string>(const std::string&)>& render);
  // The authority and unit lines of a document issued by `unit_code`.
  std::pair<std::string, std::string> Heading(const std::string& unit_code) const;
  // Signs `pdf` with `key`, stores the revision and returns the DocumentSigned event.
  Result<NewEvent> SignRevision(const Actor& actor, SignedDocument& doc, std::string& pdf,
                                SigningKey& key, const std::string& reason) const;

  store::Store& store_;
  std::shared_ptr<const Catalog> catalog_;
  const Pki& pki_;
  const BlobStore& blobs_;
  const Access& access_;
  const Clock& clock_;
  ResultTemplates templates_;
  DocumentOptions options_;
};

// The largest PDF accepted for signing or verification.
inline constexpr int64_t kMaxPdfBytes = 20 << 20;

}  // namespace motcua::app
