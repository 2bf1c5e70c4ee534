// Verification of the signatures in a PDF, as an independent tool would do it: for each signature
// field, the byte range must cover the file except the /Contents hole, the CMS signature must
// match those bytes, and the signer's certificate must chain to a trusted root and be within its
// validity at the signing time. Revocation is the caller's registry (the CRL's source), asked for
// the state at the signing time. Nothing here trusts what the file says about itself beyond the
// CMS: the signing time is the CMS signingTime attribute (the /M entry only when it is absent).
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "sign/pki.h"

namespace motcua::sign {

struct TrustAnchors {
  std::vector<std::string> roots;          // DER; trusted as they are
  std::vector<std::string> intermediates;  // DER; used to build chains, not trusted
  // The revocation of a certificate (by serial, upper-case hex), if it was revoked.
  std::function<std::optional<Revocation>(const std::string& serial_hex)> revocation;
};

enum class ChainStatus {
  kTrusted,       // chains to a root, valid at the signing time
  kUntrusted,     // no chain to a trusted root (an unknown certificate)
  kExpired,       // was not valid at the signing time (expired or not yet valid)
  kRevoked,       // revoked before the signing time
  kRevokedLater,  // revoked after the signing time: the signature stays valid
};
std::string_view ChainStatusName(
    ChainStatus s);  // "trusted", "untrusted", "expired", "revoked", "revoked_later"

struct SignatureCheck {
  std::string field_name;
  std::string sub_filter;
  bool digest_matches = false;   // the CMS signature is valid over the byte range
  bool covers_revision = false;  // the byte range is well formed (whole revision minus the hole)
  int64_t covered_bytes = 0;     // where the signed revision ends
  std::optional<Timestamp> signing_time;
  std::optional<CertificateInfo> signer;  // absent if the CMS names no usable certificate
  ChainStatus chain = ChainStatus::kUntrusted;
  std::string chain_detail;  // OpenSSL's reason when the chain fails
  std::optional<Revocation> revocation;
  std::string problem;  // why the CMS did not verify ("" when it did)
  bool valid() const {
    return digest_matches && covers_revision &&
           (chain == ChainStatus::kTrusted || chain == ChainStatus::kRevokedLater);
  }
};

struct PdfVerification {
  std::vector<SignatureCheck> signatures;  // in field order
  int64_t file_size = 0;
  // Bytes after the last valid signature's revision: something changed the file since.
  bool changed_after_last_signature = false;
  bool all_valid() const;  // signed, every signature valid, nothing changed after the last
};

// Errors: pdf.not_pdf, pdf.damaged, pdf.unsupported (kInvalidArgument). An unsigned PDF is not an
// error: its verification lists no signature.
Result<PdfVerification> VerifyPdf(std::string_view pdf, const TrustAnchors& anchors);

// The detached CMS of each signature, with the bytes it signs (for other tools).
struct ExtractedSignature {
  std::string field_name;
  std::string cms_der;
  std::string signed_bytes;
};
Result<std::vector<ExtractedSignature>> ExtractSignatures(std::string_view pdf);

}  // namespace motcua::sign
