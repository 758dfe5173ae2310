#include "common/malloc_tuning.h"

#include <malloc.h>

#include <cstdlib>

namespace orderflow {

void TuneMallocForMessageChurn() {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;  // the user's settings stand
  mallopt(M_TRIM_THRESHOLD, 1 << 30);                    // give freed heap back only past 1 GiB
  mallopt(M_TOP_PAD, 64 << 20);  // grow the heap in 64 MiB steps, not per burst
  // Setting the two above turns off glibc's sliding mmap threshold; fix it where that would end
  // (32 MiB on 64-bit) so fetch buffers of a few MiB stay on the reusable heap.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace orderflow
