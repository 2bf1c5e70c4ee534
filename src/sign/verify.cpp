#include "sign/verify.h"

#include <openssl/x509_vfy.h>

#include <algorithm>

#include "sign/detail/ossl.h"
#include "sign/detail/pdf.h"

namespace motcua::sign {

using namespace detail;

namespace {

struct RawSignature {
  std::string field_name;
  std::string sub_filter;
  std::string cms_der;
  std::string signed_bytes;
  bool covers_revision = false;
  int64_t covered_bytes = 0;
};

// The signature fields that hold a value, with their byte ranges checked against the file.
Result<std::vector<RawSignature>> ReadSignatures(std::string_view pdf) {
  auto doc = OpenPdf(pdf);
  if (!doc) return std::unexpected(doc.error());
  std::vector<RawSignature> out;
  try {
    for (QPDFObjectHandle field : detail::SignatureFieldObjects(**doc)) {
      QPDFObjectHandle v = field.getKey("/V");
      if (!v.isDictionary()) continue;  // an empty field awaiting a signature
      RawSignature raw;
      if (field.getKey("/T").isString()) raw.field_name = field.getKey("/T").getUTF8Value();
      if (v.getKey("/SubFilter").isName())
        raw.sub_filter = v.getKey("/SubFilter").getName().substr(1);
      if (v.getKey("/Contents").isString()) raw.cms_der = v.getKey("/Contents").getStringValue();
      QPDFObjectHandle range = v.getKey("/ByteRange");
      std::vector<int64_t> r;
      if (range.isArray()) {
        for (auto& item : range.getArrayAsVector()) {
          if (item.isInteger()) r.push_back(item.getIntValue());
        }
      }
      const auto size = static_cast<int64_t>(pdf.size());
      if (r.size() == 4 && r[0] == 0 && r[1] > 0 && r[2] > r[1] && r[3] >= 0 &&
          r[2] + r[3] <= size) {
        // The hole must be exactly the /Contents hex string: '<' … '>'.
        raw.covers_revision =
            pdf[static_cast<size_t>(r[1])] == '<' && pdf[static_cast<size_t>(r[2] - 1)] == '>';
        raw.covered_bytes = r[2] + r[3];
        raw.signed_bytes = std::string(pdf.substr(0, static_cast<size_t>(r[1])));
        raw.signed_bytes += pdf.substr(static_cast<size_t>(r[2]), static_cast<size_t>(r[3]));
      }
      out.push_back(std::move(raw));
    }
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", e.what());
  }
  return out;
}

std::optional<Timestamp> SigningTime(CMS_SignerInfo* si) {
  int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (idx < 0) return std::nullopt;
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
  if (t == nullptr || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME)) {
    return std::nullopt;
  }
  auto ts = FromAsn1Time(t->value.asn1_string);
  if (!ts) return std::nullopt;
  return *ts;
}

void CheckCms(const RawSignature& raw, const TrustAnchors& anchors, SignatureCheck& check) {
  const auto* p = reinterpret_cast<const unsigned char*>(raw.cms_der.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(raw.cms_der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    check.problem = "not a CMS SignedData";
    ERR_clear_error();
    return;
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
    check.problem = "not exactly one signer";
    return;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  check.signing_time = SigningTime(si);

  // The signature over the bytes (the certificate is judged below, at the signing time).
  Store empty(X509_STORE_new());
  Bio content(BIO_new_mem_buf(raw.signed_bytes.data(), static_cast<int>(raw.signed_bytes.size())));
  check.digest_matches = CMS_verify(cms.get(), nullptr, empty.get(), content.get(), nullptr,
                                    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  if (!check.digest_matches) check.problem = OpenSslErrors();
  ERR_clear_error();

  CertStack certs(CMS_get1_certs(cms.get()));
  if (!certs) certs.reset(sk_X509_new_null());
  CMS_set1_signers_certs(cms.get(), certs.get(), 0);
  X509* signer = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &signer, nullptr, nullptr);
  ERR_clear_error();
  if (signer == nullptr) {
    check.chain_detail = "the signer's certificate is not in the signature";
    return;
  }
  auto info = ParseCertificate(CertDer(signer));
  if (info) check.signer = *info;

  Store store(X509_STORE_new());
  for (const std::string& der : anchors.roots) {
    if (auto c = LoadCert(der)) X509_STORE_add_cert(store.get(), c->get());
  }
  for (const std::string& der : anchors.intermediates) {
    if (auto c = LoadCert(der)) sk_X509_push(certs.get(), c->release());
  }
  StoreCtx ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), signer, certs.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (check.signing_time) X509_VERIFY_PARAM_set_time(param, Seconds(*check.signing_time));
  if (X509_verify_cert(ctx.get()) == 1) {
    check.chain = ChainStatus::kTrusted;
  } else {
    int err = X509_STORE_CTX_get_error(ctx.get());
    check.chain_detail = X509_verify_cert_error_string(err);
    check.chain = err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID
                      ? ChainStatus::kExpired
                      : ChainStatus::kUntrusted;
  }
  ERR_clear_error();
  if (check.chain == ChainStatus::kTrusted && check.signer && anchors.revocation) {
    check.revocation = anchors.revocation(check.signer->serial_hex);
    if (check.revocation) {
      bool before = !check.signing_time || check.revocation->at <= *check.signing_time;
      check.chain = before ? ChainStatus::kRevoked : ChainStatus::kRevokedLater;
    }
  }
}

}  // namespace

std::string_view ChainStatusName(ChainStatus s) {
  switch (s) {
    case ChainStatus::kTrusted:
      return "trusted";
    case ChainStatus::kUntrusted:
      return "untrusted";
    case ChainStatus::kExpired:
      return "expired";
    case ChainStatus::kRevoked:
      return "revoked";
    case ChainStatus::kRevokedLater:
      return "revoked_later";
  }
  return "untrusted";
}

bool PdfVerification::all_valid() const {
  if (signatures.empty() || changed_after_last_signature) return false;
  return std::all_of(signatures.begin(), signatures.end(),
                     [](const SignatureCheck& s) { return s.valid(); });
}

Result<PdfVerification> VerifyPdf(std::string_view pdf, const TrustAnchors& anchors) {
  auto raws = ReadSignatures(pdf);
  if (!raws) return std::unexpected(raws.error());
  PdfVerification out;
  out.file_size = static_cast<int64_t>(pdf.size());
  int64_t last_valid_end = 0;
  for (const RawSignature& raw : *raws) {
    SignatureCheck check;
    check.field_name = raw.field_name;
    check.sub_filter = raw.sub_filter;
    check.covers_revision = raw.covers_revision;
    check.covered_bytes = raw.covered_bytes;
    if (!raw.covers_revision) {
      check.problem = "the byte range does not cover the file around the signature";
    } else {
      CheckCms(raw, anchors, check);
    }
    if (check.digest_matches && check.covers_revision) {
      last_valid_end = std::max(last_valid_end, raw.covered_bytes);
    }
    out.signatures.push_back(std::move(check));
  }
  // An incremental update ends with "%%EOF" and a line end; allow that much slack.
  if (!out.signatures.empty()) {
    std::string_view tail =
        pdf.substr(static_cast<size_t>(std::min(last_valid_end, out.file_size)));
    out.changed_after_last_signature = tail.find_first_not_of("\r\n") != std::string_view::npos;
  }
  return out;
}

Result<std::vector<ExtractedSignature>> ExtractSignatures(std::string_view pdf) {
  auto raws = ReadSignatures(pdf);
  if (!raws) return std::unexpected(raws.error());
  std::vector<ExtractedSignature> out;
  for (RawSignature& raw : *raws) {
    // The hole is zero-padded after the DER; keep only the DER object.
    const auto* p = reinterpret_cast<const unsigned char*>(raw.cms_der.data());
    Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(raw.cms_der.size())));
    if (cms)
      raw.cms_der.resize(
          static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(raw.cms_der.data())));
    ERR_clear_error();
    out.push_back({std::move(raw.field_name), std::move(raw.cms_der), std::move(raw.signed_bytes)});
  }
  return out;
}

}  // namespace motcua::sign
