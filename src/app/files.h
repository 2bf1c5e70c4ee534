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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "base/error.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "store/blobs.h"
#include "store/store.h"

namespace motcua::app {

inline constexpr int64_t kMaxFileBytes = store::kMaxFileBytes;  // 10 MiB per file

// The types a component may be filed as (checked against the bytes by store::CheckContent).
bool IsAllowedFileType(std::string_view content_type);

// The content-addressed blob directory (store/blobs.h); the name is kept for the use cases.
using BlobStore = store::BlobStore;

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
  Files(store::Store& store, const BlobStore& blobs, const Access& access, const Clock& clock,
        store::BlobLimits limits = {})
      : store_(store), blobs_(blobs), access_(access), clock_(clock), limits_(limits) {}

  // A staged upload for the transport to stream the body into (HTTP does so as it arrives, so
  // no whole file is held in memory); Upload(…, staged) then checks and commits it. The writer
  // refuses once limits.max_bytes is passed. Error file.io.
  Result<store::BlobWriter> BeginUpload() const { return blobs_.Begin(limits_); }
  // Checked as "file.upload", then the name, then the staged bytes (store::CheckContent).
  // Errors: file.bad_name (400: empty, or a path — "/", "\\", "..", control characters — rather
  // than a name), file.empty (400), file.too_large (413), file.bad_type / file.executable /
  // file.archive / file.active_content (415), file.truncated / file.malformed (400),
  // file.too_many_pixels (413), file.io. On any error `staged` is aborted: nothing is stored.
  Result<StoredFile> Upload(const Actor& actor, std::string_view name,
                            std::string_view content_type, store::BlobWriter& staged);
  // The same for bytes in memory (the permission is checked before anything is written).
  Result<StoredFile> Upload(const Actor& actor, std::string_view name,
                            std::string_view content_type, std::string_view bytes);
  // The uploader's own file: record and bytes. Error file.not_found otherwise.
  Result<std::pair<StoredFile, std::string>> ReadOwn(const Actor& actor, std::string_view id);
  // The same, for streaming: the record and the blob's file (its digest verified first).
  Result<std::pair<StoredFile, store::BlobReader>> OpenOwn(const Actor& actor, std::string_view id);
  // The bytes of a file that the caller has already shown it may read (through its dossier).
  Result<std::string> Bytes(const domain::FileRef& ref) const { return blobs_.Get(ref.sha256); }
  Result<store::BlobReader> Open(const domain::FileRef& ref) const {
    return blobs_.OpenRead(ref.sha256);
  }
  // Called after each upload's FileUploaded has committed, on the uploader's thread (motcua
  // serve wakes the OCR worker queue: Digitiser::Notify). Must not block. Set before the first
  // Upload; not thread-safe to change while serving.
  void SetOnUpload(std::function<void()> hook) { on_upload_ = std::move(hook); }

 private:
  store::Store& store_;
  const BlobStore& blobs_;
  const Access& access_;
  const Clock& clock_;
  const store::BlobLimits limits_;
  std::function<void()> on_upload_;  // set before serving
};

}  // namespace motcua::app
