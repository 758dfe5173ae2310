#include "stream/event_router.h"

#include "event/event_fields.h"
#include "event/json_writer.h"

namespace orderflow::stream {
namespace {

using event::kFieldCount;
using event::kFields;

// Appends `"name":raw` for every contract field the message had as a scalar.
void AppendParsedFields(const event::Validation& v, std::string& out, bool& first) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (v.raw[i].empty()) continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(kFields[i].name);
    out.append("\":", 2);
    out.append(v.raw[i]);
  }
}

}  // namespace

RouteResult EventRouter::Route(std::string_view payload, int32_t partition, int64_t offset,
                               std::string& valid_out, std::string& invalid_out) {
  const event::Validation& v = validator_.Validate(payload);
  if (v.valid) {
    if (v.pass_through) {
      valid_out.append(payload);
    } else {
      // Pretty-printed or carrying extra fields: write the contract's fields on one line.
      valid_out.push_back('{');
      bool first = true;
      AppendParsedFields(v, valid_out, first);
      valid_out.push_back('}');
    }
    valid_out.push_back('\n');
    return {true, {}, v.event_time_ms};
  }

  std::string& out = invalid_out;
  out.push_back('{');
  bool first = true;
  if (v.parsed_object) {
    AppendParsedFields(v, out, first);
    if (!v.invalid_mode_raw.empty()) {
      if (!first) out.push_back(',');
      first = false;
      out.append("\"invalid_mode\":");
      out.append(v.invalid_mode_raw);
    }
  }
  if (!first) out.push_back(',');
  out.append("\"json_str\":");
  const bool utf8 = event::AppendJsonString(out, payload);
  if (!utf8) {
    // json_str had to replace bytes; keep the exact message too, so nothing is lost.
    out.append(",\"json_base64\":\"");
    event::AppendBase64(out, payload);
    out.push_back('"');
  }
  out.append(",\"invalid_reason\":\"");
  out.append(v.reason);
  out.append("\",\"kafka_partition\":");
  event::AppendInt(out, partition);
  out.append(",\"kafka_offset\":");
  event::AppendInt(out, offset);
  out.append("}\n");
  return {false, v.reason, 0};
}

}  // namespace orderflow::stream
