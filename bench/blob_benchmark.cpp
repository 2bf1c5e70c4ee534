// Blob store benchmark (issue #8): for 100 KiB and 2 MiB PDFs, prints uploads per second
//   1. through store::BlobWriter (64 KiB chunks, SHA-256 as it streams, content checks, fsync of
//      the file, rename into root/ab/cd/, fsync of the directory — durable before acknowledged);
//   2. through app::Files::Upload (the same, plus the FileUploaded event, its projection — the
//      file and blob rows — and the audit record, one SQLite commit each);
// beside a baseline run side by side: a plain write + fsync + rename + fsync of the directory of
// the same bytes (the disk's floor for a durable file), and the ratio to it.
// Usage: blob_benchmark [--files N] [--smoke]. Figures are printed, never asserted.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/catalog.h"
#include "app/files.h"
#include "app/lifecycle.h"
#include "store/blobs.h"
#include "store/testing.h"

namespace {

using namespace motcua;
namespace fs = std::filesystem;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : MOTCUA_DEFAULT_SOURCE_DIR) / "data";
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "blob_benchmark: %s\n", what.c_str());
  std::exit(1);
}

// `n` distinct PDFs of `size` bytes (random filler, so that nothing deduplicates).
std::vector<std::string> Pdfs(int n, size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string head = "%PDF-1.4\n% ";
    const std::string tail = "\nstartxref\n0\n%%EOF\n";
    std::string filler(size - head.size() - tail.size(), '\0');
    for (char& c : filler) c = static_cast<char>(rng());
    out.push_back(head + filler + tail);
  }
  return out;
}

void Baseline(const fs::path& dir, const std::string& bytes, int i) {
  const fs::path tmp = dir / ("t" + std::to_string(i));
  const fs::path final_path = dir / ("f" + std::to_string(i));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) Die("open");
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (w <= 0) Die("write");
    off += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) Die("fsync");
  ::close(fd);
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) Die("rename");
  const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d < 0 || ::fsync(d) != 0) Die("fsync dir");
  ::close(d);
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  int n = 200;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) smoke = true;
    if (!std::strcmp(argv[i], "--files") && i + 1 < argc) n = std::atoi(argv[++i]);
  }
  if (smoke) n = 8;
  std::printf("motcua blob store benchmark (%s, %d files per size)\n", smoke ? "smoke" : "full", n);

  const fs::path root =
      fs::temp_directory_path() / ("motcua-blob-bench-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "baseline");

  auto temp = store::testing::TempStore::Create("sqlite");
  if (!temp) Die(temp.error().ToString());
  auto opened = (*temp)->Open({.create = true});
  if (!opened) Die(opened.error().ToString());
  std::unique_ptr<store::Store> db = std::move(*opened);
  FixedClock clock{FromVietnamLocal({2026, 3, 3}, 8 * 60)};
  auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
  if (!from_data || !app::ImportCatalog(*db, **from_data, clock.Now())) Die("catalogue");
  auto catalog = *app::Catalog::Load(*db, DataDir());
  app::Lifecycle lifecycle(*db, catalog, clock);
  app::Actor citizen{app::Actor::Kind::kCitizen, "051095000123", "", {}};
  citizen.account = "acc-an";
  citizen.via = "session";

  std::printf("%-8s %-28s %12s %10s %10s\n", "size", "path", "uploads/s", "MB/s", "vs base");
  uint32_t seed = 1;
  for (size_t size : {size_t{100} << 10, size_t{2} << 20}) {
    const char* label = size < (1 << 20) ? "100 KiB" : "2 MiB";
    const double mb = static_cast<double>(size) / (1 << 20);
    // Baseline: plain durable files.
    auto bytes = Pdfs(n, size, seed++);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
      Baseline(root / "baseline", bytes[static_cast<size_t>(i)],
               i + static_cast<int>(seed) * 100000);
    const double base = n / Seconds(t0);
    std::printf("%-8s %-28s %12.1f %10.1f %10s\n", label, "write+fsync+rename (base)", base,
                base * mb, "1.00");

    // The blob store's streaming writer.
    const store::BlobStore blobs(root / "blobs");
    bytes = Pdfs(n, size, seed++);
    t0 = std::chrono::steady_clock::now();
    for (const std::string& b : bytes) {
      auto w = blobs.Begin();
      if (!w) Die(w.error().ToString());
      for (size_t off = 0; off < b.size(); off += 64 << 10) {
        if (auto r = w->Write(std::string_view(b).substr(off, 64 << 10)); !r)
          Die(r.error().ToString());
      }
      if (auto c = w->Commit("application/pdf"); !c) Die(c.error().ToString());
    }
    const double writer = n / Seconds(t0);
    std::printf("%-8s %-28s %12.1f %10.1f %10.2f\n", label, "BlobWriter (durable)", writer,
                writer * mb, writer / base);

    // The use case: blob + FileUploaded + projection + audit.
    app::Files files(*db, blobs, lifecycle.access(), clock);
    bytes = Pdfs(n, size, seed++);
    t0 = std::chrono::steady_clock::now();
    for (const std::string& b : bytes) {
      auto f = files.Upload(citizen, "ho-so.pdf", "application/pdf", b);
      if (!f) Die(f.error().ToString());
    }
    const double upload = n / Seconds(t0);
    std::printf("%-8s %-28s %12.1f %10.1f %10.2f\n", label, "Files::Upload (+event, SQLite)",
                upload, upload * mb, upload / base);
  }
  fs::remove_all(root);
  return 0;
}
