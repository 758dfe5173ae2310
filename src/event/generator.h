// Builds synthetic purchase events. Two demand profiles:
//  - kUniform: the original Python producer, field by field (uniform item, hour, weekday, ...).
//  - kRealistic: hour-of-day curve with morning and evening peaks, weekend uplift, skewed product
//    popularity (with weekend favourites), a channel-dependent payment mix, smaller baskets and
//    a gentle upward trend over the 28 days.
// Deterministic: the same seed, profile and reference time give the same events.
// One thread only; Next() allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "event/order_event.h"
#include "event/random.h"

namespace orderflow::event {

enum class Profile { kUniform, kRealistic };

// Parses "uniform" / "realistic"; nullopt for anything else.
std::optional<Profile> ParseProfile(std::string_view name);

class EventGenerator {
 public:
  // reference_epoch_ms: "now" for the 28-day purchase window. utc_offset_seconds: the local
  // time zone's offset, applied to purchase times (the original wrote local times).
  EventGenerator(uint64_t seed, Profile profile, int64_t reference_epoch_ms,
                 int64_t utc_offset_seconds);

  // Fills `event` with the next event. event_time_ms is set to `now_ms`.
  void Next(int64_t now_ms, OrderEvent& event);

  Random& rng() { return rng_; }

 private:
  static constexpr int kWindowHours = 28 * 24;

  int64_t PurchaseSecondsBack();
  int PickItem(bool weekend);
  int PickQuantity();
  std::string_view PickPayment(int channel);

  Random rng_;
  Profile profile_;
  int64_t reference_local_seconds_;
  // Realistic profile: cumulative weights over the 672 hour slots of the window (slot 0 = the
  // hour ending at the reference time, counting backwards), items, quantities.
  std::vector<double> slot_cumulative_;
  // slot_guide_[b]: the first slot whose cumulative weight exceeds b / kSlotGuideSize, where the
  // search for a draw in [b, b + 1) / kSlotGuideSize starts (the same slot, a step or two
  // instead of a binary search over 672).
  static constexpr int kSlotGuideSize = 1024;
  std::vector<int> slot_guide_;
  std::array<std::array<double, 10>, 2> item_cumulative_{};  // [weekend]
  std::array<double, 20> quantity_cumulative_{};
  std::array<double, 3> channel_cumulative_{};
  std::array<std::array<double, 4>, 3> payment_cumulative_{};  // [channel]
};

// The local time zone's UTC offset at `epoch_seconds`, in seconds (from the TZ database).
int64_t LocalUtcOffsetSeconds(int64_t epoch_seconds);

}  // namespace orderflow::event
