#include "sign/pki.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>

#include "sign/detail/ossl.h"

namespace motcua::sign {
namespace detail {

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Error SslError(ErrorCode code, std::string key, std::string_view what) {
  return Error{code, std::move(key), std::string(what) + ": " + OpenSslErrors(), {}};
}

Result<PKey> LoadKey(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size()));
  if (p8 == nullptr)
    return std::unexpected(SslError(ErrorCode::kInvalidArgument, "pki.bad_key", "key"));
  PKey key(EVP_PKCS82PKEY(p8));
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (!key) return std::unexpected(SslError(ErrorCode::kInvalidArgument, "pki.bad_key", "key"));
  return key;
}

Result<Cert> LoadCert(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Cert c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!c || p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return std::unexpected(
        SslError(ErrorCode::kInvalidArgument, "pki.bad_certificate", "certificate"));
  }
  return c;
}

std::string CertDer(X509* cert) {
  int n = i2d_X509(cert, nullptr);
  if (n <= 0) return {};
  std::string out(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509(cert, &p);
  return out;
}

Result<Timestamp> FromAsn1Time(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return Fail(ErrorCode::kInvalidArgument, "pki.bad_time", "ASN.1 time");
  }
  return Timestamp{static_cast<int64_t>(timegm(&tm)) * kMicrosPerSecond};
}

int64_t Seconds(Timestamp t) { return t.us / kMicrosPerSecond; }

std::string Sha256(std::string_view data) {
  std::string out(32, '\0');
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), nullptr,
             EVP_sha256(), nullptr);
  return out;
}

}  // namespace detail

using namespace detail;

namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

bool IsHex(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool AddEntry(X509_NAME* name, int nid, const std::string& value) {
  if (value.empty()) return true;
  return X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

std::string Entry(const X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return {};
  ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

bool AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

std::string_view KeyAlgorithmName(KeyAlgorithm a) {
  return a == KeyAlgorithm::kRsa2048 ? "rsa2048" : "p256";
}

Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view s) {
  if (s == "rsa2048") return KeyAlgorithm::kRsa2048;
  if (s == "p256") return KeyAlgorithm::kEcP256;
  return Fail(ErrorCode::kInvalidArgument, "pki.bad_algorithm", std::string(s));
}

std::string_view CertKindName(CertKind k) {
  switch (k) {
    case CertKind::kRootCa:
      return "root_ca";
    case CertKind::kIssuingCa:
      return "issuing_ca";
    case CertKind::kPersonal:
      return "personal";
    case CertKind::kOrganisation:
      return "organisation";
  }
  return "personal";
}

Result<CertKind> ParseCertKind(std::string_view s) {
  for (CertKind k :
       {CertKind::kRootCa, CertKind::kIssuingCa, CertKind::kPersonal, CertKind::kOrganisation}) {
    if (CertKindName(k) == s) return k;
  }
  return Fail(ErrorCode::kInvalidArgument, "pki.bad_kind", std::string(s));
}

Result<std::string> GenerateKey(KeyAlgorithm algorithm) {
  PKey key(algorithm == KeyAlgorithm::kRsa2048
               ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
               : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return std::unexpected(SslError(ErrorCode::kInternal, "pki.keygen", "keygen"));
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key.get());
  if (p8 == nullptr) return std::unexpected(SslError(ErrorCode::kInternal, "pki.keygen", "pkcs8"));
  int n = i2d_PKCS8_PRIV_KEY_INFO(p8, nullptr);
  std::string out(static_cast<size_t>(n > 0 ? n : 0), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_PKCS8_PRIV_KEY_INFO(p8, &p);
  PKCS8_PRIV_KEY_INFO_free(p8);
  return out;
}

std::string RandomSerial() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[0] &= 0x7F;
  b[0] |= 0x10;  // never a leading zero byte: the hex form is the canonical one
  std::string hex = Hex(b, sizeof b);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

Result<std::string> IssueCertificate(const IssueParams& params, std::string_view subject_key,
                                     std::string_view issuer_cert, std::string_view issuer_key) {
  if (params.subject.common_name.empty() || params.not_after <= params.not_before ||
      !IsHex(params.serial_hex)) {
    return Fail(ErrorCode::kInvalidArgument, "pki.bad_params",
                "name, validity or serial of the certificate");
  }
  auto subject = LoadKey(subject_key);
  if (!subject) return std::unexpected(subject.error());
  auto signer = LoadKey(issuer_key);
  if (!signer) return std::unexpected(signer.error());
  Cert issuer;
  if (!issuer_cert.empty()) {
    auto c = LoadCert(issuer_cert);
    if (!c) return std::unexpected(c.error());
    issuer = std::move(*c);
  }

  Cert cert(X509_new());
  BIGNUM* bn = nullptr;
  BN_hex2bn(&bn, params.serial_hex.c_str());
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  BN_free(bn);
  bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
            X509_set_serialNumber(cert.get(), serial) == 1 &&
            ASN1_TIME_set(X509_getm_notBefore(cert.get()), Seconds(params.not_before)) != nullptr &&
            ASN1_TIME_set(X509_getm_notAfter(cert.get()), Seconds(params.not_after)) != nullptr &&
            X509_set_pubkey(cert.get(), subject->get()) == 1;
  ASN1_INTEGER_free(serial);

  X509_NAME* name = X509_get_subject_name(cert.get());
  const Subject& s = params.subject;
  ok = ok && AddEntry(name, NID_countryName, "VN") &&
       AddEntry(name, NID_stateOrProvinceName, s.province) &&
       AddEntry(name, NID_organizationName, s.organisation) &&
       AddEntry(name, NID_organizationalUnitName, s.unit) &&
       AddEntry(name, NID_title, s.position) && AddEntry(name, NID_userId, s.identifier) &&
       AddEntry(name, NID_commonName, s.common_name) &&
       AddEntry(name, NID_pkcs9_emailAddress, s.email);
  ok = ok &&
       X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer.get()) : name) == 1;

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer.get() : cert.get(), cert.get(), nullptr, nullptr, 0);
  bool ca = params.kind == CertKind::kRootCa || params.kind == CertKind::kIssuingCa;
  ok = ok && AddExtension(cert.get(), &ctx, NID_basic_constraints,
                          params.kind == CertKind::kRootCa      ? "critical,CA:TRUE"
                          : params.kind == CertKind::kIssuingCa ? "critical,CA:TRUE,pathlen:0"
                                                                : "critical,CA:FALSE");
  ok = ok && AddExtension(
                 cert.get(), &ctx, NID_key_usage,
                 ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
  ok = ok && AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  ok = ok && AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (!params.crl_url.empty() && params.kind != CertKind::kRootCa) {
    ok = ok && AddExtension(cert.get(), &ctx, NID_crl_distribution_points, "URI:" + params.crl_url);
  }
  if (!ok)
    return std::unexpected(SslError(ErrorCode::kInternal, "pki.issue", "certificate fields"));
  if (X509_sign(cert.get(), signer->get(), EVP_sha256()) <= 0) {
    return std::unexpected(SslError(ErrorCode::kInternal, "pki.issue", "signing the certificate"));
  }
  return CertDer(cert.get());
}

Result<CertificateInfo> ParseCertificate(std::string_view der) {
  auto cert = LoadCert(der);
  if (!cert) return std::unexpected(cert.error());
  CertificateInfo info;
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert->get()), nullptr);
  char* hex = BN_bn2hex(bn);
  info.serial_hex = hex;
  OPENSSL_free(hex);
  BN_free(bn);
  const X509_NAME* name = X509_get_subject_name(cert->get());
  info.subject.common_name = Entry(name, NID_commonName);
  info.subject.organisation = Entry(name, NID_organizationName);
  info.subject.unit = Entry(name, NID_organizationalUnitName);
  info.subject.position = Entry(name, NID_title);
  info.subject.identifier = Entry(name, NID_userId);
  info.subject.province = Entry(name, NID_stateOrProvinceName);
  info.subject.email = Entry(name, NID_pkcs9_emailAddress);
  info.issuer_name = Entry(X509_get_issuer_name(cert->get()), NID_commonName);
  auto from = FromAsn1Time(X509_get0_notBefore(cert->get()));
  auto to = FromAsn1Time(X509_get0_notAfter(cert->get()));
  if (!from || !to) return Fail(ErrorCode::kInvalidArgument, "pki.bad_certificate", "validity");
  info.not_before = *from;
  info.not_after = *to;
  info.is_ca = X509_check_ca(cert->get()) != 0;
  unsigned char md[32];
  unsigned int n = 0;
  X509_digest(cert->get(), EVP_sha256(), md, &n);
  info.fingerprint_sha256 = Hex(md, n);
  return info;
}

bool KeyMatches(std::string_view cert_der, std::string_view key_der) {
  auto cert = LoadCert(cert_der);
  auto key = LoadKey(key_der);
  bool ok = cert && key && X509_check_private_key(cert->get(), key->get()) == 1;
  ERR_clear_error();
  return ok;
}

std::string ToPem(std::string_view der, std::string_view label) {
  std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(der.data()),
                          static_cast<int>(der.size()));
  b64.resize(static_cast<size_t>(n));
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + std::string(label) + "-----\n";
}

Result<std::string> FromPem(std::string_view pem) {
  size_t begin = pem.find("-----BEGIN ");
  size_t body = begin == std::string_view::npos ? begin : pem.find('\n', begin);
  size_t end = body == std::string_view::npos ? body : pem.find("-----END ", body);
  if (end == std::string_view::npos) return Fail(ErrorCode::kInvalidArgument, "pki.bad_pem");
  std::string b64;
  for (char c : pem.substr(body, end - body)) {
    if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
  }
  std::string der(b64.size() / 4 * 3 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0 || b64.size() % 4 != 0) return Fail(ErrorCode::kInvalidArgument, "pki.bad_pem");
  size_t pad = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
  der.resize(static_cast<size_t>(n) - pad);
  return der;
}

Result<std::string> BuildCrl(std::string_view issuer_cert, std::string_view issuer_key,
                             const std::vector<Revocation>& revoked, Timestamp this_update,
                             Timestamp next_update, int64_t number) {
  auto issuer = LoadCert(issuer_cert);
  if (!issuer) return std::unexpected(issuer.error());
  auto key = LoadKey(issuer_key);
  if (!key) return std::unexpected(key.error());
  Crl crl(X509_CRL_new());
  ASN1_TIME* last = ASN1_TIME_set(nullptr, Seconds(this_update));
  ASN1_TIME* next = ASN1_TIME_set(nullptr, Seconds(next_update));
  bool ok = X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1 &&
            X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer->get())) == 1 &&
            X509_CRL_set1_lastUpdate(crl.get(), last) == 1 &&
            X509_CRL_set1_nextUpdate(crl.get(), next) == 1;
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  for (const Revocation& r : revoked) {
    if (!ok) break;
    if (!IsHex(r.serial_hex)) {
      return Fail(ErrorCode::kInvalidArgument, "pki.bad_params", "revoked serial " + r.serial_hex);
    }
    X509_REVOKED* entry = X509_REVOKED_new();
    BIGNUM* bn = nullptr;
    BN_hex2bn(&bn, r.serial_hex.c_str());
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    ASN1_TIME* when = ASN1_TIME_set(nullptr, Seconds(r.at));
    ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
    ASN1_ENUMERATED_set(reason,
                        r.key_compromise ? CRL_REASON_KEY_COMPROMISE : CRL_REASON_UNSPECIFIED);
    ok = X509_REVOKED_set_serialNumber(entry, serial) == 1 &&
         X509_REVOKED_set_revocationDate(entry, when) == 1 &&
         X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, reason, 0, 0) == 1;
    ASN1_ENUMERATED_free(reason);
    ASN1_TIME_free(when);
    ASN1_INTEGER_free(serial);
    if (!ok || X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      ok = false;
    }
  }
  ASN1_INTEGER* crl_number = ASN1_INTEGER_new();
  ASN1_INTEGER_set_int64(crl_number, number);
  ok = ok && X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number, 0, 0) == 1;
  ASN1_INTEGER_free(crl_number);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer->get(), nullptr, nullptr, crl.get(), 0);
  X509_EXTENSION* aki =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always");
  ok = ok && aki != nullptr && X509_CRL_add_ext(crl.get(), aki, -1) == 1;
  X509_EXTENSION_free(aki);
  ok =
      ok && X509_CRL_sort(crl.get()) == 1 && X509_CRL_sign(crl.get(), key->get(), EVP_sha256()) > 0;
  if (!ok) return std::unexpected(SslError(ErrorCode::kInternal, "pki.crl", "building the CRL"));
  int n = i2d_X509_CRL(crl.get(), nullptr);
  std::string out(static_cast<size_t>(n > 0 ? n : 0), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509_CRL(crl.get(), &p);
  return out;
}

}  // namespace motcua::sign
