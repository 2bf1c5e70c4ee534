#include "app/digitise.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "app/files.h"
#include "app/projection.h"
#include "base/json.h"

namespace motcua::app {

namespace bj = boost::json;

namespace {

class TesseractRecogniser final : public Recogniser {
 public:
  explicit TesseractRecogniser(ocr::Engine engine) : engine_(std::move(engine)) {}
  Result<ocr::OcrResult> Recognize(std::string_view bytes) override {
    return engine_.Recognize(bytes);
  }

 private:
  ocr::Engine engine_;
};

// The separator between pages in TextRow::text (one byte: the pages' lengths locate them).
constexpr char kPageSeparator = '\n';

bool Permanent(const Error& e) {
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kDataLoss ||
         e.code == ErrorCode::kNotFound || e.code == ErrorCode::kFailedPrecondition ||
         e.code == ErrorCode::kResourceExhausted;
}

}  // namespace

RecogniserFactory TesseractRecognisers(ocr::OcrOptions options) {
  return [options]() -> Result<std::unique_ptr<Recogniser>> {
    auto engine = ocr::Engine::Create(options);
    if (!engine) return std::unexpected(engine.error());
    return std::unique_ptr<Recogniser>(std::make_unique<TesseractRecogniser>(std::move(*engine)));
  };
}

std::vector<std::pair<std::string, OcrFieldValue>> FieldsOf(const ocr::ExtractedFields& f) {
  auto v = [](const ocr::Field& x) {
    return x.found ? OcrFieldValue{x.value, x.confidence} : OcrFieldValue{};
  };
  return {{"id_number", v(f.id_number)},
          {"full_name", v(f.full_name)},
          {"date_of_birth", v(f.date_of_birth)},
          {"sex", v(f.sex)},
          {"nationality", v(f.nationality)},
          {"place_of_origin", v(f.place_of_origin)},
          {"place_of_residence", v(f.place_of_residence)}};
}

store::TextRow OcrRecord::ToRow() const {
  store::TextRow row;
  row.kind = std::string(kOcrTextKind);
  row.key = file;
  row.owner = owner;
  bj::array pages_json;
  for (const OcrPageText& p : pages) {
    if (&p != &pages.front()) row.text += kPageSeparator;
    row.text += p.text;
    pages_json.push_back(bj::object{{"page", p.page},
                                    {"confidence", p.confidence},
                                    {"bytes", static_cast<int64_t>(p.text.size())}});
  }
  row.folded = ocr::FoldVietnamese(row.text);
  bj::object fields_json;
  for (const auto& [name, f] : fields) {
    fields_json[name] = bj::object{{"value", f.value}, {"confidence", f.confidence}};
  }
  bj::object doc{{"recognised", recognised},
                 {"pages", std::move(pages_json)},
                 {"mean_confidence", mean_confidence},
                 {"kind", kind},
                 {"fields", std::move(fields_json)}};
  if (confirmed) {
    bj::object values;
    bj::array order;
    for (const auto& [name, value] : confirmed->fields) {
      values[name] = value;
      order.push_back(bj::string(name));
    }
    doc["confirmed"] = bj::object{{"kind", confirmed->kind},
                                  {"fields", std::move(values)},
                                  {"order", std::move(order)},
                                  {"by", confirmed->by},
                                  {"at", confirmed->at.us}};
  }
  row.doc = bj::serialize(doc);
  return row;
}

Result<OcrRecord> OcrRecord::FromRow(const store::TextRow& row) {
  auto parsed = json::Parse(row.doc);
  if (!parsed || !parsed->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", "ocr");
  const bj::object& doc = parsed->get_object();
  OcrRecord r;
  r.file = row.key;
  r.owner = row.owner;
  r.recognised = doc.contains("recognised") && doc.at("recognised").is_bool() &&
                 doc.at("recognised").get_bool();
  r.kind = json::OptString(doc, "kind").value_or("unknown");
  if (auto it = doc.find("mean_confidence"); it != doc.end() && it->value().is_number()) {
    r.mean_confidence = it->value().to_number<double>();
  }
  size_t offset = 0;
  if (auto it = doc.find("pages"); it != doc.end() && it->value().is_array()) {
    for (const auto& pv : it->value().get_array()) {
      if (!pv.is_object()) continue;
      const bj::object& p = pv.get_object();
      OcrPageText page;
      page.page = static_cast<int>(json::Int(p, "page").value_or(1));
      page.confidence = static_cast<int>(json::Int(p, "confidence").value_or(0));
      const auto bytes =
          static_cast<size_t>(std::max<int64_t>(0, json::Int(p, "bytes").value_or(0)));
      if (offset > row.text.size() || bytes > row.text.size() - offset) {
        return Fail(ErrorCode::kDataLoss, "store.corrupt", "ocr pages");
      }
      page.text = row.text.substr(offset, bytes);
      offset += bytes + 1;
      r.pages.push_back(std::move(page));
    }
  }
  if (auto it = doc.find("fields"); it != doc.end() && it->value().is_object()) {
    for (const auto& [name, fv] : it->value().get_object()) {
      if (!fv.is_object()) continue;
      OcrFieldValue f;
      f.value = json::OptString(fv.get_object(), "value").value_or("");
      if (auto c = fv.get_object().find("confidence");
          c != fv.get_object().end() && c->value().is_number()) {
        f.confidence = c->value().to_number<double>();
      }
      r.fields.emplace_back(std::string(name), std::move(f));
    }
  }
  if (auto it = doc.find("confirmed"); it != doc.end() && it->value().is_object()) {
    const bj::object& c = it->value().get_object();
    ConfirmedFields cf;
    cf.kind = json::OptString(c, "kind").value_or("");
    cf.by = json::OptString(c, "by").value_or("");
    cf.at = Timestamp{json::Int(c, "at").value_or(0)};
    const bj::object* values =
        c.contains("fields") && c.at("fields").is_object() ? &c.at("fields").get_object() : nullptr;
    if (values && c.contains("order") && c.at("order").is_array()) {
      for (const auto& n : c.at("order").get_array()) {
        if (!n.is_string()) continue;
        const std::string name(n.get_string());
        cf.fields.emplace_back(name, json::OptString(*values, name).value_or(""));
      }
    }
    r.confirmed = std::move(cf);
  }
  return r;
}

Digitiser::Digitiser(store::Store& store, BytesSource bytes, RecogniserFactory recognisers,
                     const Clock& clock, DigitiserOptions options)
    : store_(store),
      bytes_(std::move(bytes)),
      factory_(std::move(recognisers)),
      clock_(clock),
      options_(options),
      capacity_(static_cast<size_t>(
          options.queue_capacity > 0 ? options.queue_capacity : 2 * std::max(1, options.workers))) {
  stats_.capacity = static_cast<int64_t>(capacity_);
}

Digitiser::~Digitiser() { Stop(); }

Result<void> Digitiser::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return {};
  }
  std::vector<std::unique_ptr<Recogniser>> made;
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    auto r = factory_();
    if (!r) return std::unexpected(r.error());
    made.push_back(std::move(*r));
  }
  std::lock_guard lock(mu_);
  started_ = true;
  stop_ = false;
  recognisers_ = std::move(made);
  for (auto& r : recognisers_) threads_.emplace_back([this, p = r.get()] { WorkLoop(p); });
  threads_.emplace_back([this] { FeedLoop(); });
  return {};
}

void Digitiser::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    stop_ = true;
    threads = std::move(threads_);
    threads_.clear();
  }
  feed_cv_.notify_all();
  work_cv_.notify_all();
  for (std::thread& t : threads) t.join();
  std::lock_guard lock(mu_);
  // Queued jobs are dropped: their rows are still in the durable backlog.
  for (const Job& j : queue_) in_hand_.erase(j.file);
  queue_.clear();
  stats_.queued = 0;
  recognisers_.clear();
  started_ = false;
}

void Digitiser::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  feed_cv_.notify_all();
}

DigitiserStats Digitiser::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Result<int64_t> Digitiser::CountPending() const {
  int64_t n = 0;
  std::string after;
  for (;;) {
    auto page = store_.ListCatalogPage(kOcrPendingKind, "", after, 10'000);
    if (!page) return std::unexpected(page.error());
    n += static_cast<int64_t>(page->size());
    if (page->size() < 10'000) return n;
    after = page->back().key;
  }
}

int64_t Digitiser::PendingGauge(std::chrono::seconds max_age) const {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (pending_at_ != std::chrono::steady_clock::time_point{} && now - pending_at_ < max_age) {
      return pending_cache_;
    }
  }
  auto n = CountPending();
  std::lock_guard lock(mu_);
  if (n) {
    pending_cache_ = *n;
    pending_at_ = now;
  }
  return pending_cache_;
}

bool Digitiser::WaitIdle(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool busy;
    {
      std::lock_guard lock(mu_);
      busy = !in_hand_.empty();
    }
    if (!busy) {
      auto n = CountPending();
      if (n && *n == 0) {
        std::lock_guard lock(mu_);
        if (in_hand_.empty()) return true;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Digitiser::FeedLoop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    // Room in the queue, and not paused after a transient failure.
    if (queue_.size() >= capacity_) {
      feed_cv_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
      continue;
    }
    if (std::chrono::steady_clock::now() < pause_until_) {
      feed_cv_.wait_until(lock, pause_until_, [&] { return stop_; });
      continue;
    }
    const int room = static_cast<int>(capacity_ - queue_.size());
    // The read runs under the lock so that a job finishing meanwhile cannot be handed out again
    // (its worker removes it from in_hand_ only after its commit). It is one short keyset page.
    auto page = store_.ListCatalogPage(kOcrPendingKind, "", cursor_, room);
    if (!page) {
      backoff_ = std::min(options_.retry_max, std::max(options_.retry_initial, backoff_ * 2));
      pause_until_ = std::chrono::steady_clock::now() + backoff_;
      ++stats_.retries;
      continue;
    }
    for (const store::CatalogRow& row : *page) {
      cursor_ = row.key;
      if (in_hand_.contains(row.key)) continue;
      in_hand_.insert(row.key);
      queue_.push_back(Job{row.key});
    }
    stats_.queued = static_cast<int64_t>(queue_.size());
    stats_.max_queued = std::max(stats_.max_queued, stats_.queued);
    if (!page->empty()) work_cv_.notify_all();
    if (static_cast<int>(page->size()) < room) {
      // The end of the backlog: start again from the first key at the next look.
      cursor_.clear();
      if (!notified_) {
        feed_cv_.wait_for(lock, options_.poll_interval, [&] { return stop_ || notified_; });
      }
      notified_ = false;
    }
  }
}

void Digitiser::WorkLoop(Recogniser* recogniser) {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    stats_.queued = static_cast<int64_t>(queue_.size());
    ++stats_.running;
    feed_cv_.notify_all();
    lock.unlock();
    const Outcome outcome = Process(*recogniser, job);
    lock.lock();
    --stats_.running;
    in_hand_.erase(job.file);
    if (outcome == Outcome::kRetry) {
      ++stats_.retries;
      backoff_ = std::min(options_.retry_max, std::max(options_.retry_initial, backoff_ * 2));
      pause_until_ = std::chrono::steady_clock::now() + backoff_;
    } else {
      backoff_ = std::chrono::milliseconds(0);
      if (outcome == Outcome::kRecognised) ++stats_.recognised;
      if (outcome == Outcome::kFailed) ++stats_.failed;
    }
    feed_cv_.notify_all();
  }
}

Digitiser::Outcome Digitiser::RecordFailure(const std::string& file, const std::string& sha256,
                                            const std::string& unit, const Error& error) {
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto pending = tx.GetCatalog(kOcrPendingKind, file);
    if (!pending) return std::unexpected(pending.error());
    if (!*pending) return {};
    NewEvent n;
    n.stream = "file/" + file;
    n.type = "FileRecognitionFailed";
    n.unit = unit;
    n.actor = "system";
    n.at = clock_.Now();
    // The stable code only: the detail may name paths or tool output (for the log).
    n.payload =
        bj::object{{"file", file}, {"sha256", sha256}, {"error", bj::object{{"code", error.key}}}};
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    return Project(tx, *e, false);
  });
  return r ? Outcome::kFailed : Outcome::kRetry;
}

Digitiser::Outcome Digitiser::Process(Recogniser& recogniser, const Job& job) {
  auto f = FindFile(store_, job.file);
  if (!f) return Outcome::kRetry;
  auto stream = store_.ReadStream("file/" + job.file);
  if (!stream) return Outcome::kRetry;
  const std::string unit = stream->empty() ? "" : stream->front().unit;
  if (!*f) {
    // A backlog row without its file record cannot come from the projector; drop it with a
    // failure so that the backlog drains (and verify shows the oddity).
    return RecordFailure(job.file, "", unit,
                         Error{ErrorCode::kNotFound, "file.not_found", job.file, {}});
  }
  const StoredFile& file = **f;
  auto bytes = bytes_(file.ref);
  if (!bytes) {
    if (Permanent(bytes.error()))
      return RecordFailure(job.file, file.ref.sha256, unit, bytes.error());
    return Outcome::kRetry;
  }
  auto result = recogniser.Recognize(*bytes);
  if (!result) {
    if (Permanent(result.error())) {
      return RecordFailure(job.file, file.ref.sha256, unit, result.error());
    }
    return Outcome::kRetry;
  }
  OcrRecord rec;
  rec.file = job.file;
  rec.owner = file.owner;
  rec.recognised = true;
  rec.mean_confidence = result->mean_confidence;
  for (const ocr::OcrPage& p : result->pages) rec.pages.push_back({p.number, p.text, p.confidence});
  std::string all;
  for (const OcrPageText& p : rec.pages) {
    if (!all.empty()) all += '\n';
    all += p.text;
  }
  const ocr::ExtractedFields extracted = ocr::ExtractFields(all);
  rec.kind = extracted.kind;
  rec.fields = FieldsOf(extracted);

  bool already = false;  // recorded meanwhile (a second feeder pass): nothing to write
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    already = false;
    auto pending = tx.GetCatalog(kOcrPendingKind, job.file);
    if (!pending) return std::unexpected(pending.error());
    if (!*pending) {
      already = true;
      return {};
    }
    // An officer may have confirmed the fields before the text was read: keep that.
    auto existing = tx.GetText(kOcrTextKind, job.file);
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      auto old = OcrRecord::FromRow(**existing);
      if (old) rec.confirmed = old->confirmed;
    }
    const store::TextRow row = rec.ToRow();
    bj::object fields;
    for (const auto& [name, v] : rec.fields) {
      fields[name] = bj::object{{"found", !v.value.empty()}, {"confidence", v.confidence}};
    }
    NewEvent n;
    n.stream = "file/" + job.file;
    n.type = "FileRecognised";
    n.unit = unit;
    n.actor = "system";
    n.at = clock_.Now();
    n.payload = bj::object{{"file", job.file},
                           {"sha256", file.ref.sha256},
                           {"pages", static_cast<int64_t>(rec.pages.size())},
                           {"mean_confidence", rec.mean_confidence},
                           {"kind", rec.kind},
                           {"fields", std::move(fields)},
                           {"text_length", static_cast<int64_t>(row.text.size())},
                           {"engine", "tesseract/vie"}};
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    return tx.PutText(row);
  });
  if (!r) return Outcome::kRetry;
  if (already) return Outcome::kSkipped;
  std::lock_guard lock(mu_);
  stats_.pages += static_cast<int64_t>(rec.pages.size());
  return Outcome::kRecognised;
}

}  // namespace motcua::app
