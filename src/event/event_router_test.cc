#include "event/event_router.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "event/event_encoder.h"
#include "event/generator.h"

namespace orderflow::event {
namespace {

std::string Event(InvalidMode mode = InvalidMode::kNone, uint64_t variant = 0) {
  EventGenerator g(3, Profile::kUniform, 1764000000000, 0);
  OrderEvent e;
  g.Next(1764000000000, e);
  std::string json;
  EncodeEvent(e, json, mode, variant);
  return json;
}

simdjson::dom::element ParseLine(simdjson::dom::parser& parser, const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per event";
  return parser.parse(line);
}

TEST(EventRouterTest, ValidEventIsWrittenAsItIs) {
  EventRouter router;
  std::string valid, invalid;
  const std::string json = Event();
  const RouteResult r = router.Route(json, 2, 7, valid, invalid);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.event_time_ms, 1764000000000);
  EXPECT_EQ(valid, json + "\n");
  EXPECT_TRUE(invalid.empty());
}

TEST(EventRouterTest, PrettyPrintedValidEventBecomesOneLineWithOnlyContractFields) {
  EventRouter router;
  std::string valid, invalid;
  std::string json = Event();
  json.insert(1, "\n  \"extra\": {\"x\": [1, 2]},\n  ");
  ASSERT_TRUE(router.Route(json, 0, 0, valid, invalid).valid);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseLine(parser, valid);
  EXPECT_EQ(doc.get_object().size(), 19u);
  EXPECT_EQ(std::string(valid.substr(0, valid.size() - 1)), Event());
}

TEST(EventRouterTest, InvalidEventKeepsParsedFieldsAndKafkaCoordinates) {
  EventRouter router;
  std::string valid, invalid;
  const std::string json = Event(InvalidMode::kMissingQuantity);
  const RouteResult r = router.Route(json, 4, 99, valid, invalid);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.reason, "missing_quantity");
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseLine(parser, invalid);
  EXPECT_EQ(std::string_view(doc["invalid_reason"]), "missing_quantity");
  EXPECT_EQ(std::string_view(doc["invalid_mode"]), "missing_quantity");
  EXPECT_EQ(std::string_view(doc["json_str"]), json);
  EXPECT_EQ(int64_t(doc["kafka_partition"]), 4);
  EXPECT_EQ(int64_t(doc["kafka_offset"]), 99);
  EXPECT_GT(double(doc["unit_price"]), 0);
  EXPECT_TRUE(doc["quantity"].error() == simdjson::NO_SUCH_FIELD);
}

TEST(EventRouterTest, NonJsonAndBinaryMessagesAreKeptWhole) {
  EventRouter router;
  simdjson::dom::parser parser;
  for (std::string_view message :
       {std::string_view(""), std::string_view("not json at all"),
        std::string_view("{\"a\":\"\xff\xfe\"}", 11), std::string_view("\0\x01\x02", 3),
        std::string_view("{\"quantity\":\"5\\n\"")}) {
    std::string valid, invalid;
    const RouteResult r = router.Route(message, 1, 5, valid, invalid);
    EXPECT_FALSE(r.valid);
    simdjson::dom::element doc = ParseLine(parser, invalid);
    EXPECT_EQ(std::string_view(doc["invalid_reason"]), r.reason);
    const std::string_view json_str = doc["json_str"];
    if (simdjson::validate_utf8(message.data(), message.size())) {
      EXPECT_EQ(json_str, message);
      EXPECT_TRUE(doc["json_base64"].error() == simdjson::NO_SUCH_FIELD);
    } else {
      EXPECT_FALSE(std::string_view(doc["json_base64"]).empty());
    }
  }
}

TEST(EventRouterTest, EveryInvalidModeProducesAParsableInvalidLine) {
  EventRouter router;
  simdjson::dom::parser parser;
  for (InvalidMode mode : AllInvalidModes()) {
    for (uint64_t variant = 0; variant < 50; ++variant) {
      std::string valid, invalid;
      const std::string json = Event(mode, variant * 104729);
      ASSERT_FALSE(router.Route(json, 0, variant, valid, invalid).valid);
      simdjson::dom::element doc = ParseLine(parser, invalid);
      ASSERT_EQ(std::string_view(doc["json_str"]), json);
    }
  }
}

// Found by tests/fuzz/event_router_fuzzer: raw tokens On-Demand never had to decode (a field of
// the wrong type, a string without escapes) were copied into the output even when a strict
// JSON reader rejects them.
TEST(EventRouterTest, TokensStrictReadersRejectAreLeftOutOrMakeTheEventInvalid) {
  EventRouter router;
  simdjson::dom::parser parser;
  const std::string json = Event();
  const std::string name = "\"user\":\"";
  const size_t user = json.find(name) + name.size();
  const std::string lone_surrogate = json.substr(0, user) + "\\ud800" + json.substr(user);
  std::string with_control = json.substr(0, user) + "\x01" + json.substr(user);
  std::string huge = json;
  huge.replace(huge.find("\"quantity\":") + 11, 0, "1e999999,\"x\":");
  for (const std::string& message : {lone_surrogate, with_control, huge}) {
    std::string valid, invalid;
    const RouteResult r = router.Route(message, 0, 1, valid, invalid);
    EXPECT_FALSE(r.valid) << message;
    EXPECT_TRUE(valid.empty());
    simdjson::dom::element line;
    ASSERT_FALSE(ParseLine(parser, invalid).get(line)) << invalid;
    std::string_view reason, json_str;
    EXPECT_FALSE(line["invalid_reason"].get(reason));
    EXPECT_FALSE(line["json_str"].get(json_str));
    EXPECT_EQ(json_str, message);
  }
}

}  // namespace
}  // namespace orderflow::event
