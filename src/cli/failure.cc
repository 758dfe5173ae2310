#include "cli/failure.h"

#include <algorithm>
#include <cstdio>

namespace orderflow::cli {

int ReportFailure(std::string_view command, const Status& status) {
  std::fprintf(stderr, "orderflow %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return status.ExitCode();
}

void FailureTally::Report(const Status& status) {
  exit_code_ = std::max(exit_code_, ReportFailure(command_, status));
}

}  // namespace orderflow::cli
