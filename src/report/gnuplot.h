// Runs gnuplot (gnuplot-nox, found on PATH) on a script file and waits for it. The script is
// expected to write its own outputs. Safe for concurrent use (each call is its own process).
#pragma once

#include <string>

#include "common/status.h"

namespace orderflow::report {

// Runs `gnuplot <script_path>` with stdout and stderr sent to `log_path`. IoError when gnuplot
// cannot be started (with a hint to install gnuplot-nox) or exits non-zero (with the last
// lines of its log).
Status RunGnuplot(const std::string& script_path, const std::string& log_path);

}  // namespace orderflow::report
