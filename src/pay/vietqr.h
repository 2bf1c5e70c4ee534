// VietQR (NAPAS 247 QR, EMVCo Merchant-Presented Mode) payloads: the text a banking app scans to
// transfer a fee to the collecting agency's account, with the amount and the payment reference
// in the purpose field (62-08). Encoding and strict parsing (lengths, nesting, CRC-16/CCITT-FALSE
// in ID 63), after ../shared/reference/vietqr.md and NAPAS QR Part IV v1.5.2.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace motcua::pay {

struct VietQr {
  std::string bin;      // beneficiary bank's BIN, 6 digits (38-01-00)
  std::string account;  // account or card number, 1..19 characters [0-9A-Za-z] (38-01-01)
  std::string service = "QRIBFTTA";  // QRIBFTTA | QRIBFTTC | QRPUSH | QRCASH (38-02)
  std::optional<int64_t> amount;     // VND, 1..9,999,999,999,999 (54); absent on a static QR
  std::string purpose;               // 62-08: printable ASCII, at most 25 characters (may be empty)
  std::string merchant_name;         // 59, optional, printable ASCII ≤ 25
  std::string merchant_city;         // 60, optional, printable ASCII ≤ 15
  bool dynamic = true;               // 01: "12" dynamic (one transaction), "11" static
  bool operator==(const VietQr&) const = default;
};

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR).
uint16_t Crc16CcittFalse(std::string_view bytes);

// The payload text, ending with "6304" and the CRC as 4 uppercase hex digits. Errors
// (kInvalidArgument): vietqr.bad_bin, vietqr.bad_account, vietqr.bad_service, vietqr.bad_amount,
// vietqr.bad_purpose (non-ASCII or too long), vietqr.bad_merchant.
Result<std::string> EncodeVietQr(const VietQr& q);

// Parses and validates a payload. Errors (kInvalidArgument): vietqr.malformed (truncated TLV,
// non-digit length, nesting that does not add up, a value over 99 bytes, a root ID twice),
// vietqr.bad_crc (missing, not last, or not matching), vietqr.not_vietqr (no ID 38 with the
// NAPAS GUID A000000727, or format indicator not "01"), vietqr.bad_currency (53 not "704"),
// vietqr.bad_country (58 not "VN"), and the encoder's field errors. Never reads past the input.
Result<VietQr> ParseVietQr(std::string_view payload);

// Removes Vietnamese diacritics and anything outside printable ASCII, folds whitespace, keeps at
// most `max_len` characters: a purpose line banks accept ("Lệ phí hồ sơ" → "Le phi ho so").
std::string AsciiPurpose(std::string_view utf8, size_t max_len = 25);

// The QR code of `text` (level M) as a standalone SVG document (dark modules as one path, a
// 4-module quiet zone), for the web page. Error vietqr.qr_failed (kInternal).
Result<std::string> QrSvg(std::string_view text);

}  // namespace motcua::pay
