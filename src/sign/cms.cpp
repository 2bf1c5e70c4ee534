#include <openssl/ess.h>
#include <openssl/x509v3.h>

#include "sign/detail/ossl.h"
#include "sign/pades.h"

namespace motcua::sign {

using namespace detail;

LocalKeySigner::~LocalKeySigner() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<std::string> LocalKeySigner::SignDigest(std::string_view digest, Timestamp at) {
  if (digest.size() != 32) return Fail(ErrorCode::kInternal, "sign.bad_digest", "not SHA-256");
  auto key = LoadKey(key_);
  if (!key) return std::unexpected(key.error());
  auto cert = LoadCert(cert_);
  if (!cert) return std::unexpected(cert.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    return std::unexpected(SslError(ErrorCode::kFailedPrecondition, "sign.key_mismatch",
                                    "the key does not belong to the certificate"));
  }
  CertStack chain(sk_X509_new_null());
  for (const std::string& der : chain_) {
    auto c = LoadCert(der);
    if (!c) return std::unexpected(c.error());
    sk_X509_push(chain.get(), c->release());
  }
  constexpr unsigned kFlags = CMS_DETACHED | CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP;
  Cms cms(CMS_sign(nullptr, nullptr, chain.get(), nullptr, kFlags));
  if (!cms) return std::unexpected(SslError(ErrorCode::kInternal, "sign.cms", "CMS_sign"));
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), cert->get(), key->get(), EVP_sha256(), kFlags);
  if (si == nullptr) return std::unexpected(SslError(ErrorCode::kInternal, "sign.cms", "signer"));

  // Signed attributes: content type, message digest, signing time, signing-certificate-v2
  // (which binds the certificate to the signature, as CAdES requires).
  ASN1_TIME* when = ASN1_TIME_set(nullptr, Seconds(at));
  bool ok = CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                        OBJ_nid2obj(NID_pkcs7_data), -1) == 1 &&
            CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                        digest.data(), 32) == 1 &&
            CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when, -1) == 1;
  ASN1_TIME_free(when);
  ESS_SIGNING_CERT_V2* ess =
      OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert->get(), nullptr, 1);
  ok = ok && ess != nullptr;
  if (ok) {
    int n = i2d_ESS_SIGNING_CERT_V2(ess, nullptr);
    std::string der(static_cast<size_t>(n > 0 ? n : 0), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_ESS_SIGNING_CERT_V2(ess, &p);
    ASN1_STRING* seq = ASN1_STRING_new();
    ok = ASN1_STRING_set(seq, der.data(), static_cast<int>(der.size())) == 1 &&
         CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE, seq,
                                     -1) == 1;
    ASN1_STRING_free(seq);
  }
  ESS_SIGNING_CERT_V2_free(ess);
  ok = ok && CMS_SignerInfo_sign(si) == 1;
  if (!ok) return std::unexpected(SslError(ErrorCode::kInternal, "sign.cms", "signing"));
  int n = i2d_CMS_ContentInfo(cms.get(), nullptr);
  if (n <= 0) return std::unexpected(SslError(ErrorCode::kInternal, "sign.cms", "encoding"));
  std::string out(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_CMS_ContentInfo(cms.get(), &p);
  return out;
}

}  // namespace motcua::sign
