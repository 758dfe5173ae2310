#include "common/task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace orderflow {
namespace {

TEST(TaskPoolTest, RunsEveryTaskAtOnceAndReturnsTheFirstFailureInOrder) {
  TaskPool pool(3);
  std::atomic<int> running{0}, most{0}, done{0};
  std::vector<std::function<Status()>> tasks;
  for (int i = 0; i < 4; ++i) {
    tasks.emplace_back([&, i] {
      const int now = ++running;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      --running;
      ++done;
      return i == 1 || i == 3 ? Status::IoError("task " + std::to_string(i)) : Status::Ok();
    });
  }
  const Status s = pool.Run(tasks);
  EXPECT_EQ(done.load(), 4);
  EXPECT_EQ(s.message(), "task 1");
  EXPECT_GE(most.load(), 2) << "the tasks ran one after the other";
  // Again, with no failure.
  tasks.resize(1);
  tasks[0] = [] { return Status::Ok(); };
  EXPECT_TRUE(pool.Run(tasks).ok());
}

TEST(TaskPoolTest, WithoutHelpersTheCallerRunsEverything) {
  TaskPool pool(0);
  int calls = 0;
  std::vector<std::function<Status()>> tasks(3, [&] {
    ++calls;
    return Status::Ok();
  });
  EXPECT_TRUE(pool.Run(tasks).ok());
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace orderflow
