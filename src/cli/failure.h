// How a command fails, in one place: one line on stderr ("orderflow COMMAND: message") and the
// exit code the contract gives the failure (Status::ExitCode: 2 for bad usage or configuration,
// 1 for a runtime failure). Every command reports through it instead of printing and picking a
// code by hand. Safe for concurrent use (one fprintf per line).
#pragma once

#include <string_view>

#include "common/status.h"

namespace orderflow::cli {

// Prints `status` for `command` and returns its exit code. REQUIRES: !status.ok().
int ReportFailure(std::string_view command, const Status& status);

// For a command that carries on after a failure (the demo waiting for its other children):
// reports each one and keeps the highest exit code.
class FailureTally {
 public:
  explicit FailureTally(std::string_view command) : command_(command) {}
  void Report(const Status& status);
  int exit_code() const { return exit_code_; }
  bool failed() const { return exit_code_ != 0; }

 private:
  std::string_view command_;
  int exit_code_ = 0;
};

}  // namespace orderflow::cli
