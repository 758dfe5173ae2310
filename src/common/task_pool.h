// A few threads kept for blocking work that is faster done at once than in turn: the file syncs
// of a micro-batch. N fdatasyncs issued together share the file system's journal commits and
// cost about one; starting N threads per batch to issue them would cost more than the syncs.
// Run may be called by one thread at a time; the pool is not for nested use.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "common/status.h"

namespace orderflow {

class TaskPool {
 public:
  // `threads` helpers (0: Run does everything on the calling thread).
  explicit TaskPool(size_t threads);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Runs every task, on the helpers and on the calling thread, and returns when all are done:
  // OK, or the failure of the first task (in order) that failed.
  Status Run(std::span<const std::function<Status()>> tasks);

 private:
  void Work();
  // Takes and runs tasks of the current Run until none is left.
  void Drain(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::span<const std::function<Status()>> tasks_;
  std::vector<Status> results_;
  size_t next_ = 0, finished_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace orderflow
