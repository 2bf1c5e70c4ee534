// RAII owners for the OpenSSL objects of this folder, and conversions between DER strings and
// them. Internal to src/sign.
#pragma once

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace motcua::sign::detail {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Crl = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
struct CertStackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertStack = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

// The queued OpenSSL error messages, joined (and the queue cleared).
std::string OpenSslErrors();
// Error{code, key} whose detail is `what` and the OpenSSL error queue.
Error SslError(ErrorCode code, std::string key, std::string_view what);

Result<PKey> LoadKey(std::string_view pkcs8_der);
Result<Cert> LoadCert(std::string_view der);
std::string CertDer(X509* cert);
// Seconds since the epoch for an ASN1 time, and back.
Result<Timestamp> FromAsn1Time(const ASN1_TIME* t);
int64_t Seconds(Timestamp t);
std::string Sha256(std::string_view data);  // raw 32 bytes

}  // namespace motcua::sign::detail
