// The 19 fields of the contract's event, their JSON types, and the invalid reasons derived from
// them (missing_<field>, wrong_type_<field>, duplicate_<field>). Immutable tables.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace orderflow::event {

enum class FieldType : uint8_t { kString, kInt, kNumber, kBool };

struct FieldSpec {
  std::string_view name;
  FieldType type;
  std::string_view missing_reason;
  std::string_view wrong_type_reason;
  std::string_view duplicate_reason;
};

#define ORDERFLOW_FIELD(name, type) \
  FieldSpec { #name, FieldType::type, "missing_" #name, "wrong_type_" #name, "duplicate_" #name }

inline constexpr std::array<FieldSpec, 19> kFields = {
    ORDERFLOW_FIELD(order_id, kString),       ORDERFLOW_FIELD(user, kString),
    ORDERFLOW_FIELD(item, kString),           ORDERFLOW_FIELD(category, kString),
    ORDERFLOW_FIELD(quantity, kInt),          ORDERFLOW_FIELD(unit_price, kNumber),
    ORDERFLOW_FIELD(discount_pct, kInt),      ORDERFLOW_FIELD(total_amount, kNumber),
    ORDERFLOW_FIELD(payment_method, kString), ORDERFLOW_FIELD(sales_channel, kString),
    ORDERFLOW_FIELD(store_city, kString),     ORDERFLOW_FIELD(purchase_datetime, kString),
    ORDERFLOW_FIELD(purchase_date, kString),  ORDERFLOW_FIELD(purchase_time, kString),
    ORDERFLOW_FIELD(weekday_name, kString),   ORDERFLOW_FIELD(weekday_num, kInt),
    ORDERFLOW_FIELD(hour_of_day, kInt),       ORDERFLOW_FIELD(is_weekend, kBool),
    ORDERFLOW_FIELD(event_time_ms, kInt),
};
#undef ORDERFLOW_FIELD

inline constexpr size_t kFieldCount = kFields.size();
inline constexpr int kQuantityField = 4;
inline constexpr int kUnitPriceField = 5;
inline constexpr int kEventTimeField = 18;

// Index of the field called `name`, or -1.
int FindField(std::string_view name);

// Reasons that do not name a field.
inline constexpr std::string_view kReasonEmpty = "empty_message";
inline constexpr std::string_view kReasonMalformedJson = "malformed_json";
inline constexpr std::string_view kReasonInvalidUtf8 = "invalid_utf8";
inline constexpr std::string_view kReasonNotAnObject = "not_an_object";
inline constexpr std::string_view kReasonNonPositiveQuantity = "non_positive_quantity";
inline constexpr std::string_view kReasonNonPositiveUnitPrice = "non_positive_unit_price";

}  // namespace orderflow::event
