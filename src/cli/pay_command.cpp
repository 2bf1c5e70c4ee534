#include "cli/pay_command.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "base/error.h"
#include "pay/vietqr.h"

namespace motcua::cli {
namespace {

constexpr int kExitUsage = 2;

// The catalogue texts (data/messages.json) of the keys this command reports, so that the command
// needs no data directory.
const std::map<std::string, std::pair<std::string, std::string>>& Messages() {
  static const std::map<std::string, std::pair<std::string, std::string>> m = {
      {"cli.unknown_flag", {"Tham số dòng lệnh không được hỗ trợ.", "Unknown command-line flag."}},
      {"cli.missing_argument", {"Thiếu tham số dòng lệnh.", "A command-line argument is missing."}},
      {"cli.duplicate_flag", {"Tham số dòng lệnh bị lặp.", "A command-line flag is given twice."}},
      {"vietqr.bad_bin", {"Mã BIN ngân hàng phải gồm 6 chữ số.", "The bank BIN must be 6 digits."}},
      {"vietqr.bad_account",
       {"Số tài khoản phải có 1–19 ký tự chữ hoặc số.",
        "The account number must be 1–19 letters or digits."}},
      {"vietqr.bad_service",
       {"Mã dịch vụ phải là QRIBFTTA, QRIBFTTC, QRPUSH hoặc QRCASH.",
        "The service code must be QRIBFTTA, QRIBFTTC, QRPUSH or QRCASH."}},
      {"vietqr.bad_amount",
       {"Số tiền phải là số nguyên đồng, từ 1 đến 9.999.999.999.999.",
        "The amount must be whole dong, 1 to 9,999,999,999,999."}},
      {"vietqr.bad_purpose",
       {"Nội dung chuyển khoản tối đa 25 ký tự không dấu.",
        "The transfer note is at most 25 plain ASCII characters."}},
      {"vietqr.bad_merchant",
       {"Tên (tối đa 25 ký tự) hoặc thành phố (tối đa 15 ký tự) không hợp lệ.",
        "The name (at most 25 characters) or city (at most 15) is not valid."}},
      {"vietqr.malformed", {"Mã VietQR sai cấu trúc.", "The VietQR payload is malformed."}},
      {"vietqr.bad_crc",
       {"Mã kiểm tra (CRC) của mã VietQR không đúng.", "The VietQR checksum (CRC) is wrong."}},
      {"vietqr.not_vietqr", {"Đây không phải mã VietQR.", "This is not a VietQR payload."}},
      {"vietqr.bad_currency",
       {"Mã VietQR không dùng đồng Việt Nam (704).", "The VietQR currency is not VND (704)."}},
      {"vietqr.bad_country",
       {"Mã quốc gia của mã VietQR không phải VN.", "The VietQR country is not VN."}},
      {"vietqr.qr_failed", {"Không tạo được ảnh mã QR.", "The QR image could not be made."}},
  };
  return m;
}

int Report(std::ostream& err, const Error& e) {
  boost::json::object o;
  o["code"] = e.key;
  auto it = Messages().find(e.key);
  std::string message =
      it == Messages().end() ? e.key : it->second.first + " / " + it->second.second;
  if (!e.detail.empty()) message += " (" + e.detail + ")";
  o["message"] = message;
  err << boost::json::serialize(o) << "\n";
  return kExitUsage;
}

Error Usage(std::string key, std::string detail) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
}

struct Flags {
  std::map<std::string, std::string> values;
  std::set<std::string> switches;
};

Result<Flags> ParseFlags(const std::vector<std::string>& args, size_t from,
                         const std::set<std::string>& with_value,
                         const std::set<std::string>& switches) {
  Flags f;
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& flag = args[i];
    const std::string shown = flag.substr(0, 40);
    if (switches.contains(flag)) {
      if (!f.switches.insert(flag).second) {
        return Fail(Usage("cli.duplicate_flag", shown + " given twice"));
      }
    } else if (with_value.contains(flag)) {
      if (i + 1 >= args.size())
        return Fail(Usage("cli.missing_argument", shown + " needs a value"));
      if (!f.values.emplace(flag, args[++i]).second) {
        return Fail(Usage("cli.duplicate_flag", shown + " given twice"));
      }
    } else {
      return Fail(Usage("cli.unknown_flag", "unknown flag or argument '" + shown + "'"));
    }
  }
  return f;
}

int RunVietQr(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto f = ParseFlags(args, 1,
                      {"--bank", "--account", "--amount", "--ref", "--service", "--name", "--city"},
                      {"--static", "--svg"});
  if (!f) return Report(err, f.error());
  for (const char* required : {"--bank", "--account"}) {
    if (!f->values.contains(required)) {
      return Report(err, Usage("cli.missing_argument", std::string(required) + " is required"));
    }
  }
  pay::VietQr q;
  q.bin = f->values.at("--bank");
  q.account = f->values.at("--account");
  q.dynamic = !f->switches.contains("--static");
  if (auto it = f->values.find("--service"); it != f->values.end()) q.service = it->second;
  if (auto it = f->values.find("--amount"); it != f->values.end()) {
    const std::string& a = it->second;
    if (a.empty() || a.size() > 13 ||
        !std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Report(err, Usage("vietqr.bad_amount", "--amount must be whole VND (digits)"));
    }
    q.amount = std::stoll(a);
  }
  // Diacritics off; the encoder still refuses what is too long.
  auto ascii = [&](const char* flag) {
    auto it = f->values.find(flag);
    return it == f->values.end() ? std::string() : pay::AsciiPurpose(it->second, it->second.size());
  };
  q.purpose = ascii("--ref");
  q.merchant_name = ascii("--name");
  q.merchant_city = ascii("--city");
  auto payload = pay::EncodeVietQr(q);
  if (!payload) return Report(err, payload.error());
  if (f->switches.contains("--svg")) {
    auto svg = pay::QrSvg(*payload);
    if (!svg) return Report(err, svg.error());
    out << *svg;
    return 0;
  }
  out << *payload << "\n";
  return 0;
}

int RunVietQrParse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 2) {
    return Report(err, Usage("cli.missing_argument", "usage: pay vietqr-parse PAYLOAD"));
  }
  auto q = pay::ParseVietQr(args[1]);
  if (!q) return Report(err, q.error());
  boost::json::object o;
  o["bin"] = q->bin;
  o["account"] = q->account;
  o["service"] = q->service;
  o["dynamic"] = q->dynamic;
  if (q->amount) {
    o["amount"] = *q->amount;
  } else {
    o["amount"] = nullptr;
  }
  o["purpose"] = q->purpose;
  o["merchant_name"] = q->merchant_name;
  o["merchant_city"] = q->merchant_city;
  out << boost::json::serialize(o) << "\n";
  return 0;
}

}  // namespace

int RunPayCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return -1;
  if (args[0] == "vietqr") return RunVietQr(args, out, err);
  if (args[0] == "vietqr-parse") return RunVietQrParse(args, out, err);
  return -1;
}

}  // namespace motcua::cli
