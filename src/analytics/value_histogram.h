// ValueHistogram: the exact distribution of order values (in cents) of one group, for exact
// quartiles and box-plot whiskers without keeping every value. Values in [0, kDenseLimit) cents
// (0.00 .. 327.67, every order the generator can make: at most 20 x 10.20) are counted in a dense
// array; others are kept one by one. Exact for any input; memory is bounded for the usual range.
// Mergeable, so every scanner thread keeps its own. One thread only.
#pragma once

#include <cstdint>
#include <vector>

namespace orderflow::analytics {

// Box-plot figures in currency units. Quartiles interpolate linearly between order statistics
// (pandas' and numpy's default); whiskers are the most extreme values within 1.5 IQR of the
// box (Tukey, as seaborn and matplotlib draw them).
struct BoxStats {
  uint64_t count = 0;
  double mean = 0, min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
  double whisker_low = 0, whisker_high = 0;
  uint64_t outliers = 0;  // values beyond the whiskers
};

class ValueHistogram {
 public:
  static constexpr int64_t kDenseLimit = int64_t{1} << 15;

  void Add(int64_t cents);
  void Merge(const ValueHistogram& other);

  uint64_t count() const { return count_; }
  int64_t sum_cents() const { return sum_; }

  // The k-th smallest value (0-based), in cents. REQUIRES: k < count().
  int64_t KthSmallest(uint64_t k) const;
  // The q-quantile (0 <= q <= 1) with linear interpolation, in cents. REQUIRES: count() > 0.
  double Quantile(double q) const;
  // All box figures; zeros when the histogram is empty.
  BoxStats Box() const;

 private:
  // Number of values < cents (strictly).
  uint64_t CountBelow(double cents) const;
  // Smallest value >= bound and largest value <= bound (REQUIRE one to exist).
  int64_t SmallestAtLeast(double bound) const;
  int64_t LargestAtMost(double bound) const;
  void SortSparse() const;

  std::vector<uint32_t> dense_;          // allocated on the first dense value
  mutable std::vector<int64_t> sparse_;  // values outside the dense range
  mutable bool sparse_sorted_ = true;
  uint64_t count_ = 0;
  int64_t sum_ = 0;
};

}  // namespace orderflow::analytics
