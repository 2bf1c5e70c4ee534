// Counter digitisation (số hoá thành phần hồ sơ tại bộ phận một cửa, issue #8): every uploaded
// PDF, PNG or JPEG waits in the catalogue's durable backlog (ocr_pending/<file id>, projected from
// FileUploaded) until a background worker has OCR'd it in Vietnamese and recorded, in one write
// transaction, FileRecognised (metadata only) plus the private text row (store::TextRow kind
// "ocr": the text, its fold for search, the pages and the fields read), or FileRecognitionFailed
// for a file that cannot be read. Requests never wait for OCR: uploads only add the row.
// Memory stays bounded whatever the backlog: a feeder pages through the backlog by key and hands
// at most `queue_capacity` jobs (a file id each; the bytes are read by the worker) to the workers.
// Thread-safety: Digitiser is thread-safe; Start/Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "ocr/fields.h"
#include "ocr/ocr.h"
#include "store/store.h"

namespace motcua::app {

// The private text kind (store::TextRow) and the catalogue kinds of the pipeline.
inline constexpr std::string_view kOcrTextKind = "ocr";
inline constexpr std::string_view kOcrPendingKind = "ocr_pending";

// One worker's OCR engine (ocr::Engine by default; tests inject their own). Not thread-safe:
// each worker owns one.
class Recogniser {
 public:
  virtual ~Recogniser() = default;
  // Errors as ocr::Engine::Recognize: ocr.* kInvalidArgument (the file cannot be read: permanent)
  // or ocr.engine_unavailable kUnavailable (retried later).
  virtual Result<ocr::OcrResult> Recognize(std::string_view bytes) = 0;
};
using RecogniserFactory = std::function<Result<std::unique_ptr<Recogniser>>()>;
// Engines over tesseract with `options`.
RecogniserFactory TesseractRecognisers(ocr::OcrOptions options);

// The bytes of an uploaded file (app::Files::Bytes, or the blob store): kDataLoss/kNotFound when
// they are gone (permanent), anything else is retried.
using BytesSource = std::function<Result<std::string>(const domain::FileRef&)>;

struct DigitiserOptions {
  int workers = 1;         // threads, one engine each (>= 1)
  int queue_capacity = 0;  // jobs held in memory at most; 0 = 2 × workers
  // The feeder looks for new backlog rows this often when it has nothing to do (Notify wakes it
  // at once).
  std::chrono::milliseconds poll_interval{1000};
  // After a transient failure (engine unavailable, store busy) the feeder pauses, doubling from
  // retry_initial up to retry_max; a success resets it.
  std::chrono::milliseconds retry_initial{2000};
  std::chrono::milliseconds retry_max{300'000};
};

// What the pipeline is doing, for /metrics, tests and the benchmark.
struct DigitiserStats {
  int64_t queued = 0;      // jobs in the in-memory queue now
  int64_t max_queued = 0;  // its high-water mark since Start
  int64_t running = 0;     // jobs a worker is recognising now
  int64_t capacity = 0;
  int64_t recognised = 0;  // FileRecognised recorded since Start
  int64_t failed = 0;      // FileRecognitionFailed recorded since Start
  int64_t retries = 0;     // transient failures (job left in the backlog)
  int64_t pages = 0;       // pages recognised since Start
};

class Digitiser {
 public:
  Digitiser(store::Store& store, BytesSource bytes, RecogniserFactory recognisers,
            const Clock& clock, DigitiserOptions options = {});
  ~Digitiser();  // Stop()
  Digitiser(const Digitiser&) = delete;
  Digitiser& operator=(const Digitiser&) = delete;

  // Creates one recogniser per worker (before any thread starts, so a missing model is reported
  // here: ocr.engine_unavailable) and starts the feeder and the workers.
  Result<void> Start();
  // Stops feeding, lets each worker finish the job in hand, joins every thread. Jobs still
  // queued stay in the durable backlog for the next start. Idempotent.
  void Stop();
  // A new upload: the feeder looks at the backlog now instead of at its next poll. Never blocks.
  void Notify();

  DigitiserStats Stats() const;
  // Rows in the durable backlog (a paged count of ocr_pending).
  Result<int64_t> CountPending() const;
  // The backlog count, recounted at most every `max_age` (a cheap gauge for /metrics).
  int64_t PendingGauge(std::chrono::seconds max_age = std::chrono::seconds(5)) const;
  // Waits until the backlog is empty and nothing is queued or running; false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  struct Job {
    std::string file;
  };
  enum class Outcome { kRecognised, kFailed, kSkipped, kRetry };
  void FeedLoop();
  void WorkLoop(Recogniser* recogniser);
  Outcome Process(Recogniser& recogniser, const Job& job);
  Outcome RecordFailure(const std::string& file, const std::string& sha256, const std::string& unit,
                        const Error& error);

  // Constant after construction.
  store::Store& store_;
  const BytesSource bytes_;
  const RecogniserFactory factory_;
  const Clock& clock_;
  const DigitiserOptions options_;
  const size_t capacity_;

  mutable std::mutex mu_;
  std::condition_variable feed_cv_;  // the feeder waits for room, a notify or its poll
  std::condition_variable work_cv_;  // workers wait for jobs
  bool started_ = false;             // guarded by mu_
  bool stop_ = false;                // guarded by mu_
  bool notified_ = false;            // guarded by mu_
  std::deque<Job> queue_;            // guarded by mu_
  std::set<std::string> in_hand_;    // queued or running ids, guarded by mu_
  std::string cursor_;               // the feeder's last key, guarded by mu_
  std::chrono::steady_clock::time_point pause_until_{};         // guarded by mu_
  std::chrono::milliseconds backoff_{0};                        // guarded by mu_
  DigitiserStats stats_;                                        // guarded by mu_
  mutable int64_t pending_cache_ = 0;                           // guarded by mu_
  mutable std::chrono::steady_clock::time_point pending_at_{};  // guarded by mu_

  std::vector<std::unique_ptr<Recogniser>> recognisers_;
  std::vector<std::thread> threads_;
};

// The private record of one file's OCR (store::TextRow kind "ocr", key the file id), as kept:
// the pages' text and confidence, the fields read, and the officer's confirmed fields.
struct OcrPageText {
  int page = 1;
  std::string text;
  int confidence = 0;
};
struct OcrFieldValue {
  std::string value;  // empty: not found
  double confidence = 0;
};
struct ConfirmedFields {
  std::string kind;
  std::vector<std::pair<std::string, std::string>> fields;  // name → value, in request order
  std::string by;                                           // actor reference
  Timestamp at;
};
struct OcrRecord {
  std::string file;
  std::string owner;
  std::vector<OcrPageText> pages;
  double mean_confidence = 0;
  std::string kind = "unknown";
  std::vector<std::pair<std::string, OcrFieldValue>> fields;  // id_number, full_name, …
  std::optional<ConfirmedFields> confirmed;
  bool recognised = false;  // pages and fields are an OCR result (not only a confirmation)
  store::TextRow ToRow() const;
  static Result<OcrRecord> FromRow(const store::TextRow& row);
};

// The names of the extracted fields, in the order the API lists them.
std::vector<std::pair<std::string, OcrFieldValue>> FieldsOf(const ocr::ExtractedFields& f);

}  // namespace motcua::app
