#include "store/detail/writer.h"

#include <exception>

namespace motcua::store::detail {

namespace {
constexpr size_t kMaxBatch = 512;
}

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<WriterSession> session, int fail_commit_n)
    : session_(std::move(session)), fail_commit_n_(fail_commit_n) {
  thread_ = std::thread([this] { Run(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Result<void> GroupCommitWriter::Submit(const std::function<Result<void>(Tx&)>& fn) {
  Job job{&fn, {}};
  auto fut = job.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Fail(ErrorCode::kUnavailable, "store.unavailable", "writer stopping");
    queue_.push_back(&job);
    pending_.fetch_add(1, std::memory_order_relaxed);
  }
  cv_.notify_one();
  return fut.get();
}

void GroupCommitWriter::Run() {
  for (;;) {
    std::deque<Job*> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void GroupCommitWriter::RunBatch(std::deque<Job*>& batch) {
  std::vector<Result<void>> results;
  results.reserve(batch.size());
  const WriterSession::Head batch_head = session_->head();
  if (auto r = session_->Begin(); !r) {
    for (Job* j : batch) {
      pending_.fetch_sub(1, std::memory_order_relaxed);
      j->done.set_value(std::unexpected(r.error()));
    }
    return;
  }
  for (Job* j : batch) {
    const WriterSession::Head job_head = session_->head();
    if (auto r = session_->Savepoint(); !r) {
      results.push_back(std::unexpected(r.error()));
      continue;
    }
    Result<void> r;
    try {
      r = (*j->fn)(session_->tx());
    } catch (const std::exception& e) {
      r = Fail(ErrorCode::kInternal, "internal",
               std::string("exception in transaction: ") + e.what());
    }
    if (r) {
      if (auto rel = session_->ReleaseSavepoint(); !rel) r = std::unexpected(rel.error());
    }
    if (!r) {
      (void)session_->RollbackToSavepoint();
      session_->set_head(job_head);
    }
    results.push_back(std::move(r));
  }
  ++commits_;
  Result<void> commit;
  if (fail_commit_n_ > 0 && commits_ == fail_commit_n_) {
    commit = Fail(ErrorCode::kUnavailable, "store.unavailable", "injected commit failure");
  } else {
    commit = session_->Commit();
  }
  if (!commit) {
    session_->Rollback();
    session_->set_head(batch_head);
    for (auto& r : results) {
      if (r) r = std::unexpected(commit.error());
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    pending_.fetch_sub(1, std::memory_order_relaxed);
    batch[i]->done.set_value(std::move(results[i]));
  }
}

}  // namespace motcua::store::detail
