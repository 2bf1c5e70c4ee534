#include "pay/vietqr.h"

#include <qrencode.h>

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace motcua::pay {
namespace {

constexpr std::string_view kNapasGuid = "A000000727";
constexpr int64_t kMaxAmount = 9'999'999'999'999;

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// Appends one data object; `value` is at most 99 bytes (checked by the callers' validation).
void Tlv(std::string& out, std::string_view id, std::string_view value) {
  out += id;
  out += static_cast<char>('0' + value.size() / 10);
  out += static_cast<char>('0' + value.size() % 10);
  out += value;
}

std::string Hex4(uint16_t v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s(4, '0');
  for (int i = 3; i >= 0; --i) {
    s[static_cast<size_t>(i)] = kHex[v & 0xF];
    v = static_cast<uint16_t>(v >> 4);
  }
  return s;
}

Result<void> Validate(const VietQr& q) {
  if (q.bin.size() != 6 || !IsDigits(q.bin)) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_bin", "BIN must be 6 digits");
  }
  if (q.account.empty() || q.account.size() > 19) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_account", "account must be 1..19 chars");
  }
  for (char c : q.account) {
    if (!IsAlnum(c)) {
      return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_account", "account must be [0-9A-Za-z]");
    }
  }
  static const std::set<std::string, std::less<>> kServices = {"QRIBFTTA", "QRIBFTTC", "QRPUSH",
                                                               "QRCASH"};
  if (!kServices.contains(q.service)) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_service", "unknown service code");
  }
  if (q.amount && (*q.amount < 1 || *q.amount > kMaxAmount)) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_amount", "amount outside 1..10^13-1");
  }
  if (q.purpose.size() > 25 || !IsPrintableAscii(q.purpose)) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_purpose",
                "purpose must be printable ASCII, at most 25 characters");
  }
  if (q.merchant_name.size() > 25 || !IsPrintableAscii(q.merchant_name) ||
      q.merchant_city.size() > 15 || !IsPrintableAscii(q.merchant_city)) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_merchant",
                "merchant name (≤ 25) and city (≤ 15) must be printable ASCII");
  }
  return {};
}

struct Object {
  std::string_view id;
  std::string_view value;
  size_t offset = 0;  // of the ID within the parsed text
};

std::unexpected<Error> Malformed(std::string detail) {
  return Fail(ErrorCode::kInvalidArgument, "vietqr.malformed", std::move(detail));
}

// Splits `text` into ID-length-value objects; every byte must belong to one object, and no ID
// may appear twice at one level.
Result<std::vector<Object>> SplitTlv(std::string_view text) {
  std::vector<Object> objects;
  std::set<std::string_view> seen;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text.size() - pos < 4) return Malformed("truncated data object header");
    const std::string_view id = text.substr(pos, 2);
    const std::string_view len = text.substr(pos + 2, 2);
    if (!IsDigits(id)) return Malformed("ID is not two digits");
    if (!IsDigits(len)) return Malformed("length is not two digits");
    const size_t n = static_cast<size_t>((len[0] - '0') * 10 + (len[1] - '0'));
    if (n == 0) return Malformed("empty data object");
    if (n > text.size() - pos - 4) return Malformed("value runs past the end");
    if (!seen.insert(id).second) return Malformed("ID given twice");
    objects.push_back({id, text.substr(pos + 4, n), pos});
    pos += 4 + n;
  }
  return objects;
}

const Object* FindId(const std::vector<Object>& objects, std::string_view id) {
  for (const Object& o : objects) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

bool IsHexUpperOrLower(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// Decodes one code point at `i` (advancing it); nullopt for an invalid or overlong sequence
// (one byte is then skipped).
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3;
    cp = b0 & 0x07;
  } else {
    ++i;
    return std::nullopt;
  }
  if (s.size() - i <= n) {
    ++i;
    return std::nullopt;
  }
  for (size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return std::nullopt;
  }
  i += n + 1;
  return cp;
}

// Precomposed Vietnamese letters (and the Latin-1 ones that share their bases) → ASCII base.
const std::map<char32_t, char>& FoldTable() {
  static const std::map<char32_t, char> table = [] {
    const std::pair<const char*, char> groups[] = {
        {"àáảãạăằắẳẵặâầấẩẫậäåā", 'a'},
        {"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅĀ", 'A'},
        {"èéẻẽẹêềếểễệëē", 'e'},
        {"ÈÉẺẼẸÊỀẾỂỄỆËĒ", 'E'},
        {"ìíỉĩịïī", 'i'},
        {"ÌÍỈĨỊÏĪ", 'I'},
        {"òóỏõọôồốổỗộơờớởỡợöøō", 'o'},
        {"ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖØŌ", 'O'},
        {"ùúủũụưừứửữựüū", 'u'},
        {"ÙÚỦŨỤƯỪỨỬỮỰÜŪ", 'U'},
        {"ỳýỷỹỵÿ", 'y'},
        {"ỲÝỶỸỴ", 'Y'},
        {"đ", 'd'},
        {"ĐÐ", 'D'},
        {"ç", 'c'},
        {"Ç", 'C'},
        {"ñ", 'n'},
        {"Ñ", 'N'},
    };
    std::map<char32_t, char> t;
    for (const auto& [letters, base] : groups) {
      std::string_view s(letters);
      size_t i = 0;
      while (i < s.size()) {
        if (auto cp = NextCodePoint(s, i)) t.emplace(*cp, base);
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

uint16_t Crc16CcittFalse(std::string_view bytes) {
  uint16_t crc = 0xFFFF;
  for (char ch : bytes) {
    crc = static_cast<uint16_t>(crc ^ (static_cast<uint16_t>(static_cast<unsigned char>(ch)) << 8));
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

Result<std::string> EncodeVietQr(const VietQr& q) {
  if (auto v = Validate(q); !v) return Fail(v.error());
  std::string beneficiary;
  Tlv(beneficiary, "00", q.bin);
  Tlv(beneficiary, "01", q.account);
  std::string account_info;
  Tlv(account_info, "00", kNapasGuid);
  Tlv(account_info, "01", beneficiary);
  Tlv(account_info, "02", q.service);

  std::string out;
  Tlv(out, "00", "01");
  Tlv(out, "01", q.dynamic ? "12" : "11");
  Tlv(out, "38", account_info);
  Tlv(out, "53", "704");
  if (q.amount) Tlv(out, "54", std::to_string(*q.amount));
  Tlv(out, "58", "VN");
  if (!q.merchant_name.empty()) Tlv(out, "59", q.merchant_name);
  if (!q.merchant_city.empty()) Tlv(out, "60", q.merchant_city);
  if (!q.purpose.empty()) {
    std::string additional;
    Tlv(additional, "08", q.purpose);
    Tlv(out, "62", additional);
  }
  out += "6304";
  out += Hex4(Crc16CcittFalse(out));
  return out;
}

Result<VietQr> ParseVietQr(std::string_view payload) {
  // EMVCo caps a payload at 512 characters; anything longer is not a QR we produced or accept.
  if (payload.size() > 512) return Malformed("payload longer than 512 characters");
  auto root = SplitTlv(payload);
  if (!root) return Fail(root.error());
  if (root->empty()) return Malformed("empty payload");

  const Object& last = root->back();
  if (FindId(*root, "63") != &last || last.value.size() != 4) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_crc", "ID 63 missing or not last");
  }
  for (char c : last.value) {
    if (!IsHexUpperOrLower(c)) {
      return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_crc", "CRC is not hex");
    }
  }
  std::string expected = Hex4(Crc16CcittFalse(payload.substr(0, last.offset + 4)));
  for (size_t i = 0; i < 4; ++i) {
    char c = last.value[i];
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    if (c != expected[i]) {
      return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_crc", "CRC does not match");
    }
  }

  const Object* format = FindId(*root, "00");
  if (format != &root->front() || format->value != "01") {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.not_vietqr",
                "payload format indicator not first or not 01");
  }
  const Object* account_info = FindId(*root, "38");
  if (account_info == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.not_vietqr", "no ID 38");
  }
  auto sub = SplitTlv(account_info->value);
  if (!sub) return Fail(sub.error());
  const Object* guid = FindId(*sub, "00");
  if (guid == nullptr || guid->value != kNapasGuid) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.not_vietqr", "ID 38 without NAPAS GUID");
  }

  VietQr q;
  q.service.clear();
  const Object* beneficiary = FindId(*sub, "01");
  if (beneficiary == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_bin", "no beneficiary (38-01)");
  }
  auto ben = SplitTlv(beneficiary->value);
  if (!ben) return Fail(ben.error());
  if (const Object* o = FindId(*ben, "00")) q.bin = std::string(o->value);
  if (const Object* o = FindId(*ben, "01")) q.account = std::string(o->value);
  if (const Object* o = FindId(*sub, "02")) q.service = std::string(o->value);

  const Object* method = FindId(*root, "01");
  if (method != nullptr) {
    if (method->value != "11" && method->value != "12") {
      return Malformed("point of initiation method not 11 or 12");
    }
    q.dynamic = method->value == "12";
  }
  const Object* currency = FindId(*root, "53");
  if (currency == nullptr || currency->value != "704") {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_currency", "currency is not 704");
  }
  const Object* country = FindId(*root, "58");
  if (country == nullptr || country->value != "VN") {
    return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_country", "country is not VN");
  }
  if (const Object* amount = FindId(*root, "54")) {
    if (!IsDigits(amount->value) || amount->value.size() > 13) {
      return Fail(ErrorCode::kInvalidArgument, "vietqr.bad_amount", "amount is not whole VND");
    }
    q.amount = std::stoll(std::string(amount->value));
  }
  if (method == nullptr) q.dynamic = q.amount.has_value();
  if (const Object* o = FindId(*root, "59")) q.merchant_name = std::string(o->value);
  if (const Object* o = FindId(*root, "60")) q.merchant_city = std::string(o->value);
  if (const Object* additional = FindId(*root, "62")) {
    auto add = SplitTlv(additional->value);
    if (!add) return Fail(add.error());
    if (const Object* o = FindId(*add, "08")) q.purpose = std::string(o->value);
  }
  if (auto v = Validate(q); !v) return Fail(v.error());
  return q;
}

std::string AsciiPurpose(std::string_view utf8, size_t max_len) {
  const auto& fold = FoldTable();
  std::string out;
  bool pending_space = false;
  size_t i = 0;
  while (i < utf8.size() && out.size() < max_len) {
    auto cp = NextCodePoint(utf8, i);
    if (!cp) continue;
    char c = 0;
    if (*cp == ' ' || *cp == '\t' || *cp == '\n' || *cp == '\r' || *cp == '\v' || *cp == '\f' ||
        *cp == 0xA0) {
      pending_space = true;
      continue;
    }
    if (*cp > 0x20 && *cp < 0x7F) {
      c = static_cast<char>(*cp);
    } else if (auto it = fold.find(*cp); it != fold.end()) {
      c = it->second;
    } else {
      continue;  // combining marks (decomposed input), controls, other scripts
    }
    if (pending_space && !out.empty()) {
      out += ' ';
      if (out.size() >= max_len) break;
    }
    pending_space = false;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Result<std::string> QrSvg(std::string_view text) {
  if (text.empty() || text.size() > 4096) {
    return Fail(ErrorCode::kInternal, "vietqr.qr_failed", "text empty or too long for a QR code");
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (qr == nullptr) {
    return Fail(ErrorCode::kInternal, "vietqr.qr_failed", "libqrencode could not encode the text");
  }
  const int width = qr->width;
  const int size = width + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"" + std::to_string(size) +
                    "\" height=\"" + std::to_string(size) +
                    "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int row = 0; row < width; ++row) {
    int col = 0;
    while (col < width) {
      if ((qr->data[row * width + col] & 1) == 0) {
        ++col;
        continue;
      }
      int run = 1;
      while (col + run < width && (qr->data[row * width + col + run] & 1) != 0) ++run;
      svg += "M" + std::to_string(col + 4) + " " + std::to_string(row + 4) + "h" +
             std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      col += run;
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

}  // namespace motcua::pay
