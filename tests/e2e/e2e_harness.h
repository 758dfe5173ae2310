// Helpers for end-to-end tests that run the real `orderflow` binary against the embedded
// cluster: a per-test working directory with its own broker, command runners with captured
// output, and readers of the output files. One thread only.
#pragma once

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace orderflow::e2e {

// Runs a command line (through /bin/sh) in `dir`, stdout+stderr to `log_path`. Returns the
// exit code, or -1 when it ran longer than timeout_s (it is killed).
int RunShell(const std::string& dir, const std::string& command, const std::string& log_path,
             int timeout_s);

// Starts `orderflow args...` in `dir` in the background; stdout+stderr go to `log_path`. With
// `own_process_group` it leads a new process group (its pid is the group's id), as a shell
// starts a job: a terminal's Ctrl-C is then kill(-pid, SIGINT).
pid_t StartOrderflow(const std::string& dir, const std::vector<std::string>& args,
                     const std::string& log_path, bool own_process_group = false);
// Waits for a background process; returns its exit code (128+signal), -1 on timeout.
int WaitFor(pid_t pid, int timeout_s);

std::string ReadFileOrEmpty(const std::string& path);

// One parsed line of the outputs.
struct OutputLine {
  std::string order_id;        // valid: order_id; invalid: order_id when it parsed, else ""
  std::string invalid_reason;  // invalid only
  int64_t partition = -1, offset = -1;  // invalid only
};

// Every line of every output file under `dir`: *.json, *.json.gz, *.json.zst, in partition
// folders too (parsed with simdjson; a line that does not parse, or a file that does not
// decode, fails the calling test through ADD_FAILURE).
std::vector<OutputLine> ReadOutputLines(const std::string& dir);

// Messages a processor has committed under `data_dir` (its output is durable; with rolled files
// not yet all visible): the sum of the partitions' snapshot `next=` offsets over every topic
// (topics whose offsets start at 0). Snapshots are rewritten in place, so a read may catch one
// mid-write: such a snapshot fails its CRC and is read again.
uint64_t CommittedMessages(const std::string& data_dir);

// A temporary working directory with a running `orderflow broker` (data dir "data").
class BrokerFixture {
 public:
  explicit BrokerFixture(int partitions = 6);
  ~BrokerFixture();
  BrokerFixture(const BrokerFixture&) = delete;
  BrokerFixture& operator=(const BrokerFixture&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& bootstrap() const { return bootstrap_; }
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  // Runs `orderflow args` to completion; fails the test when the exit code differs.
  std::string Orderflow(const std::string& args, int expected_exit = 0, int timeout_s = 120);

 private:
  std::string dir_;
  std::string bootstrap_;
  pid_t broker_ = -1;
};

std::string OrderflowBinary();

// The order_ids `orderflow produce --seed S --profile uniform` sends (the generator is seeded, so
// the first `count` events of a run are known in advance).
std::set<std::string> ExpectedOrderIds(uint64_t seed, uint64_t count);

}  // namespace orderflow::e2e
