#include "http/errors.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "base/json.h"
#include "http/detail/log.h"

namespace motcua::http {

namespace bj = boost::json;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// q-value in thousandths ("0.8" → 800); -1 if malformed.
int ParseQ(std::string_view q) {
  if (q.empty() || q.size() > 5) return -1;
  if (q[0] == '1') return 1000;
  if (q[0] != '0') return -1;
  int v = 0, digits = 0;
  for (size_t i = 2; i < q.size(); ++i) {
    if (q[i] < '0' || q[i] > '9') return -1;
    v = v * 10 + (q[i] - '0');
    ++digits;
  }
  if (q.size() > 1 && q[1] != '.') return -1;
  while (digits++ < 3) v *= 10;
  return v;
}

struct Generic {
  ErrorCode code;
  const char* key;
  const char* vi;
  const char* en;
};

constexpr Generic kGeneric[] = {
    {ErrorCode::kInvalidArgument, "error.invalid_argument", "Yêu cầu không hợp lệ.",
     "The request is not valid."},
    {ErrorCode::kNotFound, "error.not_found", "Không tìm thấy.", "Not found."},
    {ErrorCode::kAlreadyExists, "error.already_exists", "Đã tồn tại.", "It already exists."},
    {ErrorCode::kFailedPrecondition, "error.failed_precondition",
     "Không thể thực hiện thao tác ở trạng thái hiện tại.",
     "The action is not possible in the current state."},
    {ErrorCode::kAborted, "error.aborted", "Hệ thống đang bận, vui lòng thử lại.",
     "The system is busy; please try again."},
    {ErrorCode::kUnavailable, "error.unavailable", "Dịch vụ tạm thời không khả dụng.",
     "The service is temporarily unavailable."},
    {ErrorCode::kPermissionDenied, "error.permission_denied",
     "Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."},
    {ErrorCode::kUnauthenticated, "error.unauthenticated", "Bạn cần đăng nhập.",
     "You need to sign in."},
    {ErrorCode::kResourceExhausted, "error.resource_exhausted", "Vượt quá giới hạn cho phép.",
     "A limit was exceeded."},
    {ErrorCode::kDeadlineExceeded, "error.deadline_exceeded", "Hết thời gian chờ xử lý.",
     "The request took too long."},
    {ErrorCode::kDataLoss, "error.data_loss", "Lỗi dữ liệu nội bộ.", "Internal data error."},
    {ErrorCode::kInternal, "error.internal", "Lỗi hệ thống.", "Internal error."},
};

}  // namespace

Lang PreferredLanguage(std::string_view header) {
  int vi = -1, en = -1;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    std::string_view tag = part.substr(0, part.find(';'));
    int q = 1000;
    for (size_t semi = part.find(';'); semi != std::string_view::npos;) {
      std::string_view param = part.substr(semi + 1);
      const size_t next = param.find(';');
      param = Trim(param.substr(0, next));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        q = ParseQ(param.substr(2));
      }
      semi = next == std::string_view::npos ? next : semi + 1 + next;
    }
    if (q < 0) continue;
    tag = Trim(tag);
    const std::string_view primary = tag.substr(0, tag.find('-'));
    if (IEquals(primary, "vi")) vi = std::max(vi, q);
    if (IEquals(primary, "en")) en = std::max(en, q);
  }
  return en > 0 && en > vi ? Lang::kEn : Lang::kVi;
}

unsigned HttpStatus(const Error& e) {
  if (e.key == "http.body_too_large") return 413;
  if (e.key == "http.headers_too_large") return 431;
  if (e.key == "http.method_not_allowed") return 405;
  if (e.key == "http.unsupported_media_type") return 415;
  if (e.key == "file.too_large" || e.key == "draft.too_large") return 413;
  if (e.key == "file.bad_type" || e.key == "file.executable" || e.key == "file.archive" ||
      e.key == "file.active_content") {
    return 415;
  }
  if (e.key == "file.too_many_pixels") return 413;
  if (e.key == "document.too_large") return 413;
  // A file that is not a PDF one can read: well-formed request, unprocessable content.
  if (e.key == "pdf.not_pdf" || e.key == "pdf.damaged" || e.key == "pdf.unsupported") return 422;
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kDataLoss:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string GenericKey(ErrorCode code) {
  for (const Generic& g : kGeneric) {
    if (g.code == code) return g.key;
  }
  return "error.internal";
}

Result<MessageCatalog> MessageCatalog::Load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, "data.unreadable", file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  auto doc = json::Parse(ss.str());
  if (!doc) {
    Error e = doc.error();
    e.detail = file.string() + ": " + e.detail;
    return std::unexpected(e);
  }
  return FromJson(*doc);
}

Result<MessageCatalog> MessageCatalog::FromJson(const bj::value& doc) {
  if (!doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "http.bad_message_catalogue", "not an object");
  }
  MessageCatalog c;
  for (const auto& [key, v] : doc.get_object()) {
    const bj::object* o = v.if_object();
    const bj::value* vi = o ? o->if_contains("vi") : nullptr;
    const bj::value* en = o ? o->if_contains("en") : nullptr;
    if (!vi || !en || !vi->is_string() || !en->is_string() || vi->get_string().empty() ||
        en->get_string().empty()) {
      return Fail(ErrorCode::kInvalidArgument, "http.bad_message_catalogue", std::string(key));
    }
    c.entries_[std::string(key)] =
        Entry{std::string(vi->get_string()), std::string(en->get_string())};
  }
  return c;
}

MessageCatalog MessageCatalog::BuiltIn() {
  MessageCatalog c;
  for (const Generic& g : kGeneric) c.entries_[g.key] = Entry{g.vi, g.en};
  c.entries_["internal"] = Entry{"Lỗi hệ thống.", "Internal error."};
  return c;
}

std::optional<std::string> MessageCatalog::Find(
    std::string_view key, Lang lang,
    const std::vector<std::pair<std::string, std::string>>& params) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return Substitute(lang == Lang::kEn ? it->second.en : it->second.vi, params);
}

std::vector<std::string> MessageCatalog::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [k, v] : entries_) keys.push_back(k);
  return keys;
}

std::optional<std::pair<std::string, std::string>> MessageCatalog::Templates(
    std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return std::make_pair(it->second.vi, it->second.en);
}

std::string Substitute(std::string_view tmpl,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  out.reserve(tmpl.size());
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      const size_t close = tmpl.find('}', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = tmpl.substr(i + 1, close - i - 1);
        auto p = std::find_if(params.begin(), params.end(),
                              [&](const auto& kv) { return kv.first == name; });
        if (p != params.end()) {
          out += p->second;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(tmpl[i++]);
  }
  return out;
}

ErrorReply RenderError(const Error& e, const MessageCatalog& messages, Lang lang,
                       std::string_view request_id) {
  ErrorReply reply;
  reply.status = HttpStatus(e);
  std::optional<std::string> message = messages.Find(e.key, lang, e.params);
  const bool known = message.has_value();
  if (!message) message = messages.Find(GenericKey(e.code), lang);
  if (!message) message = lang == Lang::kEn ? "Error." : "Lỗi.";
  bj::object body{{"code", e.key.empty() ? GenericKey(e.code) : e.key},
                  {"message", *message},
                  {"request_id", request_id}};
  if (!e.params.empty()) {
    bj::object params;
    for (const auto& [k, v] : e.params) params[k] = v;
    body["params"] = std::move(params);
  }
  reply.body = bj::serialize(body);
  if (e.code == ErrorCode::kAborted) reply.headers.emplace_back("Retry-After", "1");
  // Throttling says how long to wait (seconds) in its parameter; clients read the header.
  if (const std::string wait = e.Param("retry_after"); !wait.empty() && reply.status == 429) {
    reply.headers.emplace_back("Retry-After", wait);
  }
  std::string line = "error request_id=" + std::string(request_id) +
                     " status=" + std::to_string(reply.status) + " key=" + detail::Sanitize(e.key) +
                     " code=" + std::string(ErrorCodeName(e.code));
  if (!known) line += " missing_message_key=" + detail::Sanitize(e.key);
  if (!e.detail.empty()) line += " detail=\"" + detail::Sanitize(e.detail, 500) + "\"";
  detail::LogLine(line);
  return reply;
}

}  // namespace motcua::http
