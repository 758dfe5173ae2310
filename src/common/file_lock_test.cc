#include "common/file_lock.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace orderflow {
namespace {

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orderflow-lock-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(FileLockTest, ASecondLockIsRefusedWithTheHoldersDescriptionUntilTheFirstGoes) {
  const std::string path = dir_ + "/partition-1.lock";
  auto first = FileLock::TryLock(path, "process 42 on here");
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = FileLock::TryLock(path, "process 43");
  ASSERT_TRUE(second.status().IsAlreadyExists());
  EXPECT_EQ(second.status().message(), "process 42 on here");
  first->Unlock();
  auto third = FileLock::TryLock(path, "process 43");
  ASSERT_TRUE(third.ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "process 43");
}

TEST_F(FileLockTest, ALockDiesWithItsProcessKillNineIncluded) {
  const std::string path = dir_ + "/log";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = FileLock::TryLock(path, "child");
    const char held = lock.ok() ? 'y' : 'n';
    (void)!write(ready[1], &held, 1);
    pause();  // until killed
    _exit(0);
  }
  char held = 0;
  ASSERT_EQ(read(ready[0], &held, 1), 1);
  EXPECT_EQ(held, 'y');
  EXPECT_TRUE(FileLock::TryLock(path).status().IsAlreadyExists());
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(FileLock::TryLock(path).ok());
  close(ready[0]);
  close(ready[1]);
}

TEST_F(FileLockTest, MovingALockKeepsItHeld) {
  const std::string path = dir_ + "/x.lock";
  FileLock moved;
  {
    auto lock = FileLock::TryLock(path);
    ASSERT_TRUE(lock.ok());
    moved = std::move(lock).value();
  }
  EXPECT_TRUE(moved.held());
  EXPECT_TRUE(FileLock::TryLock(path).status().IsAlreadyExists());
}

}  // namespace
}  // namespace orderflow
