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

namespace {

// A file name as shown to people, or "" when it is not a plain name: a path ("../../etc/passwd",
// "..\\x.pdf", "/etc/passwd"), "." or "..", or a name with control characters (NUL, newlines)
// is refused rather than reduced, so that no caller ever mistakes it for a place on disk. At
// most 200 bytes are kept (cut at a UTF-8 character boundary).
std::string CleanName(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return {};
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7f) return {};
  }
  std::string out(name);
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace

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
                                 std::string_view content_type, store::BlobWriter& staged) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "file.upload", target); !allowed) {
    staged.Abort();
    return std::unexpected(allowed.error());
  }
  StoredFile f;
  f.ref.name = CleanName(name);
  if (f.ref.name.empty()) {
    staged.Abort();
    return Fail(ErrorCode::kInvalidArgument, "file.bad_name");
  }
  if (staged.failure()) return std::unexpected(*staged.failure());
  if (staged.size() == 0) {
    staged.Abort();
    return Fail(ErrorCode::kInvalidArgument, "file.empty");
  }
  // The bytes first, checked and durable: a committed record must never point at bytes that are
  // not on disk (a crash after this leaves at most an unreferenced blob for the collector).
  auto blob = staged.Commit(content_type);
  if (!blob) return std::unexpected(blob.error());
  f.ref.id = "f" + secure::RandomToken(12);
  f.ref.content_type = blob->content_type;
  f.ref.size = blob->size;
  f.ref.sha256 = blob->sha256;
  f.owner = actor.account;
  f.uploaded_at = clock_.Now();
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
  if (on_upload_) on_upload_();
  return f;
}

Result<StoredFile> Files::Upload(const Actor& actor, std::string_view name,
                                 std::string_view content_type, std::string_view bytes) {
  // Nothing reaches the disk for a caller without the right.
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "file.upload", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto staged = BeginUpload();
  if (!staged) return std::unexpected(staged.error());
  (void)staged->Write(bytes);  // a refusal is kept in the writer and reported by Upload
  return Upload(actor, name, content_type, *staged);
}

Result<std::pair<StoredFile, store::BlobReader>> Files::OpenOwn(const Actor& actor,
                                                                std::string_view id) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = access_.Check(actor, "file.read_own", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto f = FindFile(store_, id);
  if (!f) return std::unexpected(f.error());
  if (!*f || actor.account.empty() || (*f)->owner != actor.account) {
    return Fail(ErrorCode::kNotFound, "file.not_found", std::string(id.substr(0, 64)));
  }
  auto reader = blobs_.OpenRead((*f)->ref.sha256);
  if (!reader) return std::unexpected(reader.error());
  return std::pair{std::move(**f), std::move(*reader)};
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
