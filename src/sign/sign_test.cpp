// The signing layer against independent tools: poppler's pdfsig (with an NSS database that trusts
// our root), OpenSSL's `cms -verify` on the extracted signature, pdftotext and pdftoppm.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sign/document.h"
#include "sign/pades.h"
#include "sign/pki.h"
#include "sign/verify.h"

namespace motcua::sign {
namespace {

namespace fs = std::filesystem;

constexpr Timestamp At(int64_t days_after_2026) {
  // 2026-01-01T00:00:00Z is 20454 days after the epoch.
  return Timestamp{(20454 + days_after_2026) * kMicrosPerDay};
}

struct Output {
  int status = -1;
  std::string out;  // stdout and stderr
};

Output Shell(const std::string& command) {
  Output r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void WriteFile(const fs::path& p, std::string_view bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct Party {
  std::string key;
  std::string cert;
};

// A root CA, an issuing CA, a leader (personal) and an agency (organisation), as the government
// hierarchy has them.
class Hierarchy {
 public:
  explicit Hierarchy(KeyAlgorithm algorithm = KeyAlgorithm::kEcP256) : algorithm_(algorithm) {
    root = Make(CertKind::kRootCa,
                {.common_name = "motcua Root CA (thử nghiệm)", .organisation = "Tỉnh Hà Tĩnh"},
                nullptr, At(-30), At(3650));
    issuing = Make(CertKind::kIssuingCa,
                   {.common_name = "motcua Issuing CA", .organisation = "Tỉnh Hà Tĩnh"}, &root,
                   At(-30), At(1825));
    leader = Make(CertKind::kPersonal,
                  {.common_name = "Nguyễn Thị Hồng Nhung",
                   .organisation = "Ủy ban nhân dân xã Thạch Hà",
                   .unit = "Lãnh đạo UBND xã",
                   .position = "Chủ tịch",
                   .province = "Hà Tĩnh"},
                  &issuing, At(-10), At(700));
    agency = Make(CertKind::kOrganisation,
                  {.common_name = "Ủy ban nhân dân xã Thạch Hà",
                   .organisation = "Ủy ban nhân dân xã Thạch Hà",
                   .identifier = "MNS:1098765",
                   .province = "Hà Tĩnh"},
                  &issuing, At(-10), At(700));
  }
  Party Make(CertKind kind, Subject subject, const Party* issuer, Timestamp from, Timestamp to) {
    Party p;
    p.key = GenerateKey(algorithm_).value();
    IssueParams params{kind, std::move(subject), RandomSerial(), from, to, ""};
    p.cert =
        IssueCertificate(params, p.key, issuer ? issuer->cert : "", issuer ? issuer->key : p.key)
            .value();
    return p;
  }
  LocalKeySigner SignerFor(const Party& p) const { return {p.key, p.cert, {issuing.cert}}; }
  TrustAnchors Anchors() const { return {{root.cert}, {issuing.cert}, nullptr}; }

  Party root, issuing, leader, agency;

 private:
  KeyAlgorithm algorithm_;
};

DocumentContent SampleContent() {
  DocumentContent c;
  c.authority = "ỦY BAN NHÂN DÂN HUYỆN THẠCH HÀ";
  c.unit = "ỦY BAN NHÂN DÂN XÃ THẠCH HÀ";
  c.number = "Số: 15/KQ-UBND";
  c.place = "Thạch Hà";
  c.date = {2026, 11, 20};
  c.title = "GIẤY XÁC NHẬN KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";
  c.subtitle = "Đăng ký khai sinh";
  c.paragraphs = {
      "Căn cứ Luật Hộ tịch năm 2014 và hồ sơ số 99501-261120-0007 của bà Trần Thị Lựu, nộp ngày "
      "18/11/2026, Ủy ban nhân dân xã Thạch Hà xác nhận thủ tục đã được giải quyết.",
      "Kết quả: Giấy khai sinh của cháu Nguyễn Ngọc Ánh, sinh ngày 02/11/2026."};
  c.signer_position = "CHỦ TỊCH";
  c.signer_name = "Nguyễn Thị Hồng Nhung";
  c.footer = "Mã kiểm tra: ABCD2345EFGH. Kiểm tra chữ ký tại https://motcua.example/#/xac-thuc";
  c.qr_text = "https://motcua.example/#/xac-thuc/ABCD2345EFGH";
  return c;
}

// The result signed by the leader, then by the agency.
std::string SignedResult(Hierarchy& h) {
  std::string pdf = RenderDocument(SampleContent()).value();
  LocalKeySigner leader = h.SignerFor(h.leader);
  pdf =
      SignPdf(pdf, {"", "Nguyễn Thị Hồng Nhung", "Phê duyệt kết quả", "Thạch Hà", At(323)}, leader)
          .value();
  LocalKeySigner agency = h.SignerFor(h.agency);
  return SignPdf(pdf, {"", "Ủy ban nhân dân xã Thạch Hà", "Đóng dấu cơ quan", "Thạch Hà", At(323)},
                 agency)
      .value();
}

class SignTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-sign-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // An NSS database (for pdfsig) that trusts `root`.
  std::string NssTrusting(const std::string& root_der) {
    fs::path db = dir_ / "nss";
    fs::create_directories(db);
    WriteFile(dir_ / "root.pem", ToPem(root_der, "CERTIFICATE"));
    Output init = Shell("certutil -N -d sql:" + db.string() + " --empty-password");
    EXPECT_EQ(init.status, 0) << init.out;
    Output add = Shell("certutil -A -d sql:" + db.string() + " -n root -t CT,C,C -i " +
                       (dir_ / "root.pem").string());
    EXPECT_EQ(add.status, 0) << add.out;
    return "sql:" + db.string();
  }
  fs::path dir_;
};

TEST_F(SignTest, CertificatesCarryTheOfficialFields) {
  Hierarchy h;
  auto leader = ParseCertificate(h.leader.cert).value();
  EXPECT_EQ(leader.subject.common_name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(leader.subject.position, "Chủ tịch");
  EXPECT_EQ(leader.subject.unit, "Lãnh đạo UBND xã");
  EXPECT_EQ(leader.subject.organisation, "Ủy ban nhân dân xã Thạch Hà");
  EXPECT_EQ(leader.issuer_name, "motcua Issuing CA");
  EXPECT_FALSE(leader.is_ca);
  auto agency = ParseCertificate(h.agency.cert).value();
  EXPECT_EQ(agency.subject.identifier, "MNS:1098765");
  EXPECT_TRUE(ParseCertificate(h.issuing.cert)->is_ca);
  EXPECT_TRUE(KeyMatches(h.leader.cert, h.leader.key));
  EXPECT_FALSE(KeyMatches(h.leader.cert, h.agency.key));

  // openssl itself accepts the chain.
  WriteFile(dir_ / "root.pem", ToPem(h.root.cert, "CERTIFICATE"));
  WriteFile(dir_ / "issuing.pem", ToPem(h.issuing.cert, "CERTIFICATE"));
  WriteFile(dir_ / "leader.pem", ToPem(h.leader.cert, "CERTIFICATE"));
  Output v = Shell("openssl verify -attime " + std::to_string(At(100).us / kMicrosPerSecond) +
                   " -CAfile " + (dir_ / "root.pem").string() + " -untrusted " +
                   (dir_ / "issuing.pem").string() + " " + (dir_ / "leader.pem").string());
  EXPECT_EQ(v.status, 0) << v.out;

  EXPECT_EQ(IssueCertificate({CertKind::kPersonal, {}, RandomSerial(), At(0), At(1), ""},
                             h.leader.key, h.issuing.cert, h.issuing.key)
                .error()
                .key,
            "pki.bad_params");
  EXPECT_EQ(ParseCertificate("not a certificate").error().key, "pki.bad_certificate");
}

TEST(UpperVietnamese, CoversEveryVietnameseLetter) {
  EXPECT_EQ(UpperVietnamese("ủy ban nhân dân tỉnh sông trà"), "ỦY BAN NHÂN DÂN TỈNH SÔNG TRÀ");
  EXPECT_EQ(UpperVietnamese("đắk lắk ơ ư ă ĩ ũ ỹ ạ ậ ợ ự ý à"), "ĐẮK LẮK Ơ Ư Ă Ĩ Ũ Ỹ Ạ Ậ Ợ Ự Ý À");
  EXPECT_EQ(UpperVietnamese("ĐÃ HOA 123 ÷"), "ĐÃ HOA 123 ÷");
}

TEST_F(SignTest, ResultRendersVietnameseText) {
  std::string pdf = RenderDocument(SampleContent()).value();
  WriteFile(dir_ / "result.pdf", pdf);
  Output text = Shell("pdftotext " + (dir_ / "result.pdf").string() + " -");
  ASSERT_EQ(text.status, 0) << text.out;
  // Lines wrap where the layout wraps them: compare with runs of white space as one space.
  std::string flat;
  for (char ch : text.out) {
    bool space = ch == ' ' || ch == '\n' || ch == '\f';
    if (!space)
      flat += ch;
    else if (!flat.empty() && flat.back() != ' ')
      flat += ' ';
  }
  text.out = flat;
  EXPECT_EQ(text.out.find("Syntax Warning"), std::string::npos) << text.out;
  for (const char* expected :
       {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ THẠCH HÀ", "Số: 15/KQ-UBND", "Thạch Hà, ngày 20 tháng 11 năm 2026",
        "GIẤY XÁC NHẬN KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "bà Trần Thị Lựu", "Nguyễn Ngọc Ánh",
        "CHỦ TỊCH", "(Đã ký số)", "Nguyễn Thị Hồng Nhung", "Mã kiểm tra: ABCD2345EFGH"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
  // It renders: pdftoppm draws the page without a complaint.
  Output png = Shell("pdftoppm -r 60 -png " + (dir_ / "result.pdf").string() + " " +
                     (dir_ / "page").string());
  EXPECT_EQ(png.status, 0) << png.out;
  EXPECT_TRUE(png.out.empty()) << png.out;
  EXPECT_TRUE(fs::exists(dir_ / "page-1.png"));
  EXPECT_EQ(RenderDocument(SampleContent(), "/nonexistent.ttf").error().key, "document.font");
}

// Letters built from a base letter and a mark (the dot below of ạ ộ ụ ự ỵ) must be drawn with the
// mark: the page with them differs from the page with the bare letters.
TEST_F(SignTest, MarksBelowAreDrawn) {
  auto page = [&](const std::string& text, const std::string& name) {
    DocumentContent c;
    c.title = text;
    WriteFile(dir_ / (name + ".pdf"), RenderDocument(c).value());
    Output r = Shell("pdftoppm -r 72 -gray -singlefile " + (dir_ / (name + ".pdf")).string() + " " +
                     (dir_ / name).string());
    EXPECT_EQ(r.status, 0) << r.out;
    std::ifstream in(dir_ / (name + ".pgm"), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string bare = page("a o u ư y ô ê", "bare");
  ASSERT_FALSE(bare.empty());
  for (const char* marked : {"ạ o u ư y ô ê", "a o ụ ư y ô ê", "a o u ự y ô ê", "a o u ư ỵ ô ê",
                             "a o u ư y ộ ê", "a o u ư y ô ệ"}) {
    EXPECT_NE(page(marked, "marked"), bare) << marked << " is drawn without its dot below";
  }
}

TEST_F(SignTest, PdfsigAndOpensslVerifyBothSignaturesAndSeeOneChangedByte) {
  for (KeyAlgorithm algorithm : {KeyAlgorithm::kEcP256, KeyAlgorithm::kRsa2048}) {
    SCOPED_TRACE(std::string(KeyAlgorithmName(algorithm)));
    Hierarchy h(algorithm);
    std::string pdf = SignedResult(h);
    std::string nss = NssTrusting(h.root.cert);
    fs::path file = dir_ / "signed.pdf";
    WriteFile(file, pdf);

    Output sig = Shell("pdfsig -nssdir " + nss + " " + file.string());
    EXPECT_EQ(sig.status, 0) << sig.out;
    auto count = [](const std::string& text, const std::string& what) {
      int n = 0;
      for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
      return n;
    };
    EXPECT_EQ(count(sig.out, "Signature is Valid."), 2) << sig.out;
    EXPECT_EQ(count(sig.out, "Certificate is Trusted."), 2) << sig.out;
    EXPECT_NE(sig.out.find("Nguyễn Thị Hồng Nhung"), std::string::npos) << sig.out;
    EXPECT_NE(sig.out.find("ETSI.CAdES.detached"), std::string::npos) << sig.out;

    // openssl cms -verify on each extracted signature, against the root alone.
    auto extracted = ExtractSignatures(pdf).value();
    ASSERT_EQ(extracted.size(), 2U);
    for (size_t i = 0; i < extracted.size(); ++i) {
      WriteFile(dir_ / "sig.der", extracted[i].cms_der);
      WriteFile(dir_ / "content.bin", extracted[i].signed_bytes);
      Output cms =
          Shell("openssl cms -verify -binary -inform DER -in " + (dir_ / "sig.der").string() +
                " -content " + (dir_ / "content.bin").string() + " -CAfile " +
                (dir_ / "root.pem").string() + " -attime " +
                std::to_string(At(323).us / kMicrosPerSecond) + " -out /dev/null");
      EXPECT_EQ(cms.status, 0) << cms.out;
      EXPECT_NE(cms.out.find("Verification successful"), std::string::npos) << cms.out;
    }

    // One byte of the page changed: both tools call every signature broken.
    std::string changed = pdf;
    size_t at = changed.find("/MediaBox");
    ASSERT_NE(at, std::string::npos);
    changed[at + 1] = 'm';
    WriteFile(file, changed);
    Output bad = Shell("pdfsig -nssdir " + nss + " " + file.string());
    EXPECT_EQ(count(bad.out, "Signature is Valid."), 0) << bad.out;
    EXPECT_GE(count(bad.out, "Digest Mismatch"), 2) << bad.out;
    auto broken = ExtractSignatures(changed).value();
    WriteFile(dir_ / "sig.der", broken[0].cms_der);
    WriteFile(dir_ / "content.bin", broken[0].signed_bytes);
    Output cms =
        Shell("openssl cms -verify -binary -inform DER -in " + (dir_ / "sig.der").string() +
              " -content " + (dir_ / "content.bin").string() + " -CAfile " +
              (dir_ / "root.pem").string() + " -out /dev/null");
    EXPECT_NE(cms.status, 0) << cms.out;
    EXPECT_EQ(cms.out.find("Verification successful"), std::string::npos) << cms.out;
    fs::remove_all(dir_ / "nss");
  }
}

TEST_F(SignTest, OwnVerifierReportsSignersTimesAndChanges) {
  Hierarchy h;
  std::string pdf = SignedResult(h);
  auto v = VerifyPdf(pdf, h.Anchors()).value();
  ASSERT_EQ(v.signatures.size(), 2U);
  EXPECT_TRUE(v.all_valid());
  EXPECT_EQ(v.signatures[0].signer->subject.common_name, "Nguyễn Thị Hồng Nhung");
  EXPECT_EQ(v.signatures[1].signer->subject.identifier, "MNS:1098765");
  EXPECT_EQ(v.signatures[0].signing_time, At(323));
  EXPECT_LT(v.signatures[0].covered_bytes, v.signatures[1].covered_bytes);
  EXPECT_EQ(v.signatures[1].covered_bytes, static_cast<int64_t>(pdf.size()));

  // Bytes appended after the last signature are a change.
  auto appended = VerifyPdf(pdf + "% changed\n", h.Anchors()).value();
  EXPECT_TRUE(appended.changed_after_last_signature);
  EXPECT_FALSE(appended.all_valid());

  // A changed byte inside the signed range.
  std::string changed = pdf;
  changed[changed.find("/MediaBox") + 1] = 'm';
  auto broken = VerifyPdf(changed, h.Anchors()).value();
  EXPECT_FALSE(broken.signatures[0].digest_matches);
  EXPECT_FALSE(broken.signatures[1].digest_matches);

  // Another hierarchy's root does not vouch for these signers.
  Hierarchy other;
  auto foreign = VerifyPdf(pdf, other.Anchors()).value();
  EXPECT_TRUE(foreign.signatures[0].digest_matches);
  EXPECT_EQ(foreign.signatures[0].chain, ChainStatus::kUntrusted);
  EXPECT_FALSE(foreign.all_valid());
}

TEST_F(SignTest, RevocationIsJudgedAtTheSigningTime) {
  Hierarchy h;
  std::string pdf = SignedResult(h);  // signed on day 323
  std::string serial = ParseCertificate(h.leader.cert)->serial_hex;
  TrustAnchors later = h.Anchors();
  later.revocation = [&](const std::string& s) -> std::optional<Revocation> {
    if (s == serial) return Revocation{serial, At(330), "thôi giữ chức vụ", false};
    return std::nullopt;
  };
  auto v = VerifyPdf(pdf, later).value();
  EXPECT_EQ(v.signatures[0].chain, ChainStatus::kRevokedLater);
  EXPECT_TRUE(v.signatures[0].valid());
  EXPECT_TRUE(v.all_valid());

  TrustAnchors before = h.Anchors();
  before.revocation = [&](const std::string& s) -> std::optional<Revocation> {
    if (s == serial) return Revocation{serial, At(300), "lộ khóa", true};
    return std::nullopt;
  };
  auto r = VerifyPdf(pdf, before).value();
  EXPECT_EQ(r.signatures[0].chain, ChainStatus::kRevoked);
  EXPECT_FALSE(r.all_valid());
  EXPECT_EQ(r.signatures[1].chain, ChainStatus::kTrusted);

  // A certificate that had expired when it signed.
  Party old = h.Make(CertKind::kPersonal, {.common_name = "Cán bộ cũ"}, &h.issuing, At(0), At(10));
  LocalKeySigner old_signer = h.SignerFor(old);
  std::string late = SignPdf(RenderDocument(SampleContent()).value(),
                             {"", "Cán bộ cũ", "", "", At(20)}, old_signer)
                         .value();
  EXPECT_EQ(VerifyPdf(late, h.Anchors())->signatures[0].chain, ChainStatus::kExpired);

  // The CRL lists the revoked serial; openssl reads it.
  std::string crl = BuildCrl(h.issuing.cert, h.issuing.key, {{serial, At(300), "lộ khóa", true}},
                             At(301), At(308), 7)
                        .value();
  WriteFile(dir_ / "crl.der", crl);
  Output text = Shell("openssl crl -inform DER -noout -text -in " + (dir_ / "crl.der").string());
  EXPECT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("Serial Number: " + serial), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Key Compromise"), std::string::npos) << text.out;
}

TEST_F(SignTest, BadInputGetsAClearAnswer) {
  Hierarchy h;
  EXPECT_EQ(VerifyPdf("hello, not a pdf", h.Anchors()).error().key, "pdf.not_pdf");
  EXPECT_EQ(VerifyPdf("", h.Anchors()).error().key, "pdf.not_pdf");
  std::string pdf = SignedResult(h);
  // The cross-reference table points nowhere.
  std::string broken = pdf;
  size_t xref = broken.rfind("startxref\n");
  broken.replace(xref + 10, 4, "9999");
  auto damaged = VerifyPdf(broken, h.Anchors());
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().key, "pdf.damaged");
  EXPECT_EQ(VerifyPdf(pdf.substr(0, pdf.size() / 2), h.Anchors()).error().key, "pdf.damaged");
  // Unsigned: a verification with no signature, not an error.
  auto unsigned_pdf = VerifyPdf(RenderDocument(SampleContent()).value(), h.Anchors()).value();
  EXPECT_TRUE(unsigned_pdf.signatures.empty());
  EXPECT_FALSE(unsigned_pdf.all_valid());
  // A signature whose /Contents is garbage.
  std::string garbage = pdf;
  size_t hole = garbage.rfind("/Contents <") + 11;
  garbage.replace(hole, 6, "FFFFFF");
  auto g = VerifyPdf(garbage, h.Anchors()).value();
  EXPECT_FALSE(g.signatures.back().valid());
  // Signing something that is not a PDF.
  LocalKeySigner leader = h.SignerFor(h.leader);
  EXPECT_EQ(SignPdf("GIF89a", {}, leader).error().key, "pdf.not_pdf");
  EXPECT_EQ(NormalisePdf(pdf).error().key, "pdf.already_signed");
  // A field name that is taken.
  EXPECT_EQ(SignPdf(pdf, {"Signature1", "x", "", "", At(323)}, leader).error().key,
            "sign.field_exists");
  // A key that is not the certificate's.
  LocalKeySigner mismatched(h.agency.key, h.leader.cert, {h.issuing.cert});
  EXPECT_EQ(SignPdf(RenderDocument(SampleContent()).value(), {"", "x", "", "", At(1)}, mismatched)
                .error()
                .key,
            "sign.key_mismatch");
}

TEST_F(SignTest, NormalisedForeignPdfCanBeSigned) {
  Hierarchy h;
  // qpdf's own output with object streams (a cross-reference stream) is refused as it is, and
  // accepted once normalised.
  std::string pdf = RenderDocument(SampleContent()).value();
  WriteFile(dir_ / "in.pdf", pdf);
  Output q = Shell("qpdf --object-streams=generate " + (dir_ / "in.pdf").string() + " " +
                   (dir_ / "os.pdf").string());
  ASSERT_EQ(q.status, 0) << q.out;
  std::ifstream in(dir_ / "os.pdf", std::ios::binary);
  std::string with_streams((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LocalKeySigner leader = h.SignerFor(h.leader);
  EXPECT_EQ(SignPdf(with_streams, {"", "x", "", "", At(1)}, leader).error().key, "pdf.unsupported");
  std::string normal = NormalisePdf(with_streams).value();
  std::string signed_pdf = SignPdf(normal, {"", "x", "", "", At(1)}, leader).value();
  EXPECT_TRUE(VerifyPdf(signed_pdf, h.Anchors())->all_valid());
}

}  // namespace
}  // namespace motcua::sign
