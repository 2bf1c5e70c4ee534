// Group commit for the single writer of a store (both backends). Callers on any thread submit a
// transaction function and block; one writer thread runs queued functions inside one database
// transaction, each under its own savepoint, then commits once (one fsync for the whole group)
// and wakes the callers. Thread-safety: Submit and Pending are thread-safe; the Session is touched
// only by the writer thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "store/store.h"

namespace motcua::store::detail {

// The backend side of the writer: one connection's transaction verbs and its Tx. All calls come
// from the writer thread.
class WriterSession {
 public:
  virtual ~WriterSession() = default;
  virtual Result<void> Begin() = 0;
  virtual Result<void> Savepoint() = 0;
  virtual Result<void> ReleaseSavepoint() = 0;
  virtual Result<void> RollbackToSavepoint() = 0;
  virtual Result<void> Commit() = 0;
  virtual void Rollback() = 0;
  virtual Tx& tx() = 0;
  // In-memory chain head (last seq and hash) — saved before each job, restored on its rollback.
  struct Head {
    int64_t seq = 0;
    std::string hash;
  };
  virtual Head head() const = 0;
  virtual void set_head(Head h) = 0;
};

class GroupCommitWriter {
 public:
  GroupCommitWriter(std::unique_ptr<WriterSession> session, int fail_commit_n);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  Result<void> Submit(const std::function<Result<void>(Tx&)>& fn);

  // Transactions submitted and not yet answered: queued, or in the batch being run or committed.
  // A relaxed read of a counter, never blocking (a gauge for /metrics).
  int64_t Pending() const { return pending_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    const std::function<Result<void>(Tx&)>* fn;
    std::promise<Result<void>> done;
  };
  void Run();
  void RunBatch(std::deque<Job*>& batch);

  // Constant after construction.
  std::unique_ptr<WriterSession> session_;  // writer thread only
  const int fail_commit_n_;
  int commits_ = 0;  // writer thread only
  // Incremented under mu_ when a job is queued, decremented just before its answer is set.
  std::atomic<int64_t> pending_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  std::thread thread_;
};

}  // namespace motcua::store::detail
