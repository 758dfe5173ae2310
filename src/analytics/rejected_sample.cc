#include "analytics/rejected_sample.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "analytics/scanner.h"
#include "common/output_file_reader.h"

namespace orderflow::analytics {
namespace {

namespace od = simdjson::ondemand;

// Parses one line into `event` and its purchase_date into `day` (kNoDay when it has none); false
// when it is not a complete JSON object.
bool ParseLine(od::parser& parser, const std::string& line, RejectedEvent& event, int32_t& day) {
  const simdjson::padded_string padded(line);
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return false;
  od::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  event = RejectedEvent{};
  event.invalid_reason = "unknown";
  day = kNoDay;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    od::value value = field.value();
    if (key == "purchase_date") {
      std::string_view text;
      if (value.get_string().get(text) == simdjson::SUCCESS) day = ParseDay(text);
      continue;
    }
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

Result<std::vector<RejectedEvent>> SampleRejected(const std::string& dir, size_t limit,
                                                  const DayRange& days) {
  std::vector<RejectedEvent> sample;
  auto files = ListJsonFiles(dir, days);
  if (!files.ok()) {
    if (files.status().IsNotFound()) return sample;
    return files.status();
  }
  od::parser parser;
  std::string line, buffer;
  RejectedEvent event;
  int32_t day = kNoDay;
  // A line the report counts (in `days`) and that parsed.
  auto take = [&](const std::string& text) {
    return ParseLine(parser, text, event, day) && days.Contains(day);
  };
  constexpr size_t kBlock = size_t{64} << 10;
  for (const std::string& path : *files) {
    if (sample.size() >= limit) break;
    // Compressed files decode as they are read (common/output_file_reader.h).
    auto reader = OutputFileReader::Open(path);
    if (!reader.ok()) return Status::IoError(reader.status().message());
    buffer.clear();
    bool done = false;
    while (!done && sample.size() < limit) {
      const size_t before = buffer.size();
      buffer.resize(before + kBlock);
      auto n = reader->Read(buffer.data() + before, kBlock);
      if (!n.ok() && n.status().code() != Status::Code::kCorruption) return n.status();
      // The end, or damage (the scan counts it): the lines before it are sampled.
      done = !n.ok() || *n == 0;
      buffer.resize(before + (n.ok() ? *n : 0));
      size_t start = 0;
      for (size_t nl = buffer.find('\n'); nl != std::string::npos && sample.size() < limit;
           nl = buffer.find('\n', start)) {
        line.assign(buffer, start, nl - start);
        start = nl + 1;
        if (take(line)) sample.push_back(std::move(event));
      }
      buffer.erase(0, start);
      if (done && n.ok() && !buffer.empty() && sample.size() < limit && take(buffer)) {
        sample.push_back(std::move(event));  // a last line without its newline
      }
    }
  }
  return sample;
}

}  // namespace orderflow::analytics
