// A child process running this same binary with other arguments (the demo's stages). Move-only
// RAII: a child still running when its handle is destroyed gets SIGTERM, then SIGKILL.
// A child runs in a process group of its own, so a terminal's Ctrl-C reaches only the parent,
// which stops its children in the order it chooses (the broker last, after the stages that talk
// to it); and it is sent SIGTERM when the parent dies, however it dies (StopWithParent).
// One thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/status.h"

namespace orderflow::cli {

class ChildProcess {
 public:
  // First thing in main, after the stop handlers are installed: in a process Spawn started,
  // has the kernel send SIGTERM (a clean stop) when the parent dies, and stops at once when it
  // has already died. Does nothing in other processes.
  static void StopWithParent();
  // Starts `/proc/self/exe args...` with inherited stdout/stderr. IoError when it cannot start.
  static Result<ChildProcess> Spawn(const std::string& name, const std::vector<std::string>& args);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Sends `signal` (SIGTERM asks for a clean stop).
  void Signal(int signal);
  // Waits for the exit, up to timeout_ms (-1: forever). Returns the exit code (128+N for a
  // signal), or -1 on timeout.
  int Wait(int timeout_ms = -1);
  bool running() const { return pid_ > 0 && !exited_; }
  const std::string& name() const { return name_; }
  int exit_code() const { return exit_code_; }

 private:
  ChildProcess(std::string name, pid_t pid) : name_(std::move(name)), pid_(pid) {}
  std::string name_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
};

}  // namespace orderflow::cli
