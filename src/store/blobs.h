// The blob store: the bytes of uploaded files and generated PDFs, content-addressed by SHA-256
// (hex) under a root directory, deduplicated, durable before acknowledged (docs/impl/blobs.md).
// Layout: root/ab/cd/<sha256> (two levels of 256 directories: ~15 files per leaf at a million
// blobs); the older root/ab/<sha256> is still read. A writer streams into root/tmp/ (same
// filesystem), hashing as it goes and keeping only the first and last bytes for the content
// checks (blob_content.h), refuses as soon as the size limit is passed, and on commit fsyncs the
// file, renames it into place and fsyncs the directory. Records of blobs live in the database
// (catalogue rows blob/<sha256>, app/projection.cpp); CollectGarbage removes the files no row
// references.
// Thread-safety: BlobStore is immutable after construction and thread-safe; a BlobWriter is used
// by one thread at a time. Commits and the collector exclude each other through a lock file
// (flock on root/.lock), so a blob being re-committed is never collected under it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "store/blob_content.h"

namespace motcua::store {

struct BlobLimits {
  int64_t max_bytes = kMaxFileBytes;
  ContentLimits content;
};

struct BlobInfo {
  std::string sha256;  // lower-case hex
  int64_t size = 0;
  std::string content_type;  // detected (checked commits), else ""
  bool existed = false;      // the same bytes were already stored (deduplicated)
};

// A committed blob on disk, for streaming it out (the file is immutable while referenced).
struct BlobReader {
  std::filesystem::path path;
  int64_t size = 0;
};

class BlobStore;

// An upload in progress: a temporary file under root/tmp/. Abort() or the destructor removes it.
class BlobWriter {
 public:
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&& other) noexcept;
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;
  ~BlobWriter();

  // Appends bytes. Errors: file.too_large (kResourceExhausted) once the total passes
  // limits.max_bytes — the temporary file is removed at once and every later call fails the
  // same way; file.io (kInternal). After an error the writer holds nothing.
  [[nodiscard]] Result<void> Write(std::string_view chunk);
  // Checks the content against the declared type (CheckContent's errors), then makes the blob
  // durable under its digest. On any error the temporary file is removed.
  [[nodiscard]] Result<BlobInfo> Commit(std::string_view declared_content_type);
  // As Commit, without content checks: bytes the platform produced itself (signed PDFs).
  [[nodiscard]] Result<BlobInfo> CommitUnchecked();
  // Removes the temporary file; idempotent.
  void Abort();

  int64_t size() const { return size_; }
  // The first error Write returned, if any (the upload is then refused whatever comes next).
  const std::optional<Error>& failure() const { return failure_; }

 private:
  friend class BlobStore;
  BlobWriter(const BlobStore* store, BlobLimits limits);
  Result<BlobInfo> Finish(std::optional<std::string_view> declared);
  void Release();

  const BlobStore* store_ = nullptr;
  BlobLimits limits_;
  int fd_ = -1;
  std::filesystem::path tmp_;
  void* hash_ = nullptr;  // EVP_MD_CTX*, kept out of the header
  std::string head_;      // the first kHeadBytes
  std::string tail_;      // at least the last kTailBytes (trimmed lazily)
  int64_t size_ = 0;
  std::optional<Error> failure_;
};

struct GcOptions {
  // Blobs and temporary files younger than this are kept whether or not referenced: an upload
  // renamed into place whose record is not yet committed must not be lost.
  std::chrono::seconds min_age{std::chrono::hours(24)};
  bool dry_run = false;
  // "Now" for the age test (injected; default: the system clock at the call).
  std::optional<std::filesystem::file_time_type> now;
};

struct GcReport {
  int64_t scanned = 0;     // blob files seen
  int64_t referenced = 0;  // kept: referenced
  int64_t fresh = 0;       // kept: unreferenced but younger than min_age
  int64_t removed = 0;     // unreferenced and old: removed (or, dry run, would be)
  int64_t removed_bytes = 0;
  int64_t temp_removed = 0;  // stale temporary files
  int64_t temp_bytes = 0;
  int64_t foreign = 0;  // files that are not blobs (left alone)
};

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  // A writer for one upload. Error file.io (kInternal) when the temporary file cannot be made.
  [[nodiscard]] Result<BlobWriter> Begin(BlobLimits limits = {}) const;
  // Stores trusted bytes (no content checks, no size limit) durably; storing the same bytes again
  // is a no-op. Error file.io.
  [[nodiscard]] Result<BlobInfo> Put(std::string_view bytes) const;
  // The blob's file and size, for streaming. With `verify`, the file is hashed first (streaming,
  // constant memory). Errors: file.missing (kDataLoss), file.corrupt (kDataLoss, verify only).
  [[nodiscard]] Result<BlobReader> OpenRead(std::string_view sha256_hex, bool verify = true) const;
  // The whole blob, its digest verified (small documents). Errors: file.missing, file.corrupt.
  [[nodiscard]] Result<std::string> Get(std::string_view sha256_hex) const;
  bool Exists(std::string_view sha256_hex) const;

  // Removes every blob file for which `referenced` answers false and that is older than
  // min_age, and temporary files older than min_age. `referenced` is asked only about files old
  // enough; an error from it stops the collection (nothing more is removed) and is returned.
  // Never removes a blob for which `referenced` answered true.
  [[nodiscard]] Result<GcReport> CollectGarbage(
      const std::function<Result<bool>(std::string_view sha256_hex)>& referenced,
      const GcOptions& options = {}) const;

  const std::filesystem::path& root() const { return root_; }
  // Where a blob lives (the current layout) and where the older layout kept it.
  std::filesystem::path PathOf(std::string_view sha256_hex) const;
  std::filesystem::path LegacyPathOf(std::string_view sha256_hex) const;
  std::filesystem::path TempDir() const { return root_ / "tmp"; }

 private:
  friend class BlobWriter;
  std::filesystem::path root_;
};

// True for 64 lower-case hex digits.
bool IsSha256Hex(std::string_view s);

}  // namespace motcua::store
