// Uploaded files (the components of a dossier): the bytes in a content-addressed directory
// (BlobStore), the record of each upload in the event log (FileUploaded on stream file/<id>,
// projected to the catalogue kind "file"). An upload is durable before it is acknowledged: the
// bytes are written, fsynced and renamed into place before the event commits, so a committed
// record never points at missing bytes (a crash in between leaves at most an unreferenced blob).
// Who reads a file: the account that uploaded it, and, once it is part of a dossier, whoever may
// read that dossier (the HTTP layer checks the dossier, then asks for the bytes).
// Thread-safety: thread-safe (the store serialises writes; a blob is written under a unique
// temporary name and renamed atomically).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "store/store.h"

namespace motcua::app {

inline constexpr int64_t kMaxFileBytes = 10 << 20;  // 10 MiB per file

// The types a component may be filed as, checked by their first bytes too.
bool IsAllowedFileType(std::string_view content_type);
// True when `bytes` start like `content_type` says (%PDF-, PNG signature, JPEG SOI marker).
bool SniffMatches(std::string_view content_type, std::string_view bytes);

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  // Stores bytes under their SHA-256 (hex) durably; storing the same bytes again is a no-op.
  // Error file.io (kInternal).
  Result<void> Put(std::string_view sha256_hex, std::string_view bytes) const;
  // Error file.missing (kDataLoss) when the blob is not there.
  Result<std::string> Get(std::string_view sha256_hex) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path PathOf(std::string_view sha256_hex) const;
  std::filesystem::path root_;
};

struct StoredFile {
  domain::FileRef ref;
  std::string owner;  // account id of the uploader
  Timestamp uploaded_at;
  boost::json::object ToJson() const;
  static Result<StoredFile> FromJson(const boost::json::object& o);
};

// The record of an uploaded file, or nullopt.
Result<std::optional<StoredFile>> FindFile(store::Store& store, std::string_view id);

// Replaces the file ids in each component (FileRef with only `id` set) by the stored records.
// Every file must have been uploaded by the acting account. Errors: file.not_found (kNotFound,
// also for another account's file), file.duplicate (the same file twice in one component).
Result<void> ResolveFiles(store::Store& store, const Actor& actor,
                          std::vector<domain::ComponentRecord>& components);

class Files {
 public:
  Files(store::Store& store, const BlobStore& blobs, const Access& access, const Clock& clock)
      : store_(store), blobs_(blobs), access_(access), clock_(clock) {}

  // Checked as "file.upload". Errors: file.empty (400), file.too_large (413), file.bad_type
  // (415: not PDF/JPEG/PNG, or the bytes are not what the type says), file.bad_name.
  Result<StoredFile> Upload(const Actor& actor, std::string_view name,
                            std::string_view content_type, std::string_view bytes);
  // The uploader's own file: record and bytes. Error file.not_found otherwise.
  Result<std::pair<StoredFile, std::string>> ReadOwn(const Actor& actor, std::string_view id);
  // The bytes of a file that the caller has already shown it may read (through its dossier).
  Result<std::string> Bytes(const domain::FileRef& ref) const { return blobs_.Get(ref.sha256); }

 private:
  store::Store& store_;
  const BlobStore& blobs_;
  const Access& access_;
  const Clock& clock_;
};

}  // namespace motcua::app
