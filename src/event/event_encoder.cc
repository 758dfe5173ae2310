#include "event/event_encoder.h"

#include <array>

#include "event/catalogue.h"
#include "event/json_writer.h"

namespace orderflow::event {
namespace {

constexpr std::array<InvalidMode, 7> kAllModes = {
    InvalidMode::kMissingUnitPrice,    InvalidMode::kMissingQuantity,
    InvalidMode::kMissingBoth,         InvalidMode::kNonPositiveUnitPrice,
    InvalidMode::kNonPositiveQuantity, InvalidMode::kMalformedJson,
    InvalidMode::kWrongType,
};

// Appends `"key":` (keys are plain ASCII, no escaping needed).
inline void Key(std::string& out, std::string_view key) {
  out.push_back('"');
  out.append(key);
  out.append("\":", 2);
}

inline void StringField(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  out.push_back('"');
  out.append(value);  // catalogue strings need no escaping
  out.append("\",", 2);
}

inline void IntField(std::string& out, std::string_view key, int64_t value) {
  Key(out, key);
  AppendInt(out, value);
  out.push_back(',');
}

inline void Pad2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void AppendDate(std::string& out, const CivilTime& t) {
  AppendInt(out, t.year);
  out.push_back('-');
  Pad2(out, t.month);
  out.push_back('-');
  Pad2(out, t.day);
}

void AppendTime(std::string& out, const CivilTime& t) {
  Pad2(out, t.hour);
  out.push_back(':');
  Pad2(out, t.minute);
  out.push_back(':');
  Pad2(out, t.second);
}

}  // namespace

std::span<const InvalidMode> AllInvalidModes() { return kAllModes; }

std::span<const InvalidMode> OriginalInvalidModes() { return std::span(kAllModes).first(5); }

std::string_view InvalidModeName(InvalidMode mode) {
  switch (mode) {
    case InvalidMode::kNone:
      return "none";
    case InvalidMode::kMissingUnitPrice:
      return "missing_unit_price";
    case InvalidMode::kMissingQuantity:
      return "missing_quantity";
    case InvalidMode::kMissingBoth:
      return "missing_both";
    case InvalidMode::kNonPositiveUnitPrice:
      return "non_positive_unit_price";
    case InvalidMode::kNonPositiveQuantity:
      return "non_positive_quantity";
    case InvalidMode::kMalformedJson:
      return "malformed_json";
    case InvalidMode::kWrongType:
      return "wrong_type";
  }
  return "none";
}

std::optional<InvalidMode> ParseInvalidMode(std::string_view name) {
  for (InvalidMode mode : kAllModes) {
    if (InvalidModeName(mode) == name) return mode;
  }
  return std::nullopt;
}

std::optional<std::span<const InvalidMode>> ParseInvalidModeChoice(std::string_view name) {
  if (name == "random") return OriginalInvalidModes();
  if (name == "random-all") return AllInvalidModes();
  for (size_t i = 0; i < kAllModes.size(); ++i) {
    if (InvalidModeName(kAllModes[i]) == name) return std::span(kAllModes).subspan(i, 1);
  }
  return std::nullopt;
}

void EncodeEvent(const OrderEvent& e, std::string& out, InvalidMode mode, uint64_t variant) {
  out.clear();
  const Item& item = kItems[e.item_index];
  const bool omit_quantity =
      mode == InvalidMode::kMissingQuantity || mode == InvalidMode::kMissingBoth;
  const bool omit_price =
      mode == InvalidMode::kMissingUnitPrice || mode == InvalidMode::kMissingBoth;
  // wrong_type breaks one of four fields, chosen by the variant.
  const int wrong_field = mode == InvalidMode::kWrongType ? static_cast<int>(variant % 4) : -1;

  out.push_back('{');
  Key(out, "order_id");
  out.push_back('"');
  out.append(e.order_id, sizeof(e.order_id));
  out.append("\",", 2);
  Key(out, "user");
  out.push_back('"');
  out.append(e.user_first);
  out.push_back(' ');
  out.append(e.user_last);
  out.append("\",", 2);
  StringField(out, "item", item.name);
  StringField(out, "category", item.category);
  if (!omit_quantity) {
    Key(out, "quantity");
    if (wrong_field == 0) out.push_back('"');
    AppendInt(out, mode == InvalidMode::kNonPositiveQuantity ? 0 : e.quantity);
    if (wrong_field == 0) out.push_back('"');
    out.push_back(',');
  }
  if (!omit_price) {
    Key(out, "unit_price");
    if (wrong_field == 1) out.push_back('"');
    AppendCents(out, mode == InvalidMode::kNonPositiveUnitPrice ? 0 : e.unit_price_cents);
    if (wrong_field == 1) out.push_back('"');
    out.push_back(',');
  }
  IntField(out, "discount_pct", e.discount_pct);
  Key(out, "total_amount");
  AppendCents(out, e.total_amount_cents);
  out.push_back(',');
  StringField(out, "payment_method", e.payment_method);
  StringField(out, "sales_channel", e.sales_channel);
  StringField(out, "store_city", e.store_city);
  Key(out, "purchase_datetime");
  out.push_back('"');
  AppendDate(out, e.purchase);
  out.push_back('T');
  AppendTime(out, e.purchase);
  out.append("\",", 2);
  Key(out, "purchase_date");
  out.push_back('"');
  AppendDate(out, e.purchase);
  out.append("\",", 2);
  Key(out, "purchase_time");
  out.push_back('"');
  AppendTime(out, e.purchase);
  out.append("\",", 2);
  StringField(out, "weekday_name", kWeekdayNames[e.purchase.weekday]);
  IntField(out, "weekday_num", e.purchase.weekday);
  if (wrong_field == 2) {
    StringField(out, "hour_of_day", "noon");
  } else {
    IntField(out, "hour_of_day", e.purchase.hour);
  }
  Key(out, "is_weekend");
  if (wrong_field == 3) {
    out.append(e.purchase.weekday >= 5 ? "\"yes\"," : "\"no\",");
  } else {
    out.append(e.purchase.weekday >= 5 ? "true," : "false,");
  }
  Key(out, "event_time_ms");
  AppendInt(out, e.event_time_ms);
  if (mode != InvalidMode::kNone) {
    out.push_back(',');
    Key(out, "invalid_mode");
    out.push_back('"');
    out.append(InvalidModeName(mode));
    out.push_back('"');
  }
  out.push_back('}');

  if (mode == InvalidMode::kMalformedJson) {
    // Half of them truncated mid-object, half not JSON at all (a log line someone sent).
    if (variant % 2 == 0) {
      out.resize(1 + (variant / 2) % (out.size() - 1));
    } else {
      std::string text = "order ";
      text.append(e.order_id, sizeof(e.order_id));
      text += " item=";
      text += item.name;
      text += " qty=";
      AppendInt(text, e.quantity);
      out.swap(text);
    }
  }
}

}  // namespace orderflow::event
