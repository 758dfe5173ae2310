// Writes an OrderEvent as the one-line JSON object of the contract, optionally broken by one
// invalid mode (the invalid producer). One thread only; reuses the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "event/order_event.h"

namespace orderflow::event {

enum class InvalidMode {
  kNone,
  kMissingUnitPrice,
  kMissingQuantity,
  kMissingBoth,
  kNonPositiveUnitPrice,
  kNonPositiveQuantity,
  kMalformedJson,
  kWrongType,
};

// Every mode the invalid producer can send (not kNone), in the contract's order.
std::span<const InvalidMode> AllInvalidModes();
// The five modes of the original producer_invalid.py (missing_unit_price, missing_quantity,
// missing_both, non_positive_unit_price, non_positive_quantity): the first five of
// AllInvalidModes().
std::span<const InvalidMode> OriginalInvalidModes();
std::string_view InvalidModeName(InvalidMode mode);
// Parses a mode name ("missing_quantity", ...); nullopt for unknown names and for "random".
std::optional<InvalidMode> ParseInvalidMode(std::string_view name);
// The modes `--invalid-mode NAME` draws from, uniformly: "random" = OriginalInvalidModes(),
// "random-all" = AllInvalidModes(), a mode name = that mode alone. nullopt for anything else.
// The span points to static storage.
std::optional<std::span<const InvalidMode>> ParseInvalidModeChoice(std::string_view name);

// Replaces `out` with the JSON of `event`. With a mode other than kNone the object is broken
// as that mode says and carries "invalid_mode". `variant` picks among the forms of a mode
// (which field has the wrong type, where malformed JSON is cut).
void EncodeEvent(const OrderEvent& event, std::string& out, InvalidMode mode = InvalidMode::kNone,
                 uint64_t variant = 0);

// The most bytes EncodeEvent may write for `event` in `mode` (it sizes its buffer with it).
size_t EncodedSizeBound(const OrderEvent& event, InvalidMode mode);

}  // namespace orderflow::event
