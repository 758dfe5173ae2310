// A fixed-memory latency histogram in milliseconds: log-linear buckets (HdrHistogram-like,
// ~3% relative precision) from 0 to ~1 day, percentiles, mean, merge. Record() is a few
// integer operations and never allocates. One thread only; merge per-thread copies.
#pragma once

#include <array>
#include <cstdint>

namespace orderflow::metrics {

class LatencyHistogram {
 public:
  // Records one sample; negative values (clock skew between hosts) count as 0.
  void Record(double ms);
  void Merge(const LatencyHistogram& other);
  void Reset() { *this = LatencyHistogram(); }

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double max() const { return max_; }
  // The q-quantile (0..1) as the upper edge of its bucket, capped at max(); 0 when empty.
  double Quantile(double q) const;

  // Bucket layout, exposed for Prometheus-style cumulative export.
  static constexpr int kSubBuckets = 32;  // per power of two
  static constexpr int kOctaves = 40;     // 2^-6 ms .. 2^34 ms
  static constexpr int kBuckets = kSubBuckets * kOctaves;
  static double BucketUpperMs(int bucket);
  uint64_t bucket_count(int bucket) const { return buckets_[bucket]; }

 private:
  static int BucketOf(double ms);
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  double sum_ = 0;
  double max_ = 0;
};

}  // namespace orderflow::metrics
