#include "event/generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>

#include "event/catalogue.h"
#include "event/cents.h"

namespace orderflow::event {
namespace {

// Relative demand by local hour: quiet nights, a morning peak around 8-9 and a larger evening
// peak around 17-19, as grocery footfall curves show.
constexpr std::array<double, 24> kHourWeight = {0.15, 0.08, 0.05, 0.04, 0.05, 0.15, 0.45, 0.9,
                                                1.35, 1.3,  1.05, 1.0,  1.1,  1.05, 0.95, 1.05,
                                                1.35, 1.75, 1.85, 1.5,  1.05, 0.7,  0.45, 0.25};
constexpr double kWeekendUplift = 1.35;
constexpr double kTrendOverWindow = 0.25;  // +25% from the oldest to the newest day

// Skewed popularity (bread and eggs sell most, cheese least) and weekend favourites.
constexpr std::array<double, 10> kItemWeight = {1.0, 1.2, 1.1, 0.9, 0.7, 0.45, 2.2, 0.6, 0.8, 1.6};
constexpr std::array<double, 10> kItemWeekendFactor = {1.0, 1.1, 1.0, 1.0, 1.0,
                                                       1.6, 1.4, 0.9, 0.9, 1.5};

// Payment mix per channel (store, online, pickup) over card, blik, cash, mobile_wallet.
constexpr std::array<std::array<double, 4>, 3> kPaymentByChannel = {{
    {0.45, 0.12, 0.33, 0.10},
    {0.48, 0.40, 0.00, 0.12},
    {0.40, 0.30, 0.10, 0.20},
}};
constexpr std::array<double, 3> kChannelWeight = {0.6, 0.28, 0.12};

template <size_t N>
void Cumulate(const std::array<double, N>& weights, std::array<double, N>& out) {
  double sum = 0;
  for (size_t i = 0; i < N; ++i) out[i] = (sum += weights[i]);
  for (auto& v : out) v /= sum;
}

template <typename Container>
int PickCumulative(const Container& cumulative, double u) {
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return static_cast<int>(
      std::min<ptrdiff_t>(it - cumulative.begin(), static_cast<ptrdiff_t>(cumulative.size()) - 1));
}

// "00" .. "ff": a byte's two hex digits.
constexpr std::array<char, 512> kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 512> pairs{};
  for (int i = 0; i < 256; ++i) {
    pairs[2 * i] = kHex[i >> 4];
    pairs[2 * i + 1] = kHex[i & 15];
  }
  return pairs;
}();

// The `bytes` low bytes of `v` as hex, most significant first.
char* PutHex(char* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    std::memcpy(out, &kHexPairs[2 * ((v >> (i * 8)) & 0xFF)], 2);
    out += 2;
  }
  return out;
}

void WriteUuidV4(Random& rng, char* out) {
  uint64_t hi = rng.Next();
  uint64_t lo = rng.Next();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                         // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10xx
  out = PutHex(out, hi >> 32, 4);
  *out++ = '-';
  out = PutHex(out, hi >> 16, 2);
  *out++ = '-';
  out = PutHex(out, hi, 2);
  *out++ = '-';
  out = PutHex(out, lo >> 48, 2);
  *out++ = '-';
  PutHex(out, lo, 6);
}

}  // namespace

std::optional<Profile> ParseProfile(std::string_view name) {
  if (name == "uniform") return Profile::kUniform;
  if (name == "realistic") return Profile::kRealistic;
  return std::nullopt;
}

int64_t LocalUtcOffsetSeconds(int64_t epoch_seconds) {
  const time_t t = static_cast<time_t>(epoch_seconds);
  struct tm local {};
  localtime_r(&t, &local);
  return local.tm_gmtoff;
}

EventGenerator::EventGenerator(uint64_t seed, Profile profile, int64_t reference_epoch_ms,
                               int64_t utc_offset_seconds)
    : rng_(seed),
      profile_(profile),
      reference_local_seconds_(reference_epoch_ms / 1000 + utc_offset_seconds) {
  if (profile_ != Profile::kRealistic) return;
  slot_cumulative_.resize(kWindowHours);
  double sum = 0;
  for (int slot = 0; slot < kWindowHours; ++slot) {
    const CivilTime t = ToCivil(reference_local_seconds_ - int64_t{slot} * 3600 - 1);
    const double age = static_cast<double>(slot) / kWindowHours;  // 0 = newest
    double w = kHourWeight[t.hour] * (1.0 + kTrendOverWindow * (1.0 - age));
    if (t.weekday >= 5) w *= kWeekendUplift;
    slot_cumulative_[slot] = (sum += w);
  }
  for (auto& v : slot_cumulative_) v /= sum;
  slot_guide_.resize(kSlotGuideSize);
  for (int b = 0; b < kSlotGuideSize; ++b) {
    slot_guide_[b] = PickCumulative(slot_cumulative_, static_cast<double>(b) / kSlotGuideSize);
  }
  for (int weekend = 0; weekend < 2; ++weekend) {
    std::array<double, 10> w = kItemWeight;
    if (weekend) {
      for (size_t i = 0; i < w.size(); ++i) w[i] *= kItemWeekendFactor[i];
    }
    Cumulate(w, item_cumulative_[weekend]);
  }
  std::array<double, 20> qw{};
  for (int q = 1; q <= 20; ++q) qw[q - 1] = std::pow(static_cast<double>(q), -1.1);
  Cumulate(qw, quantity_cumulative_);
  Cumulate(kChannelWeight, channel_cumulative_);
  for (size_t channel = 0; channel < kPaymentByChannel.size(); ++channel) {
    Cumulate(kPaymentByChannel[channel], payment_cumulative_[channel]);
  }
}

int64_t EventGenerator::PurchaseSecondsBack() {
  if (profile_ == Profile::kUniform) return rng_.Between(0, int64_t{kWindowHours} * 3600);
  // Exactly PickCumulative(slot_cumulative_, u): the guide's start is at or before the first
  // slot above u (u * kSlotGuideSize is exact, the size being a power of two).
  const double u = rng_.Uniform();
  const int last = static_cast<int>(slot_cumulative_.size()) - 1;
  int slot = slot_guide_[static_cast<size_t>(u * kSlotGuideSize)];
  while (slot < last && slot_cumulative_[slot] <= u) ++slot;
  return int64_t{slot} * 3600 + rng_.Between(1, 3600);
}

int EventGenerator::PickItem(bool weekend) {
  if (profile_ == Profile::kUniform) return static_cast<int>(rng_.Below(kItems.size()));
  return PickCumulative(item_cumulative_[weekend ? 1 : 0], rng_.Uniform());
}

int EventGenerator::PickQuantity() {
  if (profile_ == Profile::kUniform) return static_cast<int>(rng_.Between(1, 20));
  return PickCumulative(quantity_cumulative_, rng_.Uniform()) + 1;
}

std::string_view EventGenerator::PickPayment(int channel) {
  if (profile_ == Profile::kUniform) return kPaymentMethods[rng_.Below(kPaymentMethods.size())];
  return kPaymentMethods[PickCumulative(payment_cumulative_[channel], rng_.Uniform())];
}

void EventGenerator::Next(int64_t now_ms, OrderEvent& e) {
  WriteUuidV4(rng_, e.order_id);
  // The original's Faker default locale: English names and US cities (uniform); Polish ones
  // go with the realistic profile's PLN prices and blik.
  const bool original = profile_ == Profile::kUniform;
  e.user_first = original ? kEnglishFirstNames[rng_.Below(kEnglishFirstNames.size())]
                          : kFirstNames[rng_.Below(kFirstNames.size())];
  e.user_last = original ? kEnglishLastNames[rng_.Below(kEnglishLastNames.size())]
                         : kLastNames[rng_.Below(kLastNames.size())];
  e.purchase = ToCivil(reference_local_seconds_ - PurchaseSecondsBack());
  e.item_index = PickItem(e.purchase.weekday >= 5);
  e.quantity = PickQuantity();
  // unit_price = round(base x uniform(0.85, 1.20), 2)
  const double factor = 0.85 + 0.35 * rng_.Uniform();
  e.unit_price_cents = UnitPriceCents(kItems[e.item_index].base_price_cents, factor);
  e.discount_pct = kDiscountChoices[rng_.Below(kDiscountChoices.size())];
  e.total_amount_cents = TotalAmountCents(e.quantity, e.unit_price_cents, e.discount_pct);
  int channel;
  if (profile_ == Profile::kUniform) {
    channel = static_cast<int>(rng_.Below(kSalesChannels.size()));
  } else {
    channel = PickCumulative(channel_cumulative_, rng_.Uniform());
  }
  // The original drew payment before channel; with the realistic mix payment depends on it.
  e.payment_method = PickPayment(channel);
  e.sales_channel = kSalesChannels[channel];
  e.store_city =
      original ? kUsCities[rng_.Below(kUsCities.size())] : kCities[rng_.Below(kCities.size())];
  e.event_time_ms = now_ms;
}

}  // namespace orderflow::event
