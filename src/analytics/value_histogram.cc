#include "analytics/value_histogram.h"

#include <algorithm>
#include <cmath>

namespace orderflow::analytics {

void ValueHistogram::Add(int64_t cents) {
  ++count_;
  sum_ += cents;
  if (cents >= 0 && cents < kDenseLimit) {
    if (dense_.empty()) dense_.assign(kDenseLimit, 0);
    ++dense_[cents];
  } else {
    sparse_.push_back(cents);
    sparse_sorted_ = false;
  }
}

void ValueHistogram::Merge(const ValueHistogram& other) {
  count_ += other.count_;
  sum_ += other.sum_;
  if (!other.dense_.empty()) {
    if (dense_.empty()) dense_.assign(kDenseLimit, 0);
    for (size_t i = 0; i < dense_.size(); ++i) dense_[i] += other.dense_[i];
  }
  if (!other.sparse_.empty()) {
    sparse_.insert(sparse_.end(), other.sparse_.begin(), other.sparse_.end());
    sparse_sorted_ = false;
  }
}

void ValueHistogram::SortSparse() const {
  if (sparse_sorted_) return;
  std::sort(sparse_.begin(), sparse_.end());
  sparse_sorted_ = true;
}

// Order of values: sparse negatives, then the dense range, then sparse values >= kDenseLimit.
int64_t ValueHistogram::KthSmallest(uint64_t k) const {
  SortSparse();
  const auto negatives = static_cast<uint64_t>(
      std::lower_bound(sparse_.begin(), sparse_.end(), int64_t{0}) - sparse_.begin());
  if (k < negatives) return sparse_[k];
  k -= negatives;
  for (size_t v = 0; v < dense_.size(); ++v) {
    if (k < dense_[v]) return static_cast<int64_t>(v);
    k -= dense_[v];
  }
  return sparse_[negatives + k];
}

double ValueHistogram::Quantile(double q) const {
  const double pos = q * static_cast<double>(count_ - 1);
  const auto lo = static_cast<uint64_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  const auto a = static_cast<double>(KthSmallest(lo));
  if (frac == 0) return a;
  const auto b = static_cast<double>(KthSmallest(lo + 1));
  return a + (b - a) * frac;
}

uint64_t ValueHistogram::CountBelow(double bound) const {
  SortSparse();
  uint64_t n = 0;
  for (int64_t v : sparse_) n += static_cast<double>(v) < bound ? 1 : 0;
  const double limit = std::min(bound, static_cast<double>(dense_.size()));
  for (int64_t v = 0; static_cast<double>(v) < limit; ++v) n += dense_[v];
  return n;
}

int64_t ValueHistogram::SmallestAtLeast(double bound) const {
  return KthSmallest(CountBelow(bound));
}

int64_t ValueHistogram::LargestAtMost(double bound) const {
  // Values <= bound are those below the next representable cent above it.
  const uint64_t at_most = CountBelow(std::floor(bound) + 1);
  return KthSmallest(at_most - 1);
}

BoxStats ValueHistogram::Box() const {
  BoxStats box;
  if (count_ == 0) return box;
  box.count = count_;
  box.mean = static_cast<double>(sum_) / static_cast<double>(count_) / 100;
  const double q1 = Quantile(0.25), q3 = Quantile(0.75);
  const double iqr = q3 - q1;
  const int64_t low = SmallestAtLeast(q1 - 1.5 * iqr);
  const int64_t high = LargestAtMost(q3 + 1.5 * iqr);
  box.min = static_cast<double>(KthSmallest(0)) / 100;
  box.max = static_cast<double>(KthSmallest(count_ - 1)) / 100;
  box.q1 = q1 / 100;
  box.median = Quantile(0.5) / 100;
  box.q3 = q3 / 100;
  box.whisker_low = static_cast<double>(low) / 100;
  box.whisker_high = static_cast<double>(high) / 100;
  box.outliers = CountBelow(static_cast<double>(low)) + (count_ - CountBelow(high + 1.0));
  return box;
}

}  // namespace orderflow::analytics
