// Helpers for the reliability tests (tests/e2e/reliability_e2e_test.cc): the exactly-once check
// over both outputs with its figures, the broker's fault-control endpoint, and tmpfs mounts for
// disk faults. One thread only.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "tests/e2e/e2e_harness.h"

namespace orderflow::e2e {

// What the exactly-once check found in <data_dir>/orders_json and <data_dir>/invalid_events.
struct ExactlyOnceReport {
  uint64_t valid_lines = 0, invalid_lines = 0;
  uint64_t missing = 0;         // expected order_ids absent from the valid output
  uint64_t duplicated = 0;      // repeated valid order_ids + repeated invalid (partition, offset)
  uint64_t unexpected = 0;      // valid order_ids nobody produced
  uint64_t without_reason = 0;  // invalid lines lacking invalid_reason
};

// Reads both outputs and compares them with what was produced; adds a test failure (with the
// counts) unless every expected id is there once and there are exactly `expected_invalid`
// distinct invalid messages, each with a reason.
ExactlyOnceReport CheckExactlyOnce(const std::string& data_dir,
                                   const std::set<std::string>& expected_valid,
                                   uint64_t expected_invalid);

// For each expected valid order_id absent from <fixture_dir>/data/orders_json: where it is in the
// topic (read back with kcat) and which output file's offset range covers that position, so a
// failure tells the cluster losing a message apart from the processor skipping one.
std::string ExplainMissing(const std::string& fixture_dir, const std::string& bootstrap,
                           const std::set<std::string>& expected_valid,
                           const std::string& topic = "orders");

// POSTs `path_and_query` to the control endpoint published in <dir>/data/broker.control.
// Returns the HTTP status (-1 when unreachable).
int ControlPost(const std::string& fixture_dir, const std::string& path_and_query);

// mount -t tmpfs with `options` (e.g. "size=1m", "remount,ro") on `dir` (created). False when
// this machine does not allow it (not root, no CAP_SYS_ADMIN).
bool MountTmpfs(const std::string& dir, const std::string& options);
void Unmount(const std::string& dir);

// Number of partitions listed in the last "[processor] assigned partitions:" line of `log`
// (-1 when there is none).
int LastAssignmentSize(const std::string& log);

}  // namespace orderflow::e2e
