// The certificate hierarchy, modelled on the government one (a root CA above an issuing CA that
// certifies officials and agencies): key generation, certificate issuance with the identifying
// fields of a Vietnamese official certificate, parsing, and certificate revocation lists.
// Certificates and keys cross this interface as DER strings (keys as PKCS#8); OpenSSL stays in
// the .cpp files. Keys here are plaintext: whoever stores one seals it first (app/pki.h).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace motcua::sign {

enum class KeyAlgorithm { kRsa2048, kEcP256 };
std::string_view KeyAlgorithmName(KeyAlgorithm a);           // "rsa2048", "p256"
Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view s);  // error pki.bad_algorithm

enum class CertKind {
  kRootCa,        // self-signed trust anchor
  kIssuingCa,     // certifies officials and agencies
  kPersonal,      // an official (chữ ký số cá nhân)
  kOrganisation,  // an agency's seal (chữ ký số tổ chức)
};
std::string_view CertKindName(CertKind k);  // "root_ca", "issuing_ca", "personal", "organisation"
Result<CertKind> ParseCertKind(std::string_view s);  // error pki.bad_kind

// The subject's identifying fields (all UTF-8). A personal certificate names the official, the
// position and the unit and agency; an organisation certificate names the agency and carries its
// tax or budget code as UID (e.g. "MNS:1234567").
struct Subject {
  std::string common_name;   // CN: the official's or the agency's name
  std::string organisation;  // O: the agency
  std::string unit;          // OU: the unit within the agency (personal)
  std::string position;      // title: the official's position (personal)
  std::string identifier;    // UID: "MST:…" or "MNS:…" (organisation)
  std::string province;      // ST
  std::string email;         // emailAddress (optional)
};

struct IssueParams {
  CertKind kind = CertKind::kPersonal;
  Subject subject;
  std::string serial_hex;  // from RandomSerial()
  Timestamp not_before;
  Timestamp not_after;
  std::string crl_url;  // CRL distribution point (optional)
};

// A fresh key pair as PKCS#8 DER. Error pki.keygen (kInternal).
Result<std::string> GenerateKey(KeyAlgorithm algorithm);
// 16 random bytes as upper-case hex with the top bit clear (a positive serial).
std::string RandomSerial();
// Issues a certificate for the key `subject_key` (PKCS#8 DER; only its public half is used),
// signed by the issuer's key. `issuer_cert` empty means self-signed (the root). Errors:
// pki.bad_key, pki.bad_certificate (the issuer's), pki.bad_params (kInvalidArgument: empty name,
// not_after ≤ not_before, a serial that is not hex), pki.issue (kInternal).
Result<std::string> IssueCertificate(const IssueParams& params, std::string_view subject_key,
                                     std::string_view issuer_cert, std::string_view issuer_key);

struct CertificateInfo {
  std::string serial_hex;
  Subject subject;
  std::string issuer_name;  // the issuer's CN
  Timestamp not_before;
  Timestamp not_after;
  bool is_ca = false;
  std::string fingerprint_sha256;  // hex, lower case
};
// Error pki.bad_certificate (kInvalidArgument) when `der` is not a certificate.
Result<CertificateInfo> ParseCertificate(std::string_view der);
// Whether the certificate and the key (PKCS#8 DER) belong together.
bool KeyMatches(std::string_view cert_der, std::string_view key_der);
// PEM armour for a DER object ("CERTIFICATE", "X509 CRL").
std::string ToPem(std::string_view der, std::string_view label);
// The DER inside the first PEM block. Error pki.bad_pem (kInvalidArgument).
Result<std::string> FromPem(std::string_view pem);

struct Revocation {
  std::string serial_hex;
  Timestamp at;
  std::string reason;  // free text kept by the registry; the CRL says "unspecified"/"keyCompromise"
  bool key_compromise = false;
};
// A version 2 CRL signed by the issuer, listing `revoked`, with its number.
Result<std::string> BuildCrl(std::string_view issuer_cert, std::string_view issuer_key,
                             const std::vector<Revocation>& revoked, Timestamp this_update,
                             Timestamp next_update, int64_t number);

}  // namespace motcua::sign
