#include "cli/child_process.h"

#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace orderflow::cli {
namespace {

// Set in a spawned child's environment: the parent's pid, for StopWithParent.
constexpr char kParentPidVariable[] = "ORDERFLOW_PARENT_PID";

}  // namespace

Result<ChildProcess> ChildProcess::Spawn(const std::string& name,
                                         const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copies = args;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables = {fmt::format("{}={}", kParentPidVariable, ::getpid())};
  for (char** v = environ; *v != nullptr; ++v) {
    if (std::strncmp(*v, kParentPidVariable, sizeof(kParentPidVariable) - 1) != 0)
      variables.emplace_back(*v);
  }
  std::vector<char*> envp;
  for (std::string& v : variables) envp.push_back(v.data());
  envp.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // a group of its own, led by the child
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, "/proc/self/exe", nullptr, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return Status::IoError(fmt::format("cannot start {}: {}", name, std::strerror(rc)));
  return ChildProcess(name, pid);
}

void ChildProcess::StopWithParent() {
  const char* parent = std::getenv(kParentPidVariable);
  if (parent == nullptr) return;
  const pid_t expected = static_cast<pid_t>(std::strtol(parent, nullptr, 10));
  ::unsetenv(kParentPidVariable);  // not for this process's own children
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  // The parent may have died before the request above: then nothing will send the signal.
  if (::getppid() != expected) ::raise(SIGTERM);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : name_(std::move(other.name_)),
      pid_(other.pid_),
      exited_(other.exited_),
      exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

ChildProcess::~ChildProcess() {
  if (!running()) return;
  Signal(SIGTERM);
  if (Wait(10000) < 0) {
    Signal(SIGKILL);
    Wait();
  }
}

void ChildProcess::Signal(int signal) {
  if (running()) ::kill(pid_, signal);
}

int ChildProcess::Wait(int timeout_ms) {
  if (pid_ <= 0) return -1;
  if (exited_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, timeout_ms < 0 ? 0 : WNOHANG);
    if (r == pid_) {
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (r < 0 && errno != EINTR) return -1;
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace orderflow::cli
