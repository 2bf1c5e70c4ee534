#include "domain/identity.h"

#include <algorithm>
#include <cctype>

namespace motcua::domain {

std::string_view IdKindName(IdKind k) {
  switch (k) {
    case IdKind::kCitizenId:
      return "cccd";
    case IdKind::kOldId:
      return "cmnd";
    case IdKind::kPassport:
      return "passport";
    case IdKind::kTaxCode:
      return "tax_code";
  }
  return "?";
}

Result<IdKind> ParseIdKind(std::string_view s) {
  for (IdKind k : {IdKind::kCitizenId, IdKind::kOldId, IdKind::kPassport, IdKind::kTaxCode}) {
    if (IdKindName(k) == s) return k;
  }
  return Fail(ErrorCode::kInvalidArgument, "applicant.bad_id_kind", std::string(s.substr(0, 32)));
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Province codes used in the first three digits of a CCCD number (the 63 pre-2025 provinces,
// Circular 07/2016/TT-BCA and its successors): 001…096 with gaps.
bool IsCccdProvince(int code) {
  static constexpr int kCodes[] = {1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25,
                                   26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48,
                                   49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75,
                                   77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

}  // namespace

Result<std::string> ValidateIdNumber(IdKind kind, std::string_view number) {
  std::string n;
  for (char c : number) {
    if (c == ' ') continue;
    n.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  auto bad = [&](const char* why) {
    Error e{ErrorCode::kInvalidArgument, "applicant.bad_id_number", why, {}};
    e.With("kind", std::string(IdKindName(kind)));
    return std::unexpected(e);
  };
  switch (kind) {
    case IdKind::kCitizenId: {
      if (n.size() != 12 || !AllDigits(n)) return bad("CCCD must be 12 digits");
      if (!IsCccdProvince(std::stoi(n.substr(0, 3)))) return bad("unknown province code");
      // Digit 4 encodes century and gender: 0/1 = 20th, 2/3 = 21st, 4/5 = 22nd … 8/9 = 24th.
      return n;
    }
    case IdKind::kOldId:
      if (n.size() != 9 || !AllDigits(n)) return bad("CMND must be 9 digits");
      return n;
    case IdKind::kPassport:
      if (n.size() != 8 || !std::isupper(static_cast<unsigned char>(n[0])) ||
          !AllDigits(std::string_view(n).substr(1))) {
        return bad("passport must be one letter and 7 digits");
      }
      return n;
    case IdKind::kTaxCode: {
      std::string_view v(n);
      if (v.size() == 14 && v[10] == '-' && AllDigits(v.substr(0, 10)) && AllDigits(v.substr(11))) {
        return n;
      }
      if (v.size() == 10 && AllDigits(v)) return n;
      return bad("tax code must be 10 digits or 10-3");
    }
  }
  return bad("unknown kind");
}

std::string MaskIdentifier(std::string_view s) {
  if (s.size() <= 4) return std::string(s.size(), '*');
  std::string out(s);
  for (size_t i = 2; i + 2 < out.size(); ++i) out[i] = '*';
  return out;
}

}  // namespace motcua::domain
