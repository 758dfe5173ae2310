#include "analytics/rejected_sample.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <fstream>

#include "analytics/scanner.h"

namespace orderflow::analytics {
namespace {

namespace od = simdjson::ondemand;

// Parses one line into `event`; false when it is not a complete JSON object.
bool ParseLine(od::parser& parser, const std::string& line, RejectedEvent& event) {
  const simdjson::padded_string padded(line);
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return false;
  od::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  event = RejectedEvent{};
  event.invalid_reason = "unknown";
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    od::value value = field.value();
    if (key == "invalid_reason" || key == "json_str") {
      std::string_view text;
      const simdjson::error_code error = value.get_string().get(text);
      if (error == simdjson::SUCCESS) {
        (key == "json_str" ? event.json_str : event.invalid_reason) = std::string(text);
      } else if (error != simdjson::INCORRECT_TYPE) {
        return false;
      }
      continue;
    }
    for (size_t i = 0; i < kRejectedFields.size(); ++i) {
      if (key != kRejectedFields[i]) continue;
      od::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS) return false;
      if (type == od::json_type::object || type == od::json_type::array) {
        // Not a value the event ever has: shown as a marker, the line is in json_str.
        event.raw[i] = type == od::json_type::object ? "{...}" : "[...]";
        continue;
      }
      std::string_view raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' ||
                              raw.back() == '\n')) {
        raw.remove_suffix(1);
      }
      event.raw[i] = std::string(raw);
    }
  }
  // Nothing but whitespace may follow the object.
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

}  // namespace

Result<std::vector<RejectedEvent>> SampleRejected(const std::string& dir, size_t limit) {
  std::vector<RejectedEvent> sample;
  auto files = ListJsonFiles(dir);
  if (!files.ok()) {
    if (files.status().IsNotFound()) return sample;
    return files.status();
  }
  od::parser parser;
  std::string line;
  RejectedEvent event;
  for (const std::string& path : *files) {
    if (sample.size() >= limit) break;
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError(fmt::format("cannot open {}", path));
    while (sample.size() < limit && std::getline(in, line)) {
      if (ParseLine(parser, line, event)) sample.push_back(std::move(event));
    }
    if (in.bad()) return Status::IoError(fmt::format("cannot read {}", path));
  }
  return sample;
}

}  // namespace orderflow::analytics
