#include "store/blobs.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace motcua::store {

namespace fs = std::filesystem;

namespace {

Error IoError(const std::string& what, int err = errno) {
  return Error{ErrorCode::kInternal, "file.io", what + ": " + std::strerror(err), {}};
}

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

std::string RandomName() {
  std::array<unsigned char, 16> r{};
  if (RAND_bytes(r.data(), static_cast<int>(r.size())) != 1) {
    // Uniqueness, not secrecy: O_EXCL catches a collision anyway.
    for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<unsigned char>(::random());
  }
  return Hex(r.data(), r.size());
}

bool WriteAll(int fd, std::string_view bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(w);
  }
  return true;
}

bool SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// The lock that orders commits (shared) against the collector's removals (exclusive).
class LockFile {
 public:
  LockFile(const fs::path& root, int how) {
    fd_ = ::open((root / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) return;
    while (::flock(fd_, how) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        fd_ = -1;
        return;
      }
    }
  }
  ~LockFile() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

EVP_MD_CTX* Ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

bool IsHex2(std::string_view s) {
  return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// --- BlobWriter --------------------------------------------------------------------------------

BlobWriter::BlobWriter(const BlobStore* store, BlobLimits limits)
    : store_(store), limits_(limits) {}

BlobWriter::BlobWriter(BlobWriter&& o) noexcept
    : store_(o.store_),
      limits_(o.limits_),
      fd_(std::exchange(o.fd_, -1)),
      tmp_(std::move(o.tmp_)),
      hash_(std::exchange(o.hash_, nullptr)),
      head_(std::move(o.head_)),
      tail_(std::move(o.tail_)),
      size_(o.size_),
      failure_(std::move(o.failure_)) {
  o.tmp_.clear();
}

BlobWriter& BlobWriter::operator=(BlobWriter&& o) noexcept {
  if (this != &o) {
    Release();
    store_ = o.store_;
    limits_ = o.limits_;
    fd_ = std::exchange(o.fd_, -1);
    tmp_ = std::move(o.tmp_);
    o.tmp_.clear();
    hash_ = std::exchange(o.hash_, nullptr);
    head_ = std::move(o.head_);
    tail_ = std::move(o.tail_);
    size_ = o.size_;
    failure_ = std::move(o.failure_);
  }
  return *this;
}

BlobWriter::~BlobWriter() { Release(); }

void BlobWriter::Release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  tmp_.clear();
  if (hash_) EVP_MD_CTX_free(Ctx(hash_));
  hash_ = nullptr;
  head_.clear();
  head_.shrink_to_fit();
  tail_.clear();
  tail_.shrink_to_fit();
}

void BlobWriter::Abort() { Release(); }

Result<void> BlobWriter::Write(std::string_view chunk) {
  if (failure_) return std::unexpected(*failure_);
  if (fd_ < 0) return Fail(ErrorCode::kInternal, "file.io", "writer closed");
  if (static_cast<int64_t>(chunk.size()) > limits_.max_bytes - size_) {
    Error e{ErrorCode::kResourceExhausted,
            "file.too_large",
            "over " + std::to_string(limits_.max_bytes) + " bytes",
            {}};
    e.With("limit_mb", std::to_string(limits_.max_bytes >> 20));
    failure_ = e;
    Release();
    return std::unexpected(e);
  }
  if (!WriteAll(fd_, chunk)) {
    failure_ = IoError("write");
    Release();
    return std::unexpected(*failure_);
  }
  EVP_DigestUpdate(Ctx(hash_), chunk.data(), chunk.size());
  if (head_.size() < kHeadBytes) {
    head_.append(chunk.substr(0, kHeadBytes - head_.size()));
  }
  if (chunk.size() >= kTailBytes) {
    tail_.assign(chunk.substr(chunk.size() - kTailBytes));
  } else {
    tail_.append(chunk);
    if (tail_.size() > 2 * kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
  }
  size_ += static_cast<int64_t>(chunk.size());
  return {};
}

Result<BlobInfo> BlobWriter::Commit(std::string_view declared) { return Finish(declared); }
Result<BlobInfo> BlobWriter::CommitUnchecked() { return Finish(std::nullopt); }

Result<BlobInfo> BlobWriter::Finish(std::optional<std::string_view> declared) {
  if (failure_) return std::unexpected(*failure_);
  if (fd_ < 0) return Fail(ErrorCode::kInternal, "file.io", "writer closed");
  BlobInfo info;
  info.size = size_;
  if (declared) {
    const std::string_view tail =
        std::string_view(tail_).substr(tail_.size() > kTailBytes ? tail_.size() - kTailBytes : 0);
    auto type = CheckContent(*declared, head_, tail, size_, limits_.content);
    if (!type) {
      Release();
      return std::unexpected(type.error());
    }
    info.content_type = std::string(*type);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(Ctx(hash_), md.data(), &md_len);
  info.sha256 = Hex(md.data(), md_len);
  if (::fsync(fd_) != 0) {
    Error e = IoError("fsync");
    Release();
    return std::unexpected(e);
  }
  ::close(fd_);
  fd_ = -1;

  const fs::path root = store_->root();
  LockFile lock(root, LOCK_SH);
  if (!lock.ok()) {
    Error e = IoError("lock");
    Release();
    return std::unexpected(e);
  }
  const fs::path final_path = store_->PathOf(info.sha256);
  const fs::path legacy = store_->LegacyPathOf(info.sha256);
  for (const fs::path& existing : {final_path, legacy}) {
    // Stored already: keep that copy, and make it young again so that the collector, which
    // excludes us through the lock, will not take it before our caller's record commits.
    if (::utimensat(AT_FDCWD, existing.c_str(), nullptr, 0) == 0) {
      info.existed = true;
      Release();
      return info;
    }
  }
  const fs::path leaf = final_path.parent_path();
  const fs::path mid = leaf.parent_path();
  std::error_code ec;
  const bool new_mid = !fs::exists(mid, ec);
  const bool new_leaf = new_mid || !fs::exists(leaf, ec);
  if (new_leaf) {
    fs::create_directories(leaf, ec);
    if (ec) {
      Release();
      return Fail(ErrorCode::kInternal, "file.io", "mkdir: " + ec.message());
    }
  }
  if (::rename(tmp_.c_str(), final_path.c_str()) != 0) {
    Error e = IoError("rename");
    Release();
    return std::unexpected(e);
  }
  tmp_.clear();
  // The new name is durable once its directory is (and a new directory once its parent is).
  bool synced = SyncDir(leaf);
  if (new_leaf) synced = synced && SyncDir(mid);
  if (new_mid) synced = synced && SyncDir(root);
  Release();
  if (!synced) return Fail(IoError("fsync dir"));
  return info;
}

// --- BlobStore ---------------------------------------------------------------------------------

fs::path BlobStore::PathOf(std::string_view h) const {
  return root_ / std::string(h.substr(0, 2)) / std::string(h.substr(2, 2)) / std::string(h);
}

fs::path BlobStore::LegacyPathOf(std::string_view h) const {
  return root_ / std::string(h.substr(0, 2)) / std::string(h);
}

Result<BlobWriter> BlobStore::Begin(BlobLimits limits) const {
  std::error_code ec;
  fs::create_directories(TempDir(), ec);
  if (ec) return Fail(ErrorCode::kInternal, "file.io", "mkdir tmp: " + ec.message());
  BlobWriter w(this, limits);
  for (int attempt = 0; attempt < 3 && w.fd_ < 0; ++attempt) {
    w.tmp_ = TempDir() / (RandomName() + ".tmp");
    w.fd_ = ::open(w.tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  }
  if (w.fd_ < 0) {
    Error e = IoError("open " + w.tmp_.filename().string());
    w.tmp_.clear();
    return std::unexpected(e);
  }
  w.hash_ = EVP_MD_CTX_new();
  if (!w.hash_ || EVP_DigestInit_ex(Ctx(w.hash_), EVP_sha256(), nullptr) != 1) {
    return Fail(ErrorCode::kInternal, "file.io", "sha256 init");
  }
  w.head_.reserve(std::min<size_t>(kHeadBytes, 64 << 10));
  return w;
}

Result<BlobInfo> BlobStore::Put(std::string_view bytes) const {
  auto w = Begin(BlobLimits{INT64_MAX, {}});
  if (!w) return std::unexpected(w.error());
  // Written in pieces so that the head/tail bookkeeping stays small.
  constexpr size_t kPiece = 1 << 20;
  for (size_t off = 0; off < bytes.size(); off += kPiece) {
    if (auto r = w->Write(bytes.substr(off, kPiece)); !r) return std::unexpected(r.error());
  }
  return w->CommitUnchecked();
}

Result<BlobReader> BlobStore::OpenRead(std::string_view h, bool verify) const {
  if (!IsSha256Hex(h))
    return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h.substr(0, 64)));
  BlobReader r;
  struct stat st {};
  r.path = PathOf(h);
  if (::stat(r.path.c_str(), &st) != 0) {
    r.path = LegacyPathOf(h);
    if (::stat(r.path.c_str(), &st) != 0) {
      return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h));
    }
  }
  r.size = static_cast<int64_t>(st.st_size);
  if (!verify) return r;
  const int fd = ::open(r.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::array<char, 64 << 10> buf{};
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx, md.data(), &md_len);
  EVP_MD_CTX_free(ctx);
  if (!ok || Hex(md.data(), md_len) != h) {
    return Fail(ErrorCode::kDataLoss, "file.corrupt", std::string(h));
  }
  return r;
}

Result<std::string> BlobStore::Get(std::string_view h) const {
  auto r = OpenRead(h, false);
  if (!r) return std::unexpected(r.error());
  const int fd = ::open(r->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kDataLoss, "file.missing", std::string(h));
  std::string out;
  out.resize(static_cast<size_t>(r->size));
  size_t off = 0;
  while (off < out.size()) {
    const ssize_t n = ::read(fd, out.data() + off, out.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(off);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  EVP_Digest(out.data(), out.size(), md.data(), &md_len, EVP_sha256(), nullptr);
  if (Hex(md.data(), md_len) != h)
    return Fail(ErrorCode::kDataLoss, "file.corrupt", std::string(h));
  return out;
}

bool BlobStore::Exists(std::string_view h) const {
  if (!IsSha256Hex(h)) return false;
  std::error_code ec;
  return fs::is_regular_file(PathOf(h), ec) || fs::is_regular_file(LegacyPathOf(h), ec);
}

Result<GcReport> BlobStore::CollectGarbage(
    const std::function<Result<bool>(std::string_view)>& referenced,
    const GcOptions& options) const {
  GcReport report;
  const auto now = options.now.value_or(fs::file_time_type::clock::now());
  auto old_enough = [&](const fs::path& p, int64_t* size) {
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    if (ec) return false;  // gone, or unreadable: leave it
    if (size) *size = static_cast<int64_t>(fs::file_size(p, ec));
    return now - t >= options.min_age;
  };
  std::error_code ec;
  if (!fs::exists(root_, ec)) return report;

  // Stale temporary files: uploads that never committed (a crash, a refused body).
  if (fs::is_directory(TempDir(), ec)) {
    for (const auto& entry : fs::directory_iterator(TempDir(), ec)) {
      int64_t size = 0;
      if (!entry.is_regular_file(ec) || !old_enough(entry.path(), &size)) continue;
      if (!options.dry_run) fs::remove(entry.path(), ec);
      ++report.temp_removed;
      report.temp_bytes += size;
    }
  }

  auto consider = [&](const fs::path& p) -> Result<void> {
    const std::string sha = p.filename().string();
    ++report.scanned;
    if (!old_enough(p, nullptr)) {
      ++report.fresh;
      return {};
    }
    auto ref = referenced(sha);
    if (!ref) return std::unexpected(ref.error());
    if (*ref) {
      ++report.referenced;
      return {};
    }
    // Under the exclusive lock, look again: a commit of the same bytes refreshes the file's time
    // under the shared lock, and its record may have committed since the first question.
    LockFile lock(root_, LOCK_EX);
    if (!lock.ok()) return Fail(IoError("lock"));
    int64_t size = 0;
    if (!old_enough(p, &size)) {
      ++report.fresh;
      return {};
    }
    auto again = referenced(sha);
    if (!again) return std::unexpected(again.error());
    if (*again) {
      ++report.referenced;
      return {};
    }
    if (!options.dry_run && ::unlink(p.c_str()) != 0 && errno != ENOENT) {
      return Fail(IoError("unlink " + sha));
    }
    ++report.removed;
    report.removed_bytes += size;
    return {};
  };

  for (const auto& top : fs::directory_iterator(root_, ec)) {
    const std::string a = top.path().filename().string();
    if (!IsHex2(a) || !top.is_directory(ec)) {
      if (a != "tmp" && a != ".lock") ++report.foreign;
      continue;
    }
    for (const auto& mid : fs::directory_iterator(top.path(), ec)) {
      const std::string b = mid.path().filename().string();
      if (IsHex2(b) && mid.is_directory(ec)) {
        for (const auto& leaf : fs::directory_iterator(mid.path(), ec)) {
          const std::string name = leaf.path().filename().string();
          if (!IsSha256Hex(name) || name.substr(0, 2) != a || name.substr(2, 2) != b ||
              !leaf.is_regular_file(ec)) {
            ++report.foreign;
            continue;
          }
          if (auto r = consider(leaf.path()); !r) return std::unexpected(r.error());
        }
      } else if (IsSha256Hex(b) && b.substr(0, 2) == a && mid.is_regular_file(ec)) {
        if (auto r = consider(mid.path()); !r) return std::unexpected(r.error());  // older layout
      } else {
        ++report.foreign;
      }
    }
  }
  return report;
}

}  // namespace motcua::store
