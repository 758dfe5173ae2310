#include "common/task_pool.h"

namespace orderflow {

TaskPool::TaskPool(size_t threads) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

Status TaskPool::Run(std::span<const std::function<Status()>> tasks) {
  if (tasks.empty()) return Status::Ok();
  std::unique_lock lock(mutex_);
  tasks_ = tasks;
  results_.assign(tasks.size(), Status::Ok());
  next_ = 0;
  finished_ = 0;
  if (tasks.size() > 1) wake_.notify_all();
  Drain(lock);
  done_.wait(lock, [&] { return finished_ == tasks_.size(); });
  tasks_ = {};
  for (Status& s : results_) {
    if (!s.ok()) return std::move(s);
  }
  return Status::Ok();
}

void TaskPool::Drain(std::unique_lock<std::mutex>& lock) {
  while (next_ < tasks_.size()) {
    const size_t i = next_++;
    lock.unlock();
    Status s = tasks_[i]();
    lock.lock();
    results_[i] = std::move(s);
    if (++finished_ == tasks_.size()) done_.notify_all();
  }
}

void TaskPool::Work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || next_ < tasks_.size(); });
    if (stop_) return;
    Drain(lock);
  }
}

}  // namespace orderflow
