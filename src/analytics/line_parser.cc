#include "analytics/line_parser.h"

#include <cstring>
#include <utility>

namespace orderflow::analytics {
namespace {

using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// The raw key (after the opening quote) is exactly `name`: compares the closing quote too, so
// "item" does not match "items". Reading past the key is safe: the buffer is padded.
template <size_t N>
inline bool KeyIs(const char* raw, const char (&name)[N]) {
  return std::memcmp(raw, name, N - 1) == 0 && raw[N - 1] == '"';
}

// A value of another type than expected (null, "3" for a number, 3.5 for an integer) is a
// field we treat as absent; every other error means the document itself is broken.
inline bool DocumentIntact(simdjson::error_code error) {
  return error == SUCCESS || error == simdjson::INCORRECT_TYPE ||
         error == simdjson::NUMBER_OUT_OF_RANGE;
}

// Nothing follows the object but whitespace ("{...} {...}" on one line is a damaged line).
inline bool AtEnd(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

}  // namespace

// Keys are matched on their raw bytes in one pass over the object, in whatever order they come
// (pandas and Spark reorder them); only the needed values are decoded, the rest are skipped.
LineKind LineParser::ParseOrder(std::string_view line, size_t capacity, OrderRow& row) {
  if (IsBlank(line)) return LineKind::kBlank;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc) != SUCCESS) {
    return LineKind::kBad;
  }
  od::object obj;
  if (doc.get_object().get(obj) != SUCCESS) return LineKind::kBad;
  row = OrderRow{};
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != SUCCESS) return LineKind::kBad;
    const char* k = field.key().raw();
    od::value value = field.value();
    simdjson::error_code error = SUCCESS;
    switch (k[0]) {
      case 'i':
        if (KeyIs(k, "item")) error = value.get_string().get(row.item);
        break;
      case 'c':
        if (KeyIs(k, "category")) error = value.get_string().get(row.category);
        break;
      case 'q':
        if (KeyIs(k, "quantity")) {
          error = value.get_int64().get(row.quantity);
          row.has_quantity = error == SUCCESS;
        }
        break;
      case 'u':
        if (KeyIs(k, "unit_price")) {
          error = value.get_double().get(row.unit_price);
          row.has_unit_price = error == SUCCESS;
        }
        break;
      case 't':
        if (KeyIs(k, "total_amount")) {
          error = value.get_double().get(row.total_amount);
          row.has_total = error == SUCCESS;
        }
        break;
      case 'p':
        if (KeyIs(k, "payment_method")) {
          error = value.get_string().get(row.payment_method);
        } else if (KeyIs(k, "purchase_date")) {
          std::string_view date;
          error = value.get_string().get(date);
          if (error == SUCCESS) row.day = ParseDay(date);
        }
        break;
      case 's':
        if (KeyIs(k, "sales_channel")) {
          error = value.get_string().get(row.sales_channel);
        } else if (KeyIs(k, "store_city")) {
          error = value.get_string().get(row.store_city);
        }
        break;
      case 'w':
        if (KeyIs(k, "weekday_name")) error = value.get_string().get(row.weekday_name);
        break;
      case 'h':
        if (KeyIs(k, "hour_of_day")) {
          int64_t hour = -1;
          error = value.get_int64().get(hour);
          if (error == SUCCESS && hour >= 0 && hour < kHourCount) row.hour = static_cast<int>(hour);
        }
        break;
      default:
        break;
    }
    if (!DocumentIntact(error)) return LineKind::kBad;
  }
  return AtEnd(doc) ? LineKind::kObject : LineKind::kBad;
}

LineKind LineParser::ParseInvalid(std::string_view line, size_t capacity, std::string_view& reason,
                                  int32_t& day) {
  if (IsBlank(line)) return LineKind::kBlank;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), capacity).get(doc) != SUCCESS) {
    return LineKind::kBad;
  }
  od::object obj;
  if (doc.get_object().get(obj) != SUCCESS) return LineKind::kBad;
  reason = "unknown";
  day = kNoDay;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != SUCCESS) return LineKind::kBad;
    const char* k = field.key().raw();
    if (KeyIs(k, "invalid_reason")) {
      std::string_view text;
      const simdjson::error_code error = field.value().get_string().get(text);
      if (error == SUCCESS) reason = text;
      if (!DocumentIntact(error)) return LineKind::kBad;
    } else if (KeyIs(k, "purchase_date")) {
      std::string_view date;
      const simdjson::error_code error = field.value().get_string().get(date);
      if (error == SUCCESS) day = ParseDay(date);
      if (!DocumentIntact(error)) return LineKind::kBad;
    }
  }
  return AtEnd(doc) ? LineKind::kObject : LineKind::kBad;
}

}  // namespace orderflow::analytics
