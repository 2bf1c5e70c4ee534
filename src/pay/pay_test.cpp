// Payment adapters: VietQR against the NAPAS reference example, the vnp_ gateway signatures
// (expected HMACs computed here with OpenSSL's one-shot HMAC over hand-written canonical text),
// bank-credit notifications, statement parsing and reconciliation, the settings file.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "pay/bank.h"
#include "pay/config.h"
#include "pay/gateway.h"
#include "pay/statement.h"
#include "pay/vietqr.h"

namespace motcua::pay {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kReference =
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120000"
    "5802VN62170813ung ho lu lut6304C15C";
constexpr std::string_view kStaticReference =
    "00020101021138570010A00000072701270006970415011300110019324180208QRIBFTTA53037045802VN6304"
    "635F";

VietQr ReferenceQr() {
  VietQr q;
  q.bin = "970415";
  q.account = "0011001932418";
  q.amount = 120000;
  q.purpose = "ung ho lu lut";
  return q;
}

// `body` (without ID 63) with a correct CRC appended, so a test reaches the checks after it.
std::string WithCrc(std::string body) {
  body += "6304";
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04X", Crc16CcittFalse(body));
  return body + hex;
}

std::string WithoutCrc(std::string_view payload) {
  return std::string(payload.substr(0, payload.size() - 8));
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string HexOf(const unsigned char* p, unsigned n) {
  std::string out;
  char b[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", p[i]);
    out += b;
  }
  return out;
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  return HexOf(mac, len);
}

std::string KeyOf(const auto& r) { return r.has_value() ? std::string("ok") : r.error().key; }

// ---------------------------------------------------------------------------------------------
// VietQR

TEST(VietQrTest, CrcCheckValue) {
  EXPECT_EQ(Crc16CcittFalse("123456789"), 0x29B1);
  EXPECT_EQ(Crc16CcittFalse(""), 0xFFFF);
}

TEST(VietQrTest, EncodesTheReferenceExampleByteForByte) {
  auto dynamic = EncodeVietQr(ReferenceQr());
  ASSERT_TRUE(dynamic.has_value()) << dynamic.error().ToString();
  EXPECT_EQ(*dynamic, kReference);
  EXPECT_TRUE(dynamic->ends_with("6304C15C"));

  VietQr s = ReferenceQr();
  s.dynamic = false;
  s.amount.reset();
  s.purpose.clear();
  auto fixed = EncodeVietQr(s);
  ASSERT_TRUE(fixed.has_value()) << fixed.error().ToString();
  EXPECT_EQ(*fixed, kStaticReference);
}

TEST(VietQrTest, ParsesTheReferenceAndRoundTrips) {
  auto q = ParseVietQr(kReference);
  ASSERT_TRUE(q.has_value()) << q.error().ToString();
  EXPECT_EQ(*q, ReferenceQr());
  auto s = ParseVietQr(kStaticReference);
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  EXPECT_FALSE(s->dynamic);
  EXPECT_FALSE(s->amount.has_value());
  EXPECT_EQ(s->purpose, "");

  VietQr full = ReferenceQr();
  full.service = "QRIBFTTC";
  full.account = "9704150011001932";
  full.amount = 9'999'999'999'999;
  full.purpose = "MC99501260105000701T1";
  full.merchant_name = "KHO BAC NHA NUOC SONG TRA";
  full.merchant_city = "SONG TRA";
  auto text = EncodeVietQr(full);
  ASSERT_TRUE(text.has_value()) << text.error().ToString();
  auto back = ParseVietQr(*text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, full);
  // Lowercase CRC hex is accepted too.
  std::string lower(kReference);
  lower.replace(lower.size() - 4, 4, "c15c");
  EXPECT_TRUE(ParseVietQr(lower).has_value());
}

TEST(VietQrTest, EncoderRefusesBadFields) {
  auto key = [](auto change) {
    VietQr q = ReferenceQr();
    change(q);
    return KeyOf(EncodeVietQr(q));
  };
  EXPECT_EQ(key([](VietQr& q) { q.bin = "97041"; }), "vietqr.bad_bin");
  EXPECT_EQ(key([](VietQr& q) { q.bin = "97041A"; }), "vietqr.bad_bin");
  EXPECT_EQ(key([](VietQr& q) { q.account = ""; }), "vietqr.bad_account");
  EXPECT_EQ(key([](VietQr& q) { q.account = std::string(20, '1'); }), "vietqr.bad_account");
  EXPECT_EQ(key([](VietQr& q) { q.account = "0011-0019"; }), "vietqr.bad_account");
  EXPECT_EQ(key([](VietQr& q) { q.service = "QRPAY"; }), "vietqr.bad_service");
  EXPECT_EQ(key([](VietQr& q) { q.amount = 0; }), "vietqr.bad_amount");
  EXPECT_EQ(key([](VietQr& q) { q.amount = -5; }), "vietqr.bad_amount");
  EXPECT_EQ(key([](VietQr& q) { q.amount = 10'000'000'000'000; }), "vietqr.bad_amount");
  EXPECT_EQ(key([](VietQr& q) { q.purpose = std::string(26, 'a'); }), "vietqr.bad_purpose");
  EXPECT_EQ(key([](VietQr& q) { q.purpose = "Lệ phí"; }), "vietqr.bad_purpose");
  EXPECT_EQ(key([](VietQr& q) { q.purpose = std::string("a\0b", 3); }), "vietqr.bad_purpose");
  EXPECT_EQ(key([](VietQr& q) { q.merchant_name = std::string(26, 'A'); }), "vietqr.bad_merchant");
  EXPECT_EQ(key([](VietQr& q) { q.merchant_city = "Thành phố"; }), "vietqr.bad_merchant");
  EXPECT_EQ(key([](VietQr& q) { q.purpose = std::string(25, 'a'); }), "ok");
}

TEST(VietQrTest, ParserRejectsTamperedAndMalformedPayloads) {
  const std::string ref(kReference);
  // A changed digit breaks the CRC.
  EXPECT_EQ(KeyOf(ParseVietQr(Replace(ref, "120000", "130000"))), "vietqr.bad_crc");
  EXPECT_EQ(KeyOf(ParseVietQr(Replace(ref, "C15C", "C15D"))), "vietqr.bad_crc");
  EXPECT_EQ(KeyOf(ParseVietQr(Replace(ref, "6304C15C", "6304C1_C"))), "vietqr.bad_crc");
  // CRC missing or not last.
  EXPECT_EQ(KeyOf(ParseVietQr(WithoutCrc(ref))), "vietqr.bad_crc");
  EXPECT_EQ(KeyOf(ParseVietQr(ref + "9902AB")), "vietqr.bad_crc");
  // Wrong GUID, no ID 38, format indicator.
  const std::string body = WithoutCrc(ref);
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "A000000727", "A000000728")))),
            "vietqr.not_vietqr");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "000201", "000202")))), "vietqr.not_vietqr");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "3857", "2657")))), "vietqr.not_vietqr");
  // Currency, country.
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5303704", "5303840")))),
            "vietqr.bad_currency");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5303704", "")))), "vietqr.bad_currency");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5802VN", "5802US")))), "vietqr.bad_country");
  // Amount with decimals, BIN of the wrong length inside a well-formed template.
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5406120000", "540612000.")))),
            "vietqr.bad_amount");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "54061200005802",
                                              "54010"
                                              "5802")))),
            "vietqr.bad_amount");
  // A length field with non-digits.
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5303704", "53x3704")))), "vietqr.malformed");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "0002", "00 2")))), "vietqr.malformed");
  // A nested template whose lengths do not add up (38's beneficiary claims one byte more/less).
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "01270006", "01280006")))), "vietqr.malformed");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "01270006", "01260006")))), "vietqr.malformed");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "62170813", "62170814")))), "vietqr.malformed");
  // A root ID twice.
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(body + "5802VN"))), "vietqr.malformed");
  // Point of initiation neither 11 nor 12.
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "010212", "010213")))), "vietqr.malformed");
}

TEST(VietQrTest, EveryTruncationIsAnErrorNotACrash) {
  for (std::string_view payload : {kReference, kStaticReference}) {
    for (size_t n = 0; n < payload.size(); ++n) {
      auto q = ParseVietQr(payload.substr(0, n));
      ASSERT_FALSE(q.has_value()) << n;
      EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
      EXPECT_TRUE(q.error().key == "vietqr.malformed" || q.error().key == "vietqr.bad_crc")
          << n << " " << q.error().key;
    }
  }
}

TEST(VietQrTest, GarbageAndNulBytesAreRefused) {
  std::mt19937 rng(7);
  std::string garbage(10 * 1024, '\0');
  for (char& c : garbage) c = static_cast<char>(rng() & 0xFF);
  EXPECT_EQ(KeyOf(ParseVietQr(garbage)), "vietqr.malformed");
  std::string digits(10 * 1024, '9');
  EXPECT_EQ(KeyOf(ParseVietQr(digits)), "vietqr.malformed");
  // Random bytes of every short length: errors only.
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 80, '\0');
    for (char& c : s) c = static_cast<char>("0123456789ABCDEF63VN"[rng() % 20]);
    EXPECT_FALSE(ParseVietQr(s).has_value());
  }
  // NUL in a value (with a valid CRC) and in a length.
  const std::string body = WithoutCrc(kReference);
  EXPECT_EQ(KeyOf(ParseVietQr(
                WithCrc(Replace(body, "ung ho lu lut", std::string("ung ho\0lu lut", 13))))),
            "vietqr.bad_purpose");
  EXPECT_EQ(KeyOf(ParseVietQr(WithCrc(Replace(body, "5802VN", std::string("58\0002VN", 6))))),
            "vietqr.malformed");
  EXPECT_FALSE(ParseVietQr(std::string(kReference) + std::string(1, '\0')).has_value());
  EXPECT_FALSE(ParseVietQr(std::string(64, '\0')).has_value());
}

TEST(AsciiPurposeTest, StripsVietnameseDiacritics) {
  EXPECT_EQ(AsciiPurpose("Lệ phí hồ sơ"), "Le phi ho so");
  EXPECT_EQ(AsciiPurpose("Đường Đống Đa, đẹp", 100), "Duong Dong Da, dep");
  EXPECT_EQ(AsciiPurpose("àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự "
                         "ỳýỷỹỵ ăâêôơưđ",
                         200),
            "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy aaeooud");
  EXPECT_EQ(AsciiPurpose("ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ "
                         "ỲÝỶỸỴ ĂÂÊÔƠƯĐ",
                         200),
            "AAAAA AAAAA AAAAA EEEEE EEEEE IIIII OOOOO OOOOO OOOOO UUUUU UUUUU YYYYY AAEOOUD");
  // Decomposed marks (NFD) are dropped, whitespace folded, invalid UTF-8 and controls removed.
  EXPECT_EQ(AsciiPurpose("Le\xCC\xA3 phi\xCC\x81"), "Le phi");
  EXPECT_EQ(AsciiPurpose("  nop \t\n  le\r\nphi  "), "nop le phi");
  EXPECT_EQ(AsciiPurpose("\xFF\xFE"
                         "abc\x01\x7F"
                         "d\xE2\x82"),
            "abcd");
  EXPECT_EQ(AsciiPurpose(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(AsciiPurpose("Thanh toán lệ phí cấp giấy phép xây dựng nhà ở"),
            "Thanh toan le phi cap gia");
  const std::string cut = AsciiPurpose("Nộp phí hồ sơ số 12345 của ông A", 18);
  EXPECT_LE(cut.size(), 18u);
  EXPECT_FALSE(cut.ends_with(" "));
  EXPECT_EQ(AsciiPurpose("abcdefgh ijk", 9), "abcdefgh");
  EXPECT_EQ(AsciiPurpose(""), "");
  EXPECT_EQ(AsciiPurpose("漢字"), "");
}

TEST(QrSvgTest, GivesAStandaloneSvg) {
  auto svg = QrSvg(kReference);
  ASSERT_TRUE(svg.has_value()) << svg.error().ToString();
  EXPECT_TRUE(svg->starts_with("<svg") || svg->starts_with("<?xml")) << svg->substr(0, 40);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
  EXPECT_NE(svg->find("<path"), std::string::npos);
  EXPECT_EQ(KeyOf(QrSvg("")), "vietqr.qr_failed");
  EXPECT_EQ(KeyOf(QrSvg(std::string(8000, 'x'))), "vietqr.qr_failed");
}

// ---------------------------------------------------------------------------------------------
// Gateway

GatewayConfig Gw(std::string secret = "0123456789abcdef0123456789abcdef") {
  return {"http://127.0.0.1:8091/paymentv2/vpcpay.html", "MOTCUA01", std::move(secret)};
}

PaymentOrder Order() {
  PaymentOrder o;
  o.txn_ref = "MC99501260105000701T1";
  o.amount = 75000;
  o.order_info = "Thanh toan le phi ho so 99501-260105-0007";
  o.return_url = "http://127.0.0.1:8080/api/v1/payments/gateway/return";
  o.ip_address = "127.0.0.1";
  o.created_at = ParseGatewayTime("20260105101500").value();
  o.expires_at = ParseGatewayTime("20260105103000").value();
  return o;
}

GatewayResult Paid() {
  GatewayResult r;
  r.tmn_code = "MOTCUA01";
  r.txn_ref = "MC99501260105000701T1";
  r.amount = 75000;
  r.transaction_no = "14012345";
  r.bank_code = "NCB";
  r.bank_tran_no = "VNP14012345";
  r.response_code = "00";
  r.transaction_status = "00";
  r.pay_date = "20260105101733";
  return r;
}

TEST(GatewayTest, FormEncodingAndCanonicalOrder) {
  EXPECT_EQ(FormEncode("a b&c=d/é~._-+"), "a+b%26c%3Dd%2F%C3%A9~._-%2B");
  EXPECT_EQ(FormEncode(""), "");
  const Params p = {{"vnp_b", "2"},           {"vnp_a", "x y"},
                    {"vnp_SecureHash", "zz"}, {"vnp_SecureHashType", "HmacSHA512"},
                    {"vnp_Amount", "100"},    {"vnp_Empty", ""}};
  EXPECT_EQ(CanonicalQuery(p), "vnp_Amount=100&vnp_Empty=&vnp_a=x+y&vnp_b=2");
}

TEST(GatewayTest, SignParamsKnownAnswer) {
  const Params p = {{"vnp_TxnRef", "MC1234567"},
                    {"vnp_Amount", "7500000"},
                    {"vnp_OrderInfo", "Le phi: ho so/1"},
                    {"vnp_TmnCode", "MOTCUA01"},
                    {"vnp_SecureHash", "ignored"}};
  const std::string canonical =
      "vnp_Amount=7500000&vnp_OrderInfo=Le+phi%3A+ho+so%2F1&vnp_TmnCode=MOTCUA01&vnp_TxnRef="
      "MC1234567";
  const std::string expected = Hmac(EVP_sha512(), "s3cr3t", canonical);
  EXPECT_EQ(expected.size(), 128u);
  EXPECT_EQ(SignParams(p, "s3cr3t"), expected);
  EXPECT_NE(SignParams(p, "other"), expected);
  EXPECT_EQ(SignedQuery(p, "s3cr3t"), canonical + "&vnp_SecureHash=" + expected);
}

TEST(GatewayTest, PaymentUrlCarriesEveryFieldAndVerifies) {
  auto url = PaymentUrl(Gw(), Order());
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  ASSERT_TRUE(url->starts_with(Gw().url + "?")) << *url;
  auto params = ParseQuery(url->substr(Gw().url.size() + 1));
  ASSERT_TRUE(params.has_value()) << params.error().ToString();
  const std::map<std::string, std::string> expected = {
      {"vnp_Version", "2.1.0"},
      {"vnp_Command", "pay"},
      {"vnp_TmnCode", "MOTCUA01"},
      {"vnp_Amount", "7500000"},
      {"vnp_CurrCode", "VND"},
      {"vnp_TxnRef", "MC99501260105000701T1"},
      {"vnp_OrderInfo", "Thanh toan le phi ho so 99501-260105-0007"},
      {"vnp_OrderType", "other"},
      {"vnp_Locale", "vn"},
      {"vnp_ReturnUrl", "http://127.0.0.1:8080/api/v1/payments/gateway/return"},
      {"vnp_IpAddr", "127.0.0.1"},
      {"vnp_CreateDate", "20260105101500"},
      {"vnp_ExpireDate", "20260105103000"}};
  for (const auto& [k, v] : expected) {
    ASSERT_TRUE(params->contains(k)) << k;
    EXPECT_EQ(params->at(k), v) << k;
  }
  EXPECT_EQ(params->at("vnp_SecureHash"), SignParams(*params, Gw().hash_secret));
  EXPECT_EQ(params->size(), expected.size() + 1);

  auto order = VerifyOrder(Gw(), *params);
  ASSERT_TRUE(order.has_value()) << order.error().ToString();
  EXPECT_EQ(order->txn_ref, Order().txn_ref);
  EXPECT_EQ(order->amount, 75000);
  EXPECT_EQ(order->order_info, Order().order_info);
  EXPECT_EQ(order->return_url, Order().return_url);
  EXPECT_EQ(order->created_at, Order().created_at);
  EXPECT_EQ(order->expires_at, Order().expires_at);

  Params changed = *params;
  changed["vnp_Amount"] = "100";
  EXPECT_EQ(KeyOf(VerifyOrder(Gw(), changed)), "gateway.bad_signature");
  EXPECT_EQ(KeyOf(VerifyOrder(Gw("another"), *params)), "gateway.bad_signature");
  GatewayConfig other = Gw();
  other.tmn_code = "OTHER001";
  EXPECT_EQ(KeyOf(VerifyOrder(other, *params)), "gateway.malformed");

  PaymentOrder with_bank = Order();
  with_bank.bank_code = "NCB";
  auto url2 = PaymentUrl(Gw(), with_bank);
  ASSERT_TRUE(url2.has_value());
  EXPECT_NE(url2->find("vnp_BankCode=NCB"), std::string::npos);
}

TEST(GatewayTest, PaymentUrlRefusesBadOrders) {
  for (auto change : std::vector<void (*)(PaymentOrder&)>{
           [](PaymentOrder& o) { o.txn_ref = ""; }, [](PaymentOrder& o) { o.txn_ref = "MC-1"; },
           [](PaymentOrder& o) { o.txn_ref = std::string(101, 'A'); },
           [](PaymentOrder& o) { o.amount = 0; }, [](PaymentOrder& o) { o.amount = -75000; },
           [](PaymentOrder& o) { o.amount = INT64_MAX; }}) {
    PaymentOrder o = Order();
    change(o);
    EXPECT_EQ(KeyOf(PaymentUrl(Gw(), o)), "gateway.bad_order");
  }
}

TEST(GatewayTest, VerifyNotificationAcceptsGenuineAndRefusesTampered) {
  const Params p = NotificationParams(Gw(), Paid(), "Thanh toan le phi");
  auto r = VerifyNotification(Gw(), p);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(r->success());
  EXPECT_EQ(r->txn_ref, "MC99501260105000701T1");
  EXPECT_EQ(r->amount, 75000);
  EXPECT_EQ(r->transaction_no, "14012345");
  EXPECT_EQ(r->bank_code, "NCB");
  EXPECT_EQ(r->bank_tran_no, "VNP14012345");
  EXPECT_EQ(r->pay_date, "20260105101733");
  EXPECT_EQ(p.at("vnp_Amount"), "7500000");

  auto with = [&](std::string k, std::string v) {
    Params q = p;
    q[k] = std::move(v);
    return q;
  };
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), with("vnp_Amount", "750000000"))),
            "gateway.bad_signature");
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), with("vnp_TxnRef", "MC99501260105000702T1"))),
            "gateway.bad_signature");
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), with("vnp_ResponseCode", "24"))),
            "gateway.bad_signature");
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), with("vnp_SecureHash", ""))), "gateway.bad_signature");
  Params missing = p;
  missing.erase("vnp_SecureHash");
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), missing)), "gateway.bad_signature");
  EXPECT_EQ(VerifyNotification(Gw(), missing).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), NotificationParams(Gw("another"), Paid(), "x"))),
            "gateway.bad_signature");
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), with("vnp_SecureHash", p.at("vnp_SecureHash") + "0"))),
            "gateway.bad_signature");
  // Upper-case hex is the same signature.
  std::string upper = p.at("vnp_SecureHash");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(VerifyNotification(Gw(), with("vnp_SecureHash", upper)).has_value());
  // The hash type is not signed, so it may be present.
  EXPECT_TRUE(VerifyNotification(Gw(), with("vnp_SecureHashType", "HmacSHA512")).has_value());

  // Correctly signed but wrong: another merchant, an amount that is not whole VND, missing fields.
  GatewayConfig other = Gw();
  other.tmn_code = "OTHER001";
  GatewayResult paid_other = Paid();
  paid_other.tmn_code = "OTHER001";
  EXPECT_EQ(KeyOf(VerifyNotification(Gw(), NotificationParams(other, paid_other, "x"))),
            "gateway.malformed");
  auto resigned = [&](std::string k, std::optional<std::string> v) {
    Params q = p;
    q.erase("vnp_SecureHash");
    if (v) {
      q[k] = *v;
    } else {
      q.erase(k);
    }
    q["vnp_SecureHash"] = SignParams(q, Gw().hash_secret);
    return KeyOf(VerifyNotification(Gw(), q));
  };
  EXPECT_EQ(resigned("vnp_Amount", "7500050"), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", "75000.00"), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", "-7500000"), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", "0"), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", "99999999999999999999999"), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", std::nullopt), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_TxnRef", std::nullopt), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_ResponseCode", std::nullopt), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_TmnCode", std::nullopt), "gateway.malformed");
  EXPECT_EQ(resigned("vnp_Amount", "7500100"), "ok");

  GatewayResult cancelled = Paid();
  cancelled.response_code = "24";
  cancelled.transaction_status = "02";
  auto c = VerifyNotification(Gw(), NotificationParams(Gw(), cancelled, "x"));
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->success());
}

TEST(GatewayTest, ParseQuery) {
  auto p = ParseQuery("a=1&b=%20+x&c=&d&e=%C3%A9%2b");
  ASSERT_TRUE(p.has_value()) << p.error().ToString();
  EXPECT_EQ(p->at("a"), "1");
  EXPECT_EQ(p->at("b"), "  x");
  EXPECT_EQ(p->at("c"), "");
  EXPECT_EQ(p->at("d"), "");
  EXPECT_EQ(p->at("e"), "é+");
  EXPECT_TRUE(ParseQuery("").value().empty());
  for (const char* bad : {"a=%2", "a=%zz", "a=%", "a=1&a=2", "=x", "a=1&%G0=2"}) {
    auto r = ParseQuery(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "gateway.malformed") << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  // FormEncode and ParseQuery are inverse over every byte.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  auto back = ParseQuery("x=" + FormEncode(all));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->at("x"), all);
}

TEST(GatewayTest, GatewayTimeIsVietnamTime) {
  auto t = ParseGatewayTime("20261203101500");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatIsoUtc(*t), "2026-12-03T03:15:00.000000Z");
  EXPECT_EQ(FormatGatewayTime(*t), "20261203101500");
  EXPECT_EQ(FormatGatewayTime(Timestamp{t->us + 59 * kMicrosPerSecond + 999}), "20261203101559");
  for (const char* bad : {"2026120310150", "202612031015000", "20261303101500", "20260230101500",
                          "20261203241500", "20261203106000", "2026120310150a", ""}) {
    EXPECT_EQ(KeyOf(ParseGatewayTime(bad)), "gateway.malformed") << bad;
  }
}

TEST(GatewayTest, IpnAnswer) {
  EXPECT_EQ(IpnAnswer("00"), R"({"RspCode":"00","Message":"Confirm Success"})");
  EXPECT_NE(IpnAnswer("97").find("\"RspCode\":\"97\""), std::string::npos);
  EXPECT_NE(IpnAnswer("02").find("already confirmed"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Bank notifications

BankCredit Credit() {
  BankCredit c;
  c.id = "FT2612030001";
  c.account = "0011001932418";
  c.amount = 75000;
  c.content = "MC99501260105000701T1 nop le phi";
  c.time = ParseIsoDateTime("2026-12-03T10:15:00+07:00").value();
  c.direction = "in";
  c.bank = "970415";
  return c;
}

TEST(BankTest, SignAndVerifyRoundTrip) {
  const std::string body = BankCreditJson(Credit());
  EXPECT_NE(body.find("\"time\":\"2026-12-03T10:15:00+07:00\""), std::string::npos) << body;
  const std::string sig = SignBody(body, "bank-secret");
  EXPECT_EQ(sig, Hmac(EVP_sha256(), "bank-secret", body));
  auto c = VerifyBankCredit(body, sig, "bank-secret");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->id, "FT2612030001");
  EXPECT_EQ(c->account, "0011001932418");
  EXPECT_EQ(c->amount, 75000);
  EXPECT_EQ(c->content, Credit().content);
  EXPECT_EQ(c->time, Credit().time);
  EXPECT_EQ(c->direction, "in");
  EXPECT_EQ(c->bank, "970415");
  std::string upper = sig;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(VerifyBankCredit(body, upper, "bank-secret").has_value());
}

TEST(BankTest, TamperingIsRefused) {
  const std::string body = BankCreditJson(Credit());
  const std::string sig = SignBody(body, "bank-secret");
  std::string changed = body;
  changed.replace(changed.find("75000"), 5, "95000");
  for (auto [b, s, k] : {std::tuple{changed, sig, std::string("bank-secret")},
                         std::tuple{body, SignBody(body, "other"), std::string("bank-secret")},
                         std::tuple{body, std::string(), std::string("bank-secret")},
                         std::tuple{body, sig.substr(1), std::string("bank-secret")},
                         std::tuple{body, sig + "00", std::string("bank-secret")}}) {
    auto r = VerifyBankCredit(b, s, k);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().key, "bank.bad_signature");
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
}

TEST(BankTest, EachMalformedFieldIsNamed) {
  auto field_of = [](std::string body) {
    auto r = VerifyBankCredit(body, SignBody(body, "k"), "k");
    if (r.has_value()) return std::string("ok");
    EXPECT_EQ(r.error().key, "bank.malformed") << body;
    return r.error().Param("field");
  };
  const std::string good = BankCreditJson(Credit());
  EXPECT_EQ(field_of(good), "ok");
  EXPECT_EQ(field_of("not json"), "body");
  EXPECT_EQ(field_of("[1,2]"), "body");
  EXPECT_EQ(field_of(""), "body");
  EXPECT_EQ(field_of(R"({"id":"a","id":"b"})"), "body");  // duplicate key
  auto without = [&](std::string key) {
    boost::json::object o = boost::json::parse(good).as_object();
    o.erase(key);
    return boost::json::serialize(o);
  };
  auto with = [&](std::string key, boost::json::value v) {
    boost::json::object o = boost::json::parse(good).as_object();
    o[key] = std::move(v);
    return boost::json::serialize(o);
  };
  for (const char* key : {"id", "account", "amount", "content", "time", "direction", "bank"}) {
    EXPECT_EQ(field_of(without(key)), key);
  }
  EXPECT_EQ(field_of(with("amount", "75000")), "amount");
  EXPECT_EQ(field_of(with("amount", 0)), "amount");
  EXPECT_EQ(field_of(with("amount", -1)), "amount");
  EXPECT_EQ(field_of(with("amount", 75000.5)), "amount");
  EXPECT_EQ(field_of(with("id", "")), "id");
  EXPECT_EQ(field_of(with("id", 5)), "id");
  EXPECT_EQ(field_of(with("time", "2026-12-03T10:15:00")), "time");
  EXPECT_EQ(field_of(with("time", "03/12/2026 10:15")), "time");
  EXPECT_EQ(field_of(with("time", "2026-12-03T10:15:00Z")), "ok");
  EXPECT_EQ(field_of(with("direction", "sideways")), "direction");
  EXPECT_EQ(field_of(with("direction", "out")), "ok");
  EXPECT_EQ(field_of(with("content", "")), "ok");
}

TEST(BankTest, FindReferenceInTransferNotes) {
  EXPECT_EQ(FindReference("MC99501260105000701T1 nop le phi"), "MC99501260105000701T1");
  EXPECT_EQ(FindReference("Chuyen tien mc99501260105000701t1"), "MC99501260105000701T1");
  EXPECT_EQ(FindReference("IBFT MC-99501260105000701T1"), "MC99501260105000701T1");
  EXPECT_EQ(FindReference("IBFT MC-9950126 0105"), "MC9950126");
  EXPECT_EQ(FindReference("Chuyển tiền MC99501260105000701T1. Cảm ơn"), "MC99501260105000701T1");
  EXPECT_EQ(FindReference("NGUYEN VAN A chuyen khoan;MC99501260105000701T1;"),
            "MC99501260105000701T1");
  EXPECT_EQ(FindReference("(MC99501260105000701T1)"), "MC99501260105000701T1");
  EXPECT_EQ(FindReference("MC.9950.1260_105"), "MC99501260105");
  EXPECT_EQ(FindReference("nop le phi ho so"), std::nullopt);
  EXPECT_EQ(FindReference("MC12345"), std::nullopt);                    // too short
  EXPECT_EQ(FindReference("MC" + std::string(31, '1')), std::nullopt);  // too long
  EXPECT_EQ(FindReference(""), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Statements and reconciliation

std::string ErrorLine(const Result<std::vector<StatementLine>>& r) {
  return r.has_value() ? std::string("ok") : r.error().key + "@" + r.error().Param("line");
}

TEST(StatementTest, ParsesQuotingBomCrlfDatesAndAmounts) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "Date,Transaction_ID,Amount,Reference,Content,Branch\r\n"
      "03/12/2026,FT1,\"75.000\",MC99501260105000701T1,\"nop, le phi \"\"ho so\"\"\",HN\r\n"
      "2026-12-03,FT2,120000,,\"Chuyen tien mc99501260105000702t1\",HN\r\n"
      "\r\n"
      "4/1/2026,FT3,\"1,234,567\",MC1111111,\"two\nlines\",HCM\r\n"
      "04/01/2026,FT4,2 000,MC2222222,,x\r\n";
  auto lines = ParseStatement(csv);
  ASSERT_TRUE(lines.has_value()) << lines.error().ToString();
  ASSERT_EQ(lines->size(), 4u);
  const auto& l = *lines;
  EXPECT_EQ(l[0].line, 2);
  EXPECT_EQ(l[0].transaction_id, "FT1");
  EXPECT_EQ(l[0].date, (CivilDate{2026, 12, 3}));
  EXPECT_EQ(l[0].amount, 75000);
  EXPECT_EQ(l[0].reference, "MC99501260105000701T1");
  EXPECT_EQ(l[0].content, "nop, le phi \"ho so\"");
  EXPECT_EQ(l[1].date, (CivilDate{2026, 12, 3}));
  EXPECT_EQ(l[1].amount, 120000);
  EXPECT_EQ(l[1].reference, "MC99501260105000702T1");  // found in the content
  EXPECT_EQ(l[2].line, 5);
  EXPECT_EQ(l[2].date, (CivilDate{2026, 1, 4}));
  EXPECT_EQ(l[2].amount, 1234567);
  EXPECT_EQ(l[2].content, "two\nlines");
  EXPECT_EQ(l[3].line, 7);
  EXPECT_EQ(l[3].amount, 2000);

  // LF only, no content column, no trailing newline.
  auto lf = ParseStatement("transaction_id,date,amount,reference\nA,2026-01-02,5,MC1234567");
  ASSERT_TRUE(lf.has_value()) << lf.error().ToString();
  ASSERT_EQ(lf->size(), 1u);
  EXPECT_EQ(lf->front().content, "");
  EXPECT_TRUE(ParseStatement("transaction_id,date,amount,reference\n").value().empty());
}

TEST(StatementTest, EachErrorNamesItsLine) {
  const std::string h = "transaction_id,date,amount,reference\n";
  EXPECT_EQ(ErrorLine(ParseStatement(h + "A,2026-01-02,5,R\nB,\"2026-01-02,5,R\n")),
            "statement.malformed@3");
  EXPECT_EQ(ErrorLine(ParseStatement(h + "A,\"2026-01-02\"x,5,R\n")), "statement.malformed@2");
  EXPECT_EQ(ErrorLine(ParseStatement(h + "A,20\"26-01-02,5,R\n")), "statement.malformed@2");
  EXPECT_EQ(ErrorLine(ParseStatement(h + "A,2026-01-02,5\n")), "statement.malformed@2");
  EXPECT_EQ(ErrorLine(ParseStatement(h + "A,2026-01-02,5,R\nB,2026-01-02,5,R,extra\n")),
            "statement.malformed@3");
  EXPECT_EQ(ErrorLine(ParseStatement(h + ",2026-01-02,5,R\n")), "statement.malformed@2");
  auto missing = ParseStatement("transaction_id,date,reference\nA,2026-01-02,R\n");
  EXPECT_EQ(ErrorLine(missing), "statement.missing_column@1");
  EXPECT_EQ(missing.error().Param("column"), "amount");
  EXPECT_EQ(ErrorLine(ParseStatement("")), "statement.missing_column@1");
  for (const char* date :
       {"31/02/2026", "2026-13-01", "12-03-2026", "3/12/26", "", "2026/12/03", "aa/bb/cccc"}) {
    EXPECT_EQ(ErrorLine(ParseStatement(h + "A,2026-01-02,5,R\nB," + date + ",5,R\n")),
              "statement.bad_date@3")
        << date;
  }
  for (const char* amount : {"\"75.000,50\"", "75000.5", "-1", "abc", "0", "1.2345", "\"1,2\"",
                             "1.000 000", "99999999999999999", ""}) {
    EXPECT_EQ(ErrorLine(ParseStatement(h + "B,2026-01-02," + amount + ",R\n")),
              "statement.bad_amount@2")
        << amount;
  }
  auto dup = ParseStatement(h + "A,2026-01-02,5,R\nB,2026-01-02,5,R\n\nA,2026-01-03,6,S\n");
  EXPECT_EQ(ErrorLine(dup), "statement.duplicate_transaction@5");
  EXPECT_EQ(dup.error().Param("transaction_id"), "A");
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
}

TEST(StatementTest, TooLarge) {
  std::string big = "transaction_id,date,amount,reference\n";
  big.reserve(21u << 20);
  while (big.size() <= (20u << 20)) big += std::string(1000, ' ') + "\n";
  EXPECT_EQ(ParseStatement(big).error().key, "statement.too_large");

  std::string many = "transaction_id,date,amount,reference\n";
  for (int i = 0; i <= 100'000; ++i) many += "T" + std::to_string(i) + ",2026-01-02,5,R\n";
  EXPECT_EQ(ParseStatement(many).error().key, "statement.too_large");
  // Exactly 100,000 lines is fine.
  std::string limit = "transaction_id,date,amount,reference\n";
  for (int i = 0; i < 100'000; ++i) limit += "T" + std::to_string(i) + ",2026-01-02,5,R\n";
  auto ok = ParseStatement(limit);
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->size(), 100'000u);
}

StatementLine L(int line, std::string tid, std::string ref, int64_t amount) {
  return {line, std::move(tid), CivilDate{2026, 12, 3}, amount, std::move(ref), ""};
}

TEST(ReconcileTest, FindsEachMismatchKind) {
  const std::vector<RecordedPayment> recorded = {
      {"MCAAAAAAA1", "", "D-1", 75000},
      {"MCDDDDDDD4", "", "D-4", 20000},
      {"MCCCCCCCC3", "", "D-3", 10000},
      {"MCBBBBBBB2", "", "D-2", 5000},
  };
  const std::vector<StatementLine> statement = {
      L(2, "FT1", "mcaaaaaaa1", 75000),  // matched (case-insensitive)
      L(3, "FT2", "MCZZZZZZZ9", 30000),  // paid but unknown
      L(4, "FT3", "MCDDDDDDD4", 25000),  // amount differs
      L(5, "FT4", "", 1000),             // paid but unknown, no reference at all
  };
  Reconciliation r = Reconcile(statement, recorded);
  EXPECT_EQ(r.matched, 1);
  EXPECT_EQ(r.matched_amount, 75000);
  ASSERT_EQ(r.mismatches.size(), 5u);
  const auto& m = r.mismatches;
  EXPECT_EQ(m[0].kind, "paid_but_unknown");
  EXPECT_EQ(m[0].reference, "MCZZZZZZZ9");
  EXPECT_EQ(m[0].transaction_id, "FT2");
  EXPECT_EQ(m[0].statement_amount, 30000);
  EXPECT_EQ(m[0].recorded_amount, 0);
  EXPECT_EQ(m[0].line, 3);
  EXPECT_EQ(m[1].kind, "amount_differs");
  EXPECT_EQ(m[1].reference, "MCDDDDDDD4");
  EXPECT_EQ(m[1].dossier, "D-4");
  EXPECT_EQ(m[1].statement_amount, 25000);
  EXPECT_EQ(m[1].recorded_amount, 20000);
  EXPECT_EQ(m[1].line, 4);
  EXPECT_EQ(m[2].kind, "paid_but_unknown");
  EXPECT_EQ(m[2].line, 5);
  // Then the unpaid ones, by reference.
  EXPECT_EQ(m[3].kind, "known_but_unpaid");
  EXPECT_EQ(m[3].reference, "MCBBBBBBB2");
  EXPECT_EQ(m[3].dossier, "D-2");
  EXPECT_EQ(m[3].recorded_amount, 5000);
  EXPECT_EQ(m[3].statement_amount, 0);
  EXPECT_EQ(m[3].line, 0);
  EXPECT_EQ(m[4].kind, "known_but_unpaid");
  EXPECT_EQ(m[4].reference, "MCCCCCCCC3");
}

TEST(ReconcileTest, TransactionIdBeforeReference) {
  // Two payments share a reference (paid in two parts); the second line names the first payment
  // by its gateway transaction id. Matching by id first pairs every line.
  const std::vector<RecordedPayment> recorded = {
      {"MCSHARED01", "GW777", "D-1", 40000},
      {"MCSHARED01", "", "D-1", 35000},
  };
  const std::vector<StatementLine> statement = {
      L(2, "FT1", "MCSHARED01", 35000),
      L(3, "GW777", "", 40000),
  };
  Reconciliation r = Reconcile(statement, recorded);
  EXPECT_EQ(r.matched, 2);
  EXPECT_EQ(r.matched_amount, 75000);
  EXPECT_TRUE(r.mismatches.empty()) << r.mismatches.front().kind;

  // An id beats a reference that points elsewhere.
  const std::vector<RecordedPayment> two = {{"MCAAAAAAA1", "", "D-1", 100},
                                            {"MCBBBBBBB2", "T2", "D-2", 200}};
  Reconciliation s = Reconcile({L(2, "T2", "MCAAAAAAA1", 200)}, two);
  EXPECT_EQ(s.matched, 1);
  ASSERT_EQ(s.mismatches.size(), 1u);
  EXPECT_EQ(s.mismatches[0].kind, "known_but_unpaid");
  EXPECT_EQ(s.mismatches[0].reference, "MCAAAAAAA1");
  // Each recorded payment matches one line only.
  Reconciliation d = Reconcile({L(2, "X1", "MCAAAAAAA1", 100), L(3, "X2", "MCAAAAAAA1", 100)},
                               {{"MCAAAAAAA1", "", "D-1", 100}});
  EXPECT_EQ(d.matched, 1);
  ASSERT_EQ(d.mismatches.size(), 1u);
  EXPECT_EQ(d.mismatches[0].kind, "paid_but_unknown");
  EXPECT_EQ(d.mismatches[0].line, 3);
}

// ---------------------------------------------------------------------------------------------
// Settings file

constexpr std::string_view kConfig = R"({"schema":"motcua.payment/1",
 "gateway":{"url":"http://127.0.0.1:8091/paymentv2/vpcpay.html","tmn_code":"MOTCUA01",
   "hash_secret":"SECRET-HASH-0123456789","platform":"province",
   "ipn_url":"http://127.0.0.1:8080/api/v1/payments/gateway/ipn",
   "return_url":"http://127.0.0.1:8080/api/v1/payments/gateway/return"},
 "bank":{"bin":"970415","account":"0011001932418","account_name":"KHO BAC NHA NUOC TINH SONG TRA",
   "notify_url":"http://127.0.0.1:8080/api/v1/payments/bank/notify",
   "notify_secret":"SECRET-NOTIFY-987654"}})";

TEST(PaymentConfigTest, ReadsAndWritesTheDocument) {
  auto c = PaymentConfigFromJson(boost::json::parse(kConfig));
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->gateway.url, "http://127.0.0.1:8091/paymentv2/vpcpay.html");
  EXPECT_EQ(c->gateway.tmn_code, "MOTCUA01");
  EXPECT_EQ(c->gateway.hash_secret, "SECRET-HASH-0123456789");
  EXPECT_EQ(c->platform, "province");
  EXPECT_EQ(c->ipn_url, "http://127.0.0.1:8080/api/v1/payments/gateway/ipn");
  EXPECT_EQ(c->return_url, "http://127.0.0.1:8080/api/v1/payments/gateway/return");
  EXPECT_EQ(c->bank.bin, "970415");
  EXPECT_EQ(c->bank.account, "0011001932418");
  EXPECT_EQ(c->bank.account_name, "KHO BAC NHA NUOC TINH SONG TRA");
  EXPECT_EQ(c->bank.notify_url, "http://127.0.0.1:8080/api/v1/payments/bank/notify");
  EXPECT_EQ(c->bank.notify_secret, "SECRET-NOTIFY-987654");
  auto again = PaymentConfigFromJson(boost::json::parse(PaymentConfigJson(*c)));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(PaymentConfigJson(*again), PaymentConfigJson(*c));
}

TEST(PaymentConfigTest, ErrorsNameTheFieldNeverTheSecret) {
  auto field_of = [](auto change) {
    boost::json::value v = boost::json::parse(kConfig);
    change(v.as_object());
    auto c = PaymentConfigFromJson(v);
    if (c.has_value()) return std::string("ok");
    EXPECT_EQ(c.error().key, "payment.bad_config");
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
    const std::string text = c.error().ToString();
    EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
    return c.error().Param("field");
  };
  using O = boost::json::object;
  EXPECT_EQ(field_of([](O& o) { o["schema"] = "motcua.payment/2"; }), "schema");
  EXPECT_EQ(field_of([](O& o) { o.erase("schema"); }), "schema");
  EXPECT_EQ(field_of([](O& o) { o.erase("gateway"); }), "gateway");
  EXPECT_EQ(field_of([](O& o) { o["bank"] = 5; }), "bank");
  for (const char* key : {"url", "tmn_code", "hash_secret", "platform", "ipn_url", "return_url"}) {
    EXPECT_EQ(field_of([&](O& o) { o["gateway"].as_object().erase(key); }),
              std::string("gateway.") + key);
    EXPECT_EQ(field_of([&](O& o) { o["gateway"].as_object()[key] = ""; }),
              std::string("gateway.") + key);
  }
  for (const char* key : {"bin", "account", "account_name", "notify_url", "notify_secret"}) {
    EXPECT_EQ(field_of([&](O& o) { o["bank"].as_object()[key] = 1; }), std::string("bank.") + key);
  }
  EXPECT_EQ(field_of([](O& o) { o["gateway"].as_object()["platform"] = "SECRET"; }),
            "gateway.platform");
  EXPECT_EQ(field_of([](O& o) { o["gateway"].as_object()["platform"] = "national"; }), "ok");
  EXPECT_EQ(field_of([](O& o) { o["gateway"].as_object()["url"] = "ftp://x"; }), "gateway.url");
  EXPECT_EQ(field_of([](O& o) { o["gateway"].as_object()["ipn_url"] = "/ipn"; }),
            "gateway.ipn_url");
  EXPECT_EQ(field_of([](O& o) { o["gateway"].as_object()["tmn_code"] = "MOT CUA"; }),
            "gateway.tmn_code");
  EXPECT_EQ(field_of([](O& o) { o["bank"].as_object()["bin"] = "97041"; }), "bank.bin");
  EXPECT_EQ(field_of([](O& o) { o["bank"].as_object()["account"] = "0011-00"; }), "bank.account");
  EXPECT_EQ(field_of([](O& o) { o["bank"].as_object()["notify_url"] = "x"; }), "bank.notify_url");
  EXPECT_FALSE(PaymentConfigFromJson(boost::json::value(3)).has_value());
}

TEST(PaymentConfigTest, LoadsOnlyAPrivateFile) {
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("motcua-pay-" + std::to_string(rd()));
  fs::create_directories(dir);
  const fs::path file = dir / "payment.json";
  std::ofstream(file) << kConfig;
  ::chmod(file.c_str(), 0644);
  EXPECT_EQ(KeyOf(LoadPaymentConfig(file)), "payment.config_permissions");
  ::chmod(file.c_str(), 0600);
  auto c = LoadPaymentConfig(file);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->gateway.tmn_code, "MOTCUA01");
  std::ofstream(file, std::ios::trunc) << "{not json";
  EXPECT_EQ(KeyOf(LoadPaymentConfig(file)), "payment.bad_config");
  EXPECT_EQ(KeyOf(LoadPaymentConfig(dir / "none.json")), "payment.config_unreadable");
  fs::remove_all(dir);
}

TEST(Statement, ControlCharactersAndBrokenUtf8AreMalformed) {
  const std::string header = "transaction_id,date,amount,reference\n";
  for (std::string bad :
       {std::string("FT1,02/03/2026,5000,MC") + '\0' + "1\n",
        std::string("FT1,02/03/2026,5000,MC\x01\n"), std::string("FT1,02/03/2026,5000,MC\xC3\n"),
        std::string("FT1,02/03/2026,5000,\xED\xA0\x80\n"),
        std::string("FT1,02/03/2026,5000,\xC0\xAF\n")}) {
    auto r = ParseStatement(header + bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().key, "statement.malformed");
    EXPECT_EQ(r.error().Param("line"), "2");
  }
  auto ok = ParseStatement(
      "transaction_id,date,amount,reference,content\n"
      "FT1,02/03/2026,5000,,N\xE1\xBB\x99p ph\xC3\xAD\t\r\n");
  EXPECT_TRUE(ok.has_value()) << ok.error().ToString();
}

}  // namespace
}  // namespace motcua::pay
