#include "app/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "app/audit.h"
#include "app/projection.h"
#include "base/json.h"
#include "secure/random.h"

namespace motcua::app {

namespace bj = boost::json;
namespace fs = std::filesystem;

bool IsAllowedFileType(std::string_view t) {
  return t == "application/pdf" || t == "image/jpeg" || t == "image/png";
}

bool SniffMatches(std::string_view t, std::string_view b) {
  if (t == "application/pdf") return b.starts_with("%PDF-");
  if (t == "image/png") return b.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8));
  if (t == "image/jpeg") return b.starts_with(std::string_view("\xFF\xD8\xFF", 3));
  return false;
}

namespace {

Error IoError(const std::string& what) {
  return Error{ErrorCode::kInternal, "file.io", what + ": " + std::strerror(errno), {}};
}

// Writes all of `bytes` to fd and fsyncs it.
bool WriteAllAndSync(int fd, std::string_view bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(w);
  }
  return ::fsync(fd) == 0;
}

bool SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A file name as shown to people: the last path segment, without control characters, at most
// 200 bytes (cut at a UTF-8 character boundary).
std::string CleanName(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    out += c;
  }
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace

fs::path BlobStore::PathOf(std::string_view h) const {
  return root_ / std::string(h.substr(0, 2)) / std::string(h);
}

Result<void> BlobStore::Put(std::string_view h, std::string_view bytes) const {
  if (!IsHex64(h)) return Fail(ErrorCode::kInvalidArgument, "file.bad_digest");
  const fs::path final_path = PathOf(h);
  std::error_code ec;
  if (fs::exists(final_path, ec)) return {};
  const fs::path dir = final_path.parent_path();
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kInternal, "file.io", "mkdir: " + ec.message());
  const fs::path tmp = dir / ("." + std::string(h) + "." + secure::RandomToken(8) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Fail(IoError("open"));
  const bool ok = WriteAllAndSync(fd, bytes);
  ::close(fd);
  if (!ok) {
    Error e = IoError("write");
    fs::remove(tmp, ec);
    return Fail(e);
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    Error e = IoError("rename");
    fs::remove(tmp, ec);
    return Fail(e);
  }
  if (!SyncDir(dir)) return Fail(IoError("fsync dir"));
  return {};
}

Result<std::string> BlobStore::Get(std::string_view h) const {
  if (!IsHex64(h)) return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h.substr(0, 64)));
  std::ifstream in(PathOf(h), std::ios::binary);
  if (!in) return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (secure::Sha256Hex(out) != h) {
    return Fail(ErrorCode::kDataLoss, "file.corrupt", std::string(h));
  }
  return out;
}

bj::object StoredFile::ToJson() const {
  return bj::object{{"id", ref.id},
                    {"name", ref.name},
                    {"content_type", ref.content_type},
                    {"size", ref.size},
                    {"sha256", ref.sha256},
                    {"owner", owner},
                    {"uploaded_at", uploaded_at.us}};
}

Result<StoredFile> StoredFile::FromJson(const bj::object& o) {
  StoredFile f;
  auto id = json::String(o, "id");
  auto sha = json::String(o, "sha256");
  auto size = json::Int(o, "size");
  auto at = json::Int(o, "uploaded_at");
  if (!id || !sha || !size || !at) return Fail(ErrorCode::kDataLoss, "file.bad_record");
  f.ref.id = *id;
  f.ref.sha256 = *sha;
  f.ref.size = *size;
  f.ref.name = json::OptString(o, "name").value_or("");
  f.ref.content_type = json::OptString(o, "content_type").value_or("");
  f.owner = json::OptString(o, "owner").value_or("");
  f.uploaded_at = Timestamp{*at};
  return f;
}

Result<std::optional<StoredFile>> FindFile(store::Store& store, std::string_view id) {
  if (id.empty() || id.size() > 64) return std::optional<StoredFile>();
  auto row = store.GetCatalog("file", id);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<StoredFile>();
  auto doc = json::Parse((*row)->doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", "file");
  auto f = StoredFile::FromJson(doc->get_object());
  if (!f) return std::unexpected(f.error());
  return std::optional<StoredFile>(std::move(*f));
}

Result<void> ResolveFiles(store::Store& store, const Actor& actor,
                          std::vector<domain::ComponentRecord>& components) {
  for (domain::ComponentRecord& c : components) {
    std::vector<domain::FileRef> resolved;
    for (const domain::FileRef& want : c.files) {
      auto f = FindFile(store, want.id);
      if (!f) return std::unexpected(f.error());
      // Another account's upload is reported exactly like a missing one.
      if (!*f || actor.account.empty() || (*f)->owner != actor.account) {
        Error e{ErrorCode::kNotFound, "file.not_found", want.id.substr(0, 64), {}};
        e.With("file", want.id.substr(0, 64));
        return std::unexpected(e);
      }
      if (std::any_of(resolved.begin(), resolved.end(),
                      [&](const domain::FileRef& r) { return r.id == want.id; })) {
        Error e{ErrorCode::kInvalidArgument, "file.duplicate", want.id.substr(0, 64), {}};
        e.With("file", want.id.substr(0, 64));
        return std::unexpected(e);
      }
      resolved.push_back((*f)->ref);
    }
    c.files = std::move(resolved);
  }
  return {};
}

Result<StoredFile> Files::Upload(const Actor& actor, std::string_view name,
                                 std::string_view content_type, std::string_view bytes) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "file.upload", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (bytes.empty()) return Fail(ErrorCode::kInvalidArgument, "file.empty");
  if (static_cast<int64_t>(bytes.size()) > kMaxFileBytes) {
    return Fail(ErrorCode::kResourceExhausted, "file.too_large", std::to_string(bytes.size()));
  }
  if (!IsAllowedFileType(content_type) || !SniffMatches(content_type, bytes)) {
    Error e{
        ErrorCode::kInvalidArgument, "file.bad_type", std::string(content_type.substr(0, 64)), {}};
    e.With("content_type", std::string(content_type.substr(0, 64)));
    return std::unexpected(e);
  }
  StoredFile f;
  f.ref.name = CleanName(name);
  if (f.ref.name.empty()) return Fail(ErrorCode::kInvalidArgument, "file.bad_name");
  f.ref.id = "f" + secure::RandomToken(12);
  f.ref.content_type = std::string(content_type);
  f.ref.size = static_cast<int64_t>(bytes.size());
  f.ref.sha256 = secure::Sha256Hex(bytes);
  f.owner = actor.account;
  f.uploaded_at = clock_.Now();
  // The bytes first: a committed record must never point at bytes that are not on disk.
  if (auto put = blobs_.Put(f.ref.sha256, bytes); !put) return std::unexpected(put.error());
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    NewEvent n;
    n.stream = "file/" + f.ref.id;
    n.type = "FileUploaded";
    n.unit = actor.unit;
    n.actor = actor.Ref();
    n.at = f.uploaded_at;
    n.payload["file"] = f.ToJson();
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return AuditInTx(tx, actor, {"file.upload", "file/" + f.ref.id, actor.unit}, f.uploaded_at,
                     e->seq, e->seq);
  });
  if (!r) return std::unexpected(r.error());
  return f;
}

Result<std::pair<StoredFile, std::string>> Files::ReadOwn(const Actor& actor, std::string_view id) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "file.read_own", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto f = FindFile(store_, id);
  if (!f) return std::unexpected(f.error());
  if (!*f || actor.account.empty() || (*f)->owner != actor.account) {
    return Fail(ErrorCode::kNotFound, "file.not_found", std::string(id.substr(0, 64)));
  }
  auto bytes = blobs_.Get((*f)->ref.sha256);
  if (!bytes) return std::unexpected(bytes.error());
  return std::pair{std::move(**f), std::move(*bytes)};
}

}  // namespace motcua::app
