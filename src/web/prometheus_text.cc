#include "web/prometheus_text.h"

#include <cmath>
#include <cstdlib>
#include <optional>

namespace orderflow::web {
namespace {

bool NameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

std::optional<double> ParseValue(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return std::nan("");
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);  // strtod needs a terminator
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

// Parses one sample line; nullopt when malformed.
std::optional<MetricSample> ParseLine(std::string_view line) {
  MetricSample s;
  size_t i = 0;
  while (i < line.size() && NameChar(line[i], i == 0)) ++i;
  if (i == 0) return std::nullopt;
  s.name = line.substr(0, i);
  if (i < line.size() && line[i] == '{') {
    ++i;
    for (;;) {
      while (i < line.size() && (line[i] == ' ' || line[i] == ',')) ++i;
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      const size_t key_start = i;
      while (i < line.size() && NameChar(line[i], i == key_start)) ++i;
      if (i == key_start || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
        return std::nullopt;
      }
      std::string key(line.substr(key_start, i - key_start));
      i += 2;
      std::string value;
      for (;;) {
        if (i >= line.size()) return std::nullopt;
        const char c = line[i++];
        if (c == '"') break;
        if (c == '\\') {
          if (i >= line.size()) return std::nullopt;
          const char e = line[i++];
          value += e == 'n' ? '\n' : e;
        } else {
          value += c;
        }
      }
      s.labels[std::move(key)] = std::move(value);
    }
  }
  while (i < line.size() && line[i] == ' ') ++i;
  size_t end = i;
  while (end < line.size() && line[end] != ' ') ++end;
  auto value = ParseValue(line.substr(i, end - i));
  if (!value) return std::nullopt;
  s.value = *value;
  return s;
}

}  // namespace

const std::string& MetricSample::Label(const std::string& key) const {
  static const std::string kEmpty;
  auto it = labels.find(key);
  return it == labels.end() ? kEmpty : it->second;
}

ParsedMetrics ParsePrometheusText(std::string_view text) {
  ParsedMetrics out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    if (auto sample = ParseLine(line)) {
      out.samples.push_back(std::move(*sample));
    } else {
      ++out.malformed_lines;
    }
  }
  return out;
}

}  // namespace orderflow::web
