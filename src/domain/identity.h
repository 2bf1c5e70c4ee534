// Identity numbers of applicants, validated in format only (no registry lookups here):
// citizen ID card numbers (CCCD, 12 digits: 3-digit province-of-birth code, a century/gender
// digit, 2-digit birth year, 6 digits), old ID cards (CMND, 9 digits), passports (one letter and
// 7 digits) and enterprise/tax codes (10 digits, or 10-3 for branches). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::domain {

enum class IdKind { kCitizenId, kOldId, kPassport, kTaxCode };
std::string_view IdKindName(IdKind k);  // "cccd", "cmnd", "passport", "tax_code"
Result<IdKind> ParseIdKind(std::string_view s);

// Returns the normalised number (spaces removed, upper case) or error "applicant.bad_id_number".
Result<std::string> ValidateIdNumber(IdKind kind, std::string_view number);

// "012345678901" -> "01********01": for logs and public lookups. Keeps at most 2+2 characters.
std::string MaskIdentifier(std::string_view s);

}  // namespace motcua::domain
