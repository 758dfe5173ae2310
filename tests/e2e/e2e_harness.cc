#include "tests/e2e/e2e_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/data_layout.h"
#include "common/output_file_reader.h"
#include "event/generator.h"
#include "stream/checkpoint_format.h"

extern char** environ;

namespace orderflow::e2e {

std::string OrderflowBinary() { return ORDERFLOW_BINARY; }

std::set<std::string> ExpectedOrderIds(uint64_t seed, uint64_t count) {
  event::EventGenerator generator(seed, event::Profile::kUniform, 1764000000000, 0);
  event::OrderEvent e;
  std::set<std::string> ids;
  for (uint64_t i = 0; i < count; ++i) {
    generator.Next(0, e);
    ids.emplace(e.OrderId());
  }
  return ids;
}

pid_t StartOrderflow(const std::string& dir, const std::vector<std::string>& args,
                     const std::string& log_path, bool own_process_group) {
  std::string command = "cd '" + dir + "' && exec '" + OrderflowBinary() + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " >>'" + log_path + "' 2>&1";
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_process_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  pid_t pid = -1;
  if (posix_spawn(&pid, "/bin/sh", nullptr, &attributes, const_cast<char**>(argv), environ) != 0)
    pid = -1;
  posix_spawnattr_destroy(&attributes);
  return pid;
}

int WaitFor(pid_t pid, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int RunShell(const std::string& dir, const std::string& command, const std::string& log_path,
             int timeout_s) {
  const std::string full = "cd '" + dir + "' && (" + command + ") >>'" + log_path + "' 2>&1";
  const char* argv[] = {"/bin/sh", "-c", full.c_str(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    return -1;
  return WaitFor(pid, timeout_s);
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t CommittedMessages(const std::string& data_dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(data_dir + "/_checkpoints", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("partition-", 0) != 0 || name.find('.') != std::string::npos) continue;
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto checkpoint = stream::DecodeCheckpoint(ReadFileOrEmpty(it->path().string()));
      if (checkpoint.ok()) {
        total += static_cast<uint64_t>(checkpoint->next_offset);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return total;
}

std::vector<OutputLine> ReadOutputLines(const std::string& dir) {
  std::vector<OutputLine> lines;
  if (!std::filesystem::exists(dir)) return lines;
  simdjson::dom::parser parser;
  // Partition folders (name=value/) included; compressed files decoded.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !data_layout::IsOutputFileName(name)) continue;
    auto decoded = ReadOutputFile(entry.path().string());
    if (!decoded.ok()) {
      ADD_FAILURE() << decoded.status().message();
      continue;
    }
    std::istringstream content(*decoded);
    std::string text;
    while (std::getline(content, text)) {
      simdjson::dom::element doc;
      if (parser.parse(text).get(doc)) {
        ADD_FAILURE() << name << ": unparsable line: " << text.substr(0, 200);
        continue;
      }
      OutputLine line;
      std::string_view s;
      if (!doc["order_id"].get(s)) line.order_id = s;
      if (!doc["invalid_reason"].get(s)) line.invalid_reason = s;
      int64_t v;
      if (!doc["kafka_partition"].get(v)) line.partition = v;
      if (!doc["kafka_offset"].get(v)) line.offset = v;
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

BrokerFixture::BrokerFixture(int partitions) {
  char tmpl[] = "/tmp/orderflow-e2e-XXXXXX";
  dir_ = mkdtemp(tmpl);
  broker_ = StartOrderflow(dir_, {"broker", "--partitions", std::to_string(partitions)},
                           Path("broker.log"));
  for (int i = 0; i < 200 && bootstrap_.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    bootstrap_ = ReadFileOrEmpty(Path("data/broker.bootstrap"));
  }
  while (!bootstrap_.empty() && bootstrap_.back() == '\n') bootstrap_.pop_back();
  EXPECT_FALSE(bootstrap_.empty()) << ReadFileOrEmpty(Path("broker.log"));
}

BrokerFixture::~BrokerFixture() {
  if (broker_ > 0) {
    kill(broker_, SIGTERM);
    WaitFor(broker_, 20);
  }
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
}

std::string BrokerFixture::Orderflow(const std::string& args, int expected_exit, int timeout_s) {
  const std::string log = Path("command.log");
  std::filesystem::remove(log);
  const int code = RunShell(dir_, "'" + OrderflowBinary() + "' " + args, log, timeout_s);
  const std::string output = ReadFileOrEmpty(log);
  EXPECT_EQ(code, expected_exit) << "orderflow " << args << "\n" << output;
  return output;
}

}  // namespace orderflow::e2e
