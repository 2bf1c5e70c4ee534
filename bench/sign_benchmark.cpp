// Electronic-result benchmark (issue #6): prints, for RSA-2048 and ECDSA P-256 keys,
//   1. results per second: the result PDF generated (libharu, embedded DejaVu Serif, QR code)
//      and signed twice as incremental PAdES updates (leader, then agency), single thread;
//   2. the parts side by side: generation alone (the baseline) and one signature alone, with
//      the ratio of a whole result to the generation baseline;
//   3. the sizes: the unsigned page and the signed result, and what the two signatures add;
//   4. verifications per second of the signed result (both signatures, chain to the root).
// Usage: sign_benchmark [--smoke] [--out FILE] (FILE: the last signed result, to look at).
// Figures are printed, never asserted.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "sign/document.h"
#include "sign/pades.h"
#include "sign/pki.h"
#include "sign/verify.h"

namespace {

using namespace motcua;
using namespace motcua::sign;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Party {
  std::string key, cert;
};

Party Make(KeyAlgorithm a, CertKind kind, Subject s, const Party* issuer) {
  Party p;
  p.key = GenerateKey(a).value();
  const Timestamp now{static_cast<int64_t>(std::time(nullptr)) * kMicrosPerSecond};
  IssueParams params{kind,
                     std::move(s),
                     RandomSerial(),
                     Timestamp{now.us - kMicrosPerDay},
                     Timestamp{now.us + 365 * kMicrosPerDay},
                     ""};
  p.cert = IssueCertificate(params, p.key, issuer ? issuer->cert : "", issuer ? issuer->key : p.key)
               .value();
  return p;
}

DocumentContent Content(int i) {
  DocumentContent c;
  c.authority = "ỦY BAN NHÂN DÂN TỈNH SÔNG TRÀ";
  c.unit = "ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH";
  c.number = "Số: 99501-261120-" + std::to_string(1000 + i) + "-KQ1";
  c.place = "Sông Trà";
  c.date = {2026, 11, 20};
  c.title = "TRÍCH LỤC KẾT QUẢ ĐĂNG KÝ KHAI SINH";
  c.subtitle = "Giấy khai sinh";
  c.paragraphs = {"Căn cứ Luật Hộ tịch năm 2014; Nghị định 123/2015/NĐ-CP;",
                  "Theo hồ sơ số 99501-261120-" + std::to_string(1000 + i) +
                      " do Nguyễn Văn An nộp ngày 18/11/2026, Ủy ban nhân dân phường An Bình đã "
                      "đăng ký khai sinh theo yêu cầu.",
                  "Văn bản này là kết quả giải quyết thủ tục hành chính bản điện tử."};
  c.signer_position = "CHỦ TỊCH";
  c.signer_name = "Trần Thị Lan";
  c.footer = "Mã kiểm tra: ABCD2345EFGH.";
  c.qr_text = "https://motcua.example/#/xac-thuc/ABCD2345EFGH";
  return c;
}

void Run(KeyAlgorithm algorithm, int n, const char* out) {
  Party root = Make(algorithm, CertKind::kRootCa, {.common_name = "Root"}, nullptr);
  Party issuing = Make(algorithm, CertKind::kIssuingCa, {.common_name = "Issuing"}, &root);
  Party leader = Make(algorithm, CertKind::kPersonal,
                      {.common_name = "Trần Thị Lan", .position = "Chủ tịch"}, &issuing);
  Party agency =
      Make(algorithm, CertKind::kOrganisation, {.common_name = "UBND phường An Bình"}, &issuing);
  LocalKeySigner leader_signer(leader.key, leader.cert, {issuing.cert});
  LocalKeySigner agency_signer(agency.key, agency.cert, {issuing.cert});
  const Timestamp at{static_cast<int64_t>(std::time(nullptr)) * kMicrosPerSecond};

  size_t unsigned_size = 0, signed_size = 0;
  std::string last;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) unsigned_size = RenderDocument(Content(i)).value().size();
  const double render_s = Seconds(t0);

  std::string page = RenderDocument(Content(0)).value();
  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) SignPdf(page, {"", "x", "", "", at}, leader_signer).value();
  const double sign_s = Seconds(t0);

  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    std::string pdf = RenderDocument(Content(i)).value();
    pdf = SignPdf(pdf, {"", "Trần Thị Lan", "Phê duyệt", "Sông Trà", at}, leader_signer).value();
    pdf = SignPdf(pdf, {"", "UBND phường An Bình", "Đóng dấu", "Sông Trà", at}, agency_signer)
              .value();
    signed_size = pdf.size();
    last = std::move(pdf);
  }
  const double whole_s = Seconds(t0);

  const TrustAnchors anchors{{root.cert}, {issuing.cert}, nullptr};
  t0 = std::chrono::steady_clock::now();
  bool all_valid = true;
  for (int i = 0; i < n; ++i) all_valid = all_valid && VerifyPdf(last, anchors).value().all_valid();
  const double verify_s = Seconds(t0);

  if (out != nullptr) {
    if (FILE* f = std::fopen(out, "wb")) {
      std::fwrite(last.data(), 1, last.size(), f);
      std::fclose(f);
    }
  }
  std::printf("%-8s  results/s (generate + 2 signatures): %7.1f  (%.2f ms each)\n",
              std::string(KeyAlgorithmName(algorithm)).c_str(), n / whole_s, 1000 * whole_s / n);
  std::printf(
      "          baseline, generation alone:         %7.1f/s (%.2f ms); whole/baseline time ratio "
      "%.2f\n",
      n / render_s, 1000 * render_s / n, whole_s / render_s);
  std::printf("          one signature alone:                %7.1f/s (%.2f ms)\n", n / sign_s,
              1000 * sign_s / n);
  std::printf("          size: unsigned %zu B, signed result %zu B (+%zu B for two signatures)\n",
              unsigned_size, signed_size, signed_size - unsigned_size);
  std::printf("          verifications/s of the signed result: %.1f (all valid: %s)\n",
              n / verify_s, all_valid ? "yes" : "NO");
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  const char* out = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) smoke = true;
    if (std::strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
  }
  const int n = smoke ? 3 : 100;
  std::printf("sign_benchmark: %d results per key type, one thread\n", n);
  Run(KeyAlgorithm::kRsa2048, n, out);
  Run(KeyAlgorithm::kEcP256, n, nullptr);
  return 0;
}
