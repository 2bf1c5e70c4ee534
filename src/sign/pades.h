// PAdES signatures on PDF files: each signature is an incremental update appended to the file
// (a signature dictionary, an invisible signature field on the first page, the updated catalogue
// and page, a classic cross-reference section), so earlier signatures stay valid. The signature
// value is a detached CMS SignedData (SubFilter ETSI.CAdES.detached) over the file's bytes except
// the /Contents hole, with the signing-certificate-v2 and signing-time attributes.
// The key stays behind KeySigner: a local key (LocalKeySigner) now, an HSM or a remote signing
// service later, each producing the CMS for a digest.
// Thread-safety: functions are pure; a KeySigner is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::sign {

class KeySigner {
 public:
  virtual ~KeySigner() = default;
  // A detached CMS SignedData (DER) over content whose SHA-256 is `digest` (32 bytes), signed at
  // `at`. Errors: sign.* (the key is unusable), pki.* (the material is malformed).
  [[nodiscard]] virtual Result<std::string> SignDigest(std::string_view digest, Timestamp at) = 0;
};

// Signs with a key held in memory (PKCS#8 DER), its certificate and the chain up to the root
// (issuing CA first), all embedded in the CMS so a verifier needs only the root.
class LocalKeySigner : public KeySigner {
 public:
  LocalKeySigner(std::string key_der, std::string cert_der, std::vector<std::string> chain_der)
      : key_(std::move(key_der)), cert_(std::move(cert_der)), chain_(std::move(chain_der)) {}
  ~LocalKeySigner() override;  // wipes the key bytes
  Result<std::string> SignDigest(std::string_view digest, Timestamp at) override;

 private:
  std::string key_;
  std::string cert_;
  std::vector<std::string> chain_;
};

struct SignatureFields {
  std::string field_name;  // unique in the file, e.g. "Signature1"
  std::string signer_name;
  std::string reason;    // e.g. "Phê duyệt kết quả"
  std::string location;  // e.g. "Hà Tĩnh"
  Timestamp time;        // also written as the signature dictionary's /M
};

// Bytes reserved for the CMS (the /Contents hole holds twice as many hex digits).
inline constexpr size_t kSignatureReserve = 8192;

// Appends a signature to `pdf`. The file must have a classic cross-reference table at its end
// (NormalisePdf makes one). Errors: pdf.not_pdf, pdf.damaged (kInvalidArgument: qpdf cannot read
// it), pdf.unsupported (a cross-reference stream, no page, encryption), sign.field_exists,
// sign.too_large (the CMS does not fit the reserve), and the signer's errors.
Result<std::string> SignPdf(std::string_view pdf, const SignatureFields& fields, KeySigner& signer);

// Rewrites a PDF that has no signature with a classic cross-reference table (no object streams),
// so SignPdf can append to it. Errors: pdf.not_pdf, pdf.damaged, pdf.already_signed.
Result<std::string> NormalisePdf(std::string_view pdf);

}  // namespace motcua::sign
