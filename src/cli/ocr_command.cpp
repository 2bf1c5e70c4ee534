#include "cli/ocr_command.h"

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>

#include "base/error.h"
#include "ocr/fields.h"
#include "ocr/ocr.h"

namespace motcua::cli {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitUnavailable = 1;

// The catalogue texts (data/messages.json) of the keys this command reports, so that the command
// needs no data directory (as `motcua pay`); ocr_command_test checks them against the catalogue.
const std::map<std::string, std::pair<std::string, std::string>>& Messages() {
  static const std::map<std::string, std::pair<std::string, std::string>> m = {
      {"cli.unknown_flag", {"Tham số dòng lệnh không được hỗ trợ.", "Unknown command-line flag."}},
      {"cli.missing_argument", {"Thiếu tham số dòng lệnh.", "A command-line argument is missing."}},
      {"cli.duplicate_flag", {"Tham số dòng lệnh bị lặp.", "A command-line flag is given twice."}},
      {"cli.bad_number", {"Giá trị phải là một số.", "The value must be a number."}},
      {"cli.cannot_read", {"Không đọc được tệp.", "Cannot read the file."}},
      {"ocr.too_large",
       {"Tệp hoặc một trang ảnh quá lớn để nhận dạng.",
        "The file or one of its page images is too large to recognise."}},
      {"ocr.too_many_pages",
       {"Tệp có quá nhiều trang để nhận dạng.", "The file has too many pages to recognise."}},
      {"ocr.unsupported_type",
       {"Chỉ nhận dạng được tệp ảnh PNG, JPEG, TIFF hoặc tệp PDF.",
        "Only PNG, JPEG or TIFF images and PDF files can be recognised."}},
      {"ocr.unreadable_image",
       {"Không đọc được ảnh: tệp bị hỏng hoặc không đầy đủ.",
        "The image cannot be read: the file is damaged or incomplete."}},
      {"ocr.unreadable_pdf",
       {"Không đọc được tệp PDF: tệp bị hỏng hoặc không có trang nào.",
        "The PDF cannot be read: the file is damaged or has no page."}},
      {"ocr.engine_unavailable",
       {"Chức năng nhận dạng chữ (OCR) tạm thời không khả dụng.",
        "Text recognition (OCR) is temporarily unavailable."}},
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
  return e.code == ErrorCode::kInvalidArgument ? kExitUsage : kExitUnavailable;
}

Error Usage(std::string key, std::string detail) {
  return Error{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
}

boost::json::object FieldJson(const ocr::Field& f) {
  boost::json::object o;
  o["found"] = f.found;
  if (f.found) {
    o["value"] = f.value;
  } else {
    o["value"] = nullptr;
  }
  o["confidence"] = f.confidence;
  return o;
}

}  // namespace

int RunOcrCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string file;
  ocr::OcrOptions options;
  bool pages_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--pages") {
      if (pages_given) return Report(err, Usage("cli.duplicate_flag", "--pages given twice"));
      if (i + 1 >= args.size()) {
        return Report(err, Usage("cli.missing_argument", "--pages needs a value"));
      }
      const std::string& v = args[++i];
      int n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n < 1 || n > 1000) {
        return Report(err, Usage("cli.bad_number", "--pages must be 1 to 1000"));
      }
      options.max_pages = n;
      pages_given = true;
    } else if (a.starts_with("--") || !file.empty()) {
      return Report(
          err, Usage("cli.unknown_flag", "unknown flag or argument '" + a.substr(0, 40) + "'"));
    } else {
      file = a;
    }
  }
  if (file.empty()) {
    return Report(err, Usage("cli.missing_argument", "usage: motcua ocr FILE [--pages N]"));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Report(err, Usage("cli.cannot_read", file));
  // One byte past the limit is enough to refuse a file that is too large.
  std::string bytes;
  bytes.resize(options.max_bytes + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return Report(err, Usage("cli.cannot_read", file));
  bytes.resize(static_cast<size_t>(in.gcount()));

  auto result = ocr::Recognize(bytes, options);
  if (!result) return Report(err, result.error());
  const ocr::ExtractedFields f = ocr::ExtractFields(result->Text());

  boost::json::object o;
  o["file_type"] = std::string(ocr::FileTypeName(ocr::SniffType(bytes)));
  boost::json::array pages;
  for (const ocr::OcrPage& p : result->pages) {
    pages.push_back(
        boost::json::object{{"page", p.number}, {"text", p.text}, {"confidence", p.confidence}});
  }
  o["pages"] = std::move(pages);
  o["mean_confidence"] = result->mean_confidence;
  o["kind"] = f.kind;
  o["fields"] = boost::json::object{
      {"id_number", FieldJson(f.id_number)},
      {"full_name", FieldJson(f.full_name)},
      {"date_of_birth", FieldJson(f.date_of_birth)},
      {"sex", FieldJson(f.sex)},
      {"nationality", FieldJson(f.nationality)},
      {"place_of_origin", FieldJson(f.place_of_origin)},
      {"place_of_residence", FieldJson(f.place_of_residence)},
  };
  out << boost::json::serialize(o) << "\n";
  return 0;
}

}  // namespace motcua::cli
