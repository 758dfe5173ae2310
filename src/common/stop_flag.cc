#include "common/stop_flag.h"

#include <atomic>
#include <csignal>

namespace orderflow {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "signal handlers need a lock-free flag");

extern "C" void OnStopSignal(int) { g_stop.store(true, std::memory_order_relaxed); }

}  // namespace

void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout pipe is an error to report, not a death
}

bool StopRequested() { return g_stop.load(std::memory_order_relaxed); }

void RequestStop() { g_stop.store(true, std::memory_order_relaxed); }

}  // namespace orderflow
