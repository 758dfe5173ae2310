#include "metrics/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace orderflow::metrics {
namespace {
constexpr double kMinMs = 1.0 / 64;  // resolution floor: ~16 microseconds
}

int LatencyHistogram::BucketOf(double ms) {
  if (!(ms > kMinMs)) return 0;
  int exponent;
  const double mantissa = std::frexp(ms / kMinMs, &exponent);  // ms/kMin = m * 2^e, m in [0.5,1)
  const int octave = exponent - 1;
  if (octave >= kOctaves) return kBuckets - 1;
  const int sub = static_cast<int>((mantissa * 2.0 - 1.0) * kSubBuckets);
  return octave * kSubBuckets + std::min(sub, kSubBuckets - 1);
}

double LatencyHistogram::BucketUpperMs(int bucket) {
  const int octave = bucket / kSubBuckets;
  const int sub = bucket % kSubBuckets;
  return kMinMs * std::ldexp(1.0 + static_cast<double>(sub + 1) / kSubBuckets, octave);
}

void LatencyHistogram::Record(double ms) {
  if (!(ms > 0)) ms = 0;
  ++buckets_[BucketOf(ms)];
  ++count_;
  sum_ += ms;
  max_ = std::max(max_, ms);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  const auto rank =
      static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= std::max<uint64_t>(rank, 1)) {
      return i == kBuckets - 1 ? max_ : std::min(BucketUpperMs(i), max_);  // last: overflow
    }
  }
  return max_;
}

}  // namespace orderflow::metrics
