#include "event/event_encoder.h"

#include <array>
#include <cstring>

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

// Writes at a position the caller made room for (EncodedSizeBound): an event is ~450 bytes in
// ~60 pieces, and std::string's capacity check on every piece was most of the encoder's time.
class Cursor {
 public:
  explicit Cursor(char* at) : at_(at) {}
  char* at() const { return at_; }

  template <size_t N>
  void Put(const char (&literal)[N]) {
    std::memcpy(at_, literal, N - 1);
    at_ += N - 1;
  }
  void Put(std::string_view text) {
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  void Put(char c) { *at_++ = c; }
  void Int(int64_t value) { at_ = WriteInt(at_, value); }
  void Cents(int64_t cents) { at_ = WriteCents(at_, cents); }
  // A two-digit field of a date or time (0..99).
  void Pad2(int v) {
    at_[0] = static_cast<char>('0' + v / 10);
    at_[1] = static_cast<char>('0' + v % 10);
    at_ += 2;
  }
  void Date(const CivilTime& t) {
    Int(t.year);
    Put('-');
    Pad2(t.month);
    Put('-');
    Pad2(t.day);
  }
  void Time(const CivilTime& t) {
    Pad2(t.hour);
    Put(':');
    Pad2(t.minute);
    Put(':');
    Pad2(t.second);
  }

 private:
  char* at_;
};

// The bytes of an event besides its strings: keys, quotes and punctuation (under 400), and
// ten numbers at most kMaxCentsChars each. EventEncoderTest checks it with the longest numbers
// in every mode.
constexpr size_t kBytesBesidesStrings = 400 + 10 * kMaxCentsChars;

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

size_t EncodedSizeBound(const OrderEvent& e, InvalidMode mode) {
  const Item& item = kItems[e.item_index];
  return kBytesBesidesStrings + sizeof(e.order_id) + e.user_first.size() + e.user_last.size() +
         item.name.size() + item.category.size() + e.payment_method.size() +
         e.sales_channel.size() + e.store_city.size() + kWeekdayNames[e.purchase.weekday].size() +
         InvalidModeName(mode).size();
}

void EncodeEvent(const OrderEvent& e, std::string& out, InvalidMode mode, uint64_t variant) {
  const Item& item = kItems[e.item_index];
  const bool omit_quantity =
      mode == InvalidMode::kMissingQuantity || mode == InvalidMode::kMissingBoth;
  const bool omit_price =
      mode == InvalidMode::kMissingUnitPrice || mode == InvalidMode::kMissingBoth;
  // wrong_type breaks one of four fields, chosen by the variant.
  const int wrong_field = mode == InvalidMode::kWrongType ? static_cast<int>(variant % 4) : -1;

  // Room for the longest form, then cut to what was written (a buffer kept from the previous
  // event is only zero-filled where this one may be longer).
  out.resize(EncodedSizeBound(e, mode));
  Cursor w(out.data());
  w.Put("{\"order_id\":\"");
  w.Put(e.OrderId());
  w.Put("\",\"user\":\"");
  w.Put(e.user_first);
  w.Put(' ');
  w.Put(e.user_last);
  w.Put("\",\"item\":\"");
  w.Put(item.name);  // catalogue strings need no escaping
  w.Put("\",\"category\":\"");
  w.Put(item.category);
  w.Put("\",");
  if (!omit_quantity) {
    w.Put("\"quantity\":");
    if (wrong_field == 0) w.Put('"');
    w.Int(mode == InvalidMode::kNonPositiveQuantity ? 0 : e.quantity);
    if (wrong_field == 0) w.Put('"');
    w.Put(',');
  }
  if (!omit_price) {
    w.Put("\"unit_price\":");
    if (wrong_field == 1) w.Put('"');
    w.Cents(mode == InvalidMode::kNonPositiveUnitPrice ? 0 : e.unit_price_cents);
    if (wrong_field == 1) w.Put('"');
    w.Put(',');
  }
  w.Put("\"discount_pct\":");
  w.Int(e.discount_pct);
  w.Put(",\"total_amount\":");
  w.Cents(e.total_amount_cents);
  w.Put(",\"payment_method\":\"");
  w.Put(e.payment_method);
  w.Put("\",\"sales_channel\":\"");
  w.Put(e.sales_channel);
  w.Put("\",\"store_city\":\"");
  w.Put(e.store_city);
  w.Put("\",\"purchase_datetime\":\"");
  w.Date(e.purchase);
  w.Put('T');
  w.Time(e.purchase);
  w.Put("\",\"purchase_date\":\"");
  w.Date(e.purchase);
  w.Put("\",\"purchase_time\":\"");
  w.Time(e.purchase);
  w.Put("\",\"weekday_name\":\"");
  w.Put(kWeekdayNames[e.purchase.weekday]);
  w.Put("\",\"weekday_num\":");
  w.Int(e.purchase.weekday);
  if (wrong_field == 2) {
    w.Put(",\"hour_of_day\":\"noon\"");
  } else {
    w.Put(",\"hour_of_day\":");
    w.Int(e.purchase.hour);
  }
  w.Put(",\"is_weekend\":");
  if (wrong_field == 3) {
    w.Put(e.purchase.weekday >= 5 ? std::string_view("\"yes\"") : std::string_view("\"no\""));
  } else {
    w.Put(e.purchase.weekday >= 5 ? std::string_view("true") : std::string_view("false"));
  }
  w.Put(",\"event_time_ms\":");
  w.Int(e.event_time_ms);
  if (mode != InvalidMode::kNone) {
    w.Put(",\"invalid_mode\":\"");
    w.Put(InvalidModeName(mode));
    w.Put('"');
  }
  w.Put('}');
  out.resize(static_cast<size_t>(w.at() - out.data()));

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
