// The partial deadlock report: what lock_wait.cpp found, in words and stacks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::sched {
struct G;
}

namespace goro::sync {

// A wait-for cycle, captured under the wait-graph lock; its members stay parked for ever.
struct cycle_report {
  static constexpr int kMaxShown = 64;
  struct member {
    sched::G* g;
    std::int64_t goid;
    const void* wanted;        // the lock it waits for
    std::uint8_t wanted_kind;  // a lock_wait_kind
    std::uint32_t seq;         // its G::lock_wait_seq when the cycle was found
  };
  member members[kMaxShown];
  int n = 0;  // each member waits for the next; the last for the first
};

// Fills *out from the cycle's members (in wait order). Called with the wait-graph lock held.
void describe_cycle(sched::G* const* members, int n, cycle_report* out);

// A hash of the set of goroutines (not of their order), to recognise a cycle reported before.
std::uint64_t cycle_signature(const cycle_report& r);

// Writes the report on stderr. GORODEBUG=partialdeadlock=fatal (the default): also every other
// goroutine, then exit 2. warn: returns.
void report_cycle(const cycle_report& r);

}  // namespace goro::sync
