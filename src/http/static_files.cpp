#include "http/static_files.h"

#include <algorithm>
#include <boost/url.hpp>
#include <fstream>
#include <sstream>

namespace motcua::http {

namespace fs = std::filesystem;

namespace {

Error BadPath() { return Error{ErrorCode::kInvalidArgument, "http.bad_path", {}, {}}; }
Error NotFound(std::string detail = {}) {
  return Error{ErrorCode::kNotFound, "http.not_found", std::move(detail), {}};
}

// True if `p` is `root` or below it, comparing whole components.
bool IsWithin(const fs::path& p, const fs::path& root) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end();
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
  if (root.empty()) return;
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (!ec && fs::is_directory(canonical, ec)) root_ = std::move(canonical);
}

Result<Response> StaticFiles::Serve(std::string_view target) const {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return Fail(ErrorCode::kInvalidArgument, "http.bad_request", "bad target");
  std::vector<std::string> segments;
  // Segments come percent-decoded, so "%2e%2e" is "..", and "%2f" shows up as a '/' inside one.
  for (auto seg : url->segments()) {
    if (seg == ".." || seg == ".") return Fail(BadPath());
    if (seg.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      return Fail(BadPath());
    }
    if (seg.starts_with('.')) return Fail(NotFound("hidden name"));
    segments.push_back(seg);
  }
  const bool is_root = segments.empty() || (segments.size() == 1 && segments[0].empty());
  if (root_.empty()) {
    if (!is_root) return Fail(NotFound());
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = BuiltInIndexHtml();
    return r;
  }
  fs::path candidate = root_;
  for (const std::string& s : segments) {
    if (!s.empty()) candidate /= s;
  }
  std::error_code ec;
  if (is_root || segments.back().empty() || fs::is_directory(candidate, ec)) {
    candidate /= "index.html";
  }
  const fs::path resolved = fs::canonical(candidate, ec);
  if (ec) return Fail(NotFound());
  if (!IsWithin(resolved, root_)) return Fail(NotFound("outside the root"));
  if (!fs::is_regular_file(resolved, ec)) return Fail(NotFound());
  const uintmax_t size = fs::file_size(resolved, ec);
  if (ec || size > kMaxStaticFileBytes) return Fail(NotFound("too large"));
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return Fail(NotFound("unreadable"));
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.content_type = std::string(ContentTypeFor(resolved));
  r.body = std::move(ss).str();
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

std::string_view ContentTypeFor(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".map") return "application/json; charset=utf-8";
  return "application/octet-stream";
}

const std::string& BuiltInIndexHtml() {
  static const std::string kPage = R"(<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>motcua — Hệ thống thông tin giải quyết thủ tục hành chính</title>
</head>
<body>
<h1>motcua</h1>
<p>Hệ thống thông tin giải quyết thủ tục hành chính một cửa, một cửa liên thông.</p>
<p>Giao diện web chưa được cài đặt trên máy chủ này. Giao diện lập trình (API) JSON có tại
<code>/api/v1/</code>:</p>
<ul>
<li><code>GET /api/v1/health</code> — tình trạng dịch vụ</li>
<li><code>GET /api/v1/procedures</code> — danh mục thủ tục hành chính</li>
<li><code>GET /api/v1/procedures/{mã}</code> — chi tiết một thủ tục</li>
<li><code>GET /api/v1/units?date=YYYY-MM-DD</code> — đơn vị hành chính có hiệu lực vào ngày</li>
<li><code>POST /api/v1/dossiers</code> — nộp hồ sơ (cần mã truy cập)</li>
<li><code>GET /api/v1/dossiers</code>, <code>GET /api/v1/dossiers/{mã}</code> — tra cứu hồ sơ</li>
</ul>
<p>Xác thực: tiêu đề <code>Authorization: Bearer &lt;mã truy cập&gt;</code>.
Tài liệu: <code>docs/api.md</code>.</p>
</body>
</html>
)";
  return kPage;
}

}  // namespace motcua::http
