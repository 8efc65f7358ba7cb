// Execution traces: GORODEBUG=trace=FILE records what every goroutine did and when — created,
// started on a P, parked (with its wait reason), readied, yielded, preempted, in a blocking call,
// ended — and writes FILE when the program ends, as Chrome trace-event JSON that Perfetto and
// chrome://tracing open (writer.cpp). `goro trace summary FILE` adds it up per creation site.
//
// Recording: each thread appends to a buffer of its own, with no lock and no atomic
// read-modify-write: a timestamp-counter read, two stores, a count published with a release store
// (append, inline; recorder.cpp takes a thread's first event, each chunk boundary and a full
// buffer). Buffers are never freed and hold at most kMaxSlots slots each (the events that do not
// fit are counted as dropped), so a trace costs bounded memory. When the switch is off, every hook
// is one predictable branch on a flag written once before the first goroutine exists. The hooks
// the scheduler calls, which know goroutines and Ps, are in hooks.hpp.
//
// An event is one 16-byte slot (a create event two). A switch-heavy program records millions of
// events a second, and with the 40-byte event of a plain struct the stores, and the kernel's
// clearing of the pages they land on, were about a third of what tracing cost.
#pragma once

#include <cstdint>

namespace goro::trace {

enum class ev : std::uint8_t {
  create,         // goid: the new goroutine; its second slot: the go statement's pc, the parent
  start,          // goid starts running (on the recording thread's P)
  park,           // goid blocks; arg: its wait reason (sched::wait_reason)
  yield,          // goid is runnable again at once (yield, preemption, a lost P)
  ready,          // goid is made runnable
  end,            // goid has returned
  blocking_call,  // goid enters goro::blocking: it keeps its thread, not its P
  blocking_done,  // goid is back from goro::blocking
};

// One buffer slot. `bits`: the goroutine's id in bits 0-39, the kind in 40-43, the recording
// thread's P id + 1 in 44-55 (0: it had none), arg in 56-63. A create event's second slot holds
// the go statement's pc and the parent's goid instead.
struct slot {
  std::uint64_t tsc;
  std::uint64_t bits;
};

inline constexpr int kKindShift = 40, kPShift = 44, kArgShift = 56;
inline constexpr std::uint64_t kGoidMask = (std::uint64_t{1} << kKindShift) - 1;

inline std::uint64_t pack(std::int64_t goid, ev kind, int p, std::uint8_t arg) {
  return (static_cast<std::uint64_t>(goid) & kGoidMask) |
         static_cast<std::uint64_t>(kind) << kKindShift |
         static_cast<std::uint64_t>(p + 1) << kPShift |
         static_cast<std::uint64_t>(arg) << kArgShift;
}

// Slots one thread's buffer holds (16 bytes each: 32 MiB of address space, touched as used).
inline constexpr std::uint32_t kMaxSlots = 1u << 21;
// A buffer's pages are populated this many slots at a time (recorder.cpp). kMaxSlots is a
// multiple, so one test on the count catches both a chunk boundary and a full buffer.
inline constexpr std::uint32_t kPopulateChunk = 1u << 15;  // 512 KiB
static_assert(kMaxSlots % kPopulateChunk == 0);

extern bool g_on;

// Starts recording into `path` (GORODEBUG=trace=path); called once at start-up, before the
// first goroutine.
void start(const char* path);

// Writes the file, once; later calls do nothing. Called when the program ends (goro::run's end,
// exit()). Events recorded meanwhile by other threads may be left out.
void finish();

struct buffer {
  slot* slots = nullptr;
  std::uint32_t published = 0;  // atomic (__atomic builtins): slots[0..published) are complete
  std::uint64_t dropped = 0;    // atomic likewise: events that did not fit
  buffer* next = nullptr;       // the list of every buffer, pushed once, never unlinked
};
buffer* all_buffers();  // acquire: the list head

// One thread's recording state.
struct recorder {
  buffer* buf = nullptr;  // made at the thread's first event
  // The timestamp of the thread's latest event, and whether the next goroutine start may take it
  // instead of reading the counter again (hooks.hpp: trace::started).
  std::uint64_t stamp = 0;
  bool stamp_reusable = false;
};
extern constinit thread_local recorder t_recorder;

// Appends `count` slots (1 or 2) as one event: the thread's first, one at a chunk boundary
// (populating the next pages first), a create event's two, or one that does not fit.
void append_slow(const slot* slots, std::uint32_t count);

inline void append(std::uint64_t tsc, std::uint64_t bits) {
  buffer* b = t_recorder.buf;
  if (b != nullptr) {
    // Only this thread writes its buffer: a plain read of its own count.
    const std::uint32_t n = b->published;
    if (n % kPopulateChunk != 0) {
      b->slots[n] = {tsc, bits};
      // release: the writer reads slots[0..published) after an acquire load of the count.
      __atomic_store_n(&b->published, n + 1, __ATOMIC_RELEASE);
      return;
    }
  }
  const slot one = {tsc, bits};
  append_slow(&one, 1);
}

// Calls fn(slots, n) for every thread's published slots, then returns how many events were
// dropped.
template <class F>
std::uint64_t for_each_buffer(F fn) {
  std::uint64_t dropped = 0;
  for (buffer* b = all_buffers(); b != nullptr; b = b->next) {
    fn(b->slots, __atomic_load_n(&b->published, __ATOMIC_ACQUIRE));
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
