// glibc malloc settings for a process that moves messages through librdkafka.
#pragma once

namespace orderflow {

// librdkafka allocates one block per message and frees it after delivery (or consumption).
// With glibc's defaults the freed top of the heap goes back to the kernel at once, and the next
// burst faults fresh zeroed pages in: `orderflow produce --events-per-second max` took 25k page
// faults per 500k events and sent 470k events/s; keeping freed memory for reuse took 4.5k faults
// and 740k events/s in the same run (BENCHMARKS.md). The price is that memory freed after a
// peak stays with the process (up to 1 GiB) instead of going back to the system.
// Call first thing in main, before other threads start. An explicit GLIBC_TUNABLES wins.
void TuneMallocForMessageChurn();

}  // namespace orderflow
