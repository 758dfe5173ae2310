#include "stream/processor_test_orders.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "common/data_layout.h"
#include "common/output_file_reader.h"
#include "event/event_encoder.h"
#include "event/generator.h"
#include "kafka/producer.h"

namespace orderflow::stream {

TestOrders ProduceTestOrders(const kafka::KafkaSettings& settings, const std::string& topic,
                             uint64_t seed, int count) {
  TestOrders orders;
  auto producer = kafka::Producer::Create(settings, topic, {{"linger.ms", "1"}});
  if (!producer.ok()) {
    ADD_FAILURE() << producer.status().message();
    return orders;
  }
  event::EventGenerator generator(seed, event::Profile::kUniform, 1764000000000, 0);
  event::OrderEvent order;
  for (int i = 0; i < count; ++i) {
    generator.Next(1764000000000 + i, order);
    std::string id(order.OrderId()), json;
    if (i % 10 == 0) {
      id = "bad-" + std::to_string(i);
      json = R"({"order_id":")" + id + R"(","quantity":"many"})";
      orders.invalid_ids.insert(id);
    } else {
      event::EncodeEvent(order, json);
      orders.valid_ids.insert(id);
    }
    const Status sent = producer->Produce(id, json, [] { return true; });
    EXPECT_TRUE(sent.ok()) << sent.message();
    orders.ids.push_back(std::move(id));
    orders.payloads.push_back(std::move(json));
  }
  const Status flushed = producer->Flush(10000);
  EXPECT_TRUE(flushed.ok()) << flushed.message();
  EXPECT_EQ(producer->stats().sent_ok, static_cast<uint64_t>(count));
  return orders;
}

std::map<std::string, int> LinesById(const std::string& dir, std::optional<bool> want_reason) {
  std::map<std::string, int> ids;
  simdjson::dom::parser parser;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !data_layout::IsOutputFileName(name)) continue;
    auto text = ReadOutputFile(entry.path().string());
    EXPECT_TRUE(text.ok()) << name << ": " << text.status().message();
    if (!text.ok()) continue;
    simdjson::padded_string content(*text);
    simdjson::dom::document_stream lines;
    EXPECT_FALSE(parser.parse_many(content).get(lines)) << name;
    for (auto line : lines) {
      std::string_view id, reason;
      EXPECT_FALSE(line["order_id"].get(id)) << name;
      if (want_reason) {
        EXPECT_EQ(!line["invalid_reason"].get(reason), *want_reason) << name;
      }
      ++ids[std::string(id)];
    }
  }
  return ids;
}

void ExpectEveryOrderOnce(const std::string& data_dir, const TestOrders& orders) {
  std::set<std::string> seen_valid, seen_invalid;
  for (const auto& [id, count] : LinesById(data_layout::ValidDir(data_dir), false)) {
    EXPECT_EQ(count, 1) << id << " duplicated in the valid output";
    seen_valid.insert(id);
  }
  for (const auto& [id, count] : LinesById(data_layout::InvalidDir(data_dir), true)) {
    EXPECT_EQ(count, 1) << id << " duplicated in the invalid output";
    seen_invalid.insert(id);
  }
  EXPECT_EQ(seen_valid, orders.valid_ids);
  EXPECT_EQ(seen_invalid, orders.invalid_ids);
}

std::string NewTempDir(const std::string& what) {
  std::string name = "/tmp/orderflow-" + what + "-XXXXXX";
  if (mkdtemp(name.data()) == nullptr) {
    ADD_FAILURE() << "cannot create " << name;
    return "";
  }
  return name;
}

ProcessorOptions TestProcessorOptions(const kafka::KafkaSettings& settings,
                                      const std::string& data_dir) {
  ProcessorOptions options;
  options.kafka = settings;
  options.kafka.properties = {{"session.timeout.ms", "4000"}, {"heartbeat.interval.ms", "300"}};
  options.data_dir = data_dir;
  options.start_from_earliest = true;
  options.until_idle_seconds = 1;
  options.assignment_timeout_seconds = 30;
  options.report_every_seconds = 0;
  return options;
}

}  // namespace orderflow::stream
