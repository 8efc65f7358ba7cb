// Execution traces: GORODEBUG=trace=FILE records what every goroutine did and when — created,
// started on a P, parked (with its wait reason), readied, yielded, preempted, in a blocking call,
// ended — and writes FILE when the program ends, as Chrome trace-event JSON that Perfetto and
// chrome://tracing open (writer.cpp). `goro trace summary FILE` adds it up per creation site.
//
// Recording (recorder.cpp): each thread appends to a buffer of its own, with no lock and no atomic
// read-modify-write: a timestamp counter read, five stores, a count published with a release
// store. Buffers are never freed and hold at most kMaxEvents events each (the rest are counted as
// dropped), so a trace costs bounded memory. When the switch is off, every hook is one predictable
// branch on a flag written once before the first goroutine exists.
#pragma once

#include <cstdint>

namespace goro::trace {

enum class ev : std::uint16_t {
  create,         // goid: the new goroutine; a: its parent's goid; b: the go statement's pc
  start,          // goid starts running (on the recording thread's P)
  park,           // goid blocks; a: its wait reason (sched::wait_reason)
  yield,          // goid is runnable again at once (yield, preemption, a lost P)
  ready,          // goid is made runnable by the recording goroutine (a: its goid, 0 if none)
  end,            // goid has returned
  blocking_call,  // goid enters goro::blocking: it keeps its thread, not its P
  blocking_done,  // goid is back from goro::blocking
};

// Events one thread's buffer holds (40 bytes each: 40 MiB of address space, touched as used).
inline constexpr std::uint32_t kMaxEvents = 1u << 20;

extern bool g_on;

void record_slow(ev kind, std::int64_t goid, std::uint64_t a, std::uint64_t b);

inline void record(ev kind, std::int64_t goid, std::uint64_t a = 0, std::uint64_t b = 0) {
  if (__builtin_expect(g_on, false)) record_slow(kind, goid, a, b);
}

// Starts recording into `path` (GORODEBUG=trace=path); called once at start-up, before the
// first goroutine.
void start(const char* path);

// Writes the file, once; later calls do nothing. Called when the program ends (goro::run's end,
// exit()). Events recorded meanwhile by other threads may be left out.
void finish();

// ---- what the writer reads (recorder.cpp)
struct event {
  std::uint64_t tsc;
  std::int64_t goid;
  std::uint64_t a;
  std::uint64_t b;
  ev kind;
  std::int16_t p;  // the recording thread's P, -1 if it had none
};

struct buffer {
  event* events = nullptr;
  std::uint32_t published = 0;  // atomic (__atomic builtins): events[0..published) are complete
  std::uint64_t dropped = 0;    // atomic likewise
  buffer* next = nullptr;       // the list of every buffer, pushed once, never unlinked
};
buffer* all_buffers();  // acquire: the list head

// Calls fn(events, n) for every thread's published events, then returns how many were dropped.
template <class F>
std::uint64_t for_each_buffer(F fn) {
  std::uint64_t dropped = 0;
  for (buffer* b = all_buffers(); b != nullptr; b = b->next) {
    fn(b->events, __atomic_load_n(&b->published, __ATOMIC_ACQUIRE));
    dropped += __atomic_load_n(&b->dropped, __ATOMIC_RELAXED);
  }
  return dropped;
}

// The clock: timestamp-counter ticks at start and now, with CLOCK_MONOTONIC beside them, to turn
// ticks into nanoseconds.
struct clock_pair {
  std::uint64_t tsc = 0;
  std::int64_t ns = 0;
};
clock_pair start_clock();
clock_pair read_clock();

// writer.cpp: the JSON file from every buffer; false (and errno) if it could not be written.
bool write_trace(const char* path);

}  // namespace goro::trace
