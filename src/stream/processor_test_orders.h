// What the processor's integration tests (crash, rolled-file crash, migration) share: a topic
// filled with known orders, every tenth one invalid but with an order_id, so that both outputs
// can be checked by id; and a reader of the outputs' lines by order_id. One thread only; a
// failure fails the calling test (gtest's ADD_FAILURE), it is never returned.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/kafka_settings.h"
#include "stream/processor.h"

namespace orderflow::stream {

struct TestOrders {
  std::vector<std::string> ids;       // in the order sent: the offsets on a 1-partition topic
  std::vector<std::string> payloads;  // the message values, in the same order
  std::set<std::string> valid_ids, invalid_ids;
};

// Sends `count` messages to `topic` and waits for every acknowledgement: message i is
// `{"order_id":"bad-<i>","quantity":"many"}` when i % 10 == 0, else the next event of
// EventGenerator(seed, uniform). The key is the order_id.
TestOrders ProduceTestOrders(const kafka::KafkaSettings& settings, const std::string& topic,
                             uint64_t seed, int count);

// Every line of the published output files under `dir` (partition folders and compressed files
// included, temporaries left out), counted by order_id. With `want_reason`, a line must have an
// `invalid_reason` exactly when *want_reason is true.
std::map<std::string, int> LinesById(const std::string& dir,
                                     std::optional<bool> want_reason = std::nullopt);

// Every order of `orders` is in exactly one output of `data_dir` exactly once: the valid ones in
// the valid output, the invalid ones (with an invalid_reason) in the invalid output.
void ExpectEveryOrderOnce(const std::string& data_dir, const TestOrders& orders);

// A new empty directory /tmp/orderflow-<what>-XXXXXX ("" when it cannot be made: the test fails).
std::string NewTempDir(const std::string& what);

// A processor of these tests on the cluster at `settings`: a short session (the embedded cluster
// delays a join by about the session timeout), from the earliest offset, --until-idle 1, no
// progress lines. The trigger and the rest are the caller's.
ProcessorOptions TestProcessorOptions(const kafka::KafkaSettings& settings,
                                      const std::string& data_dir);

}  // namespace orderflow::stream
