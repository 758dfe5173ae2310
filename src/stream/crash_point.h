// TEST-ONLY crash injection for the crash-torture tests (tests/e2e/crash_torture_e2e_test.cc).
// When the environment variable ORDERFLOW_CRASH_POINT is `<name>:<n>`, the n-th time the
// processor passes the point `<name>` the process ends at once with _exit(kCrashExitCode) and
// no cleanup, as a kill -9 at that instant would leave it. Unset (always, outside tests) a
// point costs one predictable branch. Points, once per micro-batch (stream/batch_writer.cc):
//   after_intent   the batch's lines are written to its files, nothing is synced or committed
//                  (the name is the previous format's, whose first step was a write-ahead intent)
//   mid_publish    committed; the valid files to publish renamed, the invalid ones not yet
//   after_publish  every file to publish renamed, the renames not yet durable
//   after_commit   the batch is written (the Kafka group's offsets are not yet committed)
// Safe for concurrent use.
#pragma once

#include <string_view>

namespace orderflow::stream {

inline constexpr int kCrashExitCode = 86;

// Ends the process when this is the configured point and its configured hit.
void CrashPoint(std::string_view name);

}  // namespace orderflow::stream
