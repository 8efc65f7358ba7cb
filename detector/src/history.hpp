// Per-goroutine event history: what the detector needs to print the stack of the *previous* access
// of a race, long after it happened.
//
// A shadow cell keeps only (slot, epoch, bytes, kind) of an access. To print its stack, the
// detector finds which goroutine ran that slot at that epoch (the slot's journal, slots.hpp), then
// replays that goroutine's ring of events: function entries and exits rebuild the call stack, time
// events say which (slot, epoch) the following accesses belong to, and the first access that
// matches the cell gives the stack. As in TSan v3 (tsan_trace.h), only the history is kept, never a
// stack per access.
//
// The ring is 8-byte events, a power of two in size, written only by its goroutine. It is read in
// two halves: every half begins with a checkpoint (the current call stack, the current time and
// pc), so a replay can start at the oldest half still intact, wherever the ring has wrapped. A ring
// starts at kInitialEvents (256 bytes: a million parked goroutines must stay cheap), doubles when
// it is full while it is under the GORACE history_size limit and the global budget, and is kept
// after its goroutine ends (for reports naming a finished goroutine) until the budget or the count
// of finished goroutines evicts it.
//
// Event encoding (bit 63 set: a memory access, the common case, in one word):
//   access:  63=1, 62 atomic, 61 read, 58..60 size-1, 44..57 pc delta (+8192) from the previous pc,
//            0..43 address mod 2^44 (the shadow's index space). Bits 58..62 are the access's cell
//            bits 27..31 (shadow.hpp) as they are, so the event takes them in one shift.
//   other:   63=0, 59..62 type, payload below:
//     enter       0..47 the instrumented function's return address (caller pc)
//     exit        -
//     time        0..23 a stamp (slot, epoch, generation): following accesses belong to it
//     pc          0..47 sets the previous pc, for accesses whose delta does not fit
//     range       58 read, 0..43 address; the next word is the size (memcpy, memset, aggregates)
//     checkpoint  0..31 stack depth d; followed by d enter events, a time and a pc event
#pragma once

#include <atomic>
#include <cstdint>

#include "base.hpp"

namespace goro::race {

struct context;

constexpr std::uint32_t kInitialEvents = 32;
// Finished goroutines whose records (creation stack, history) are kept for reports: a record is
// evicted, oldest first, once this many finished after it. Each thread hands its finished records
// over kRecordBatch at a time, so up to that many per thread wait a little longer.
constexpr std::uint32_t kMaxFinished = 1u << 10;
constexpr std::uint32_t kRecordBatch = 32;
constexpr int kMaxRestoredFrames = 64;

namespace ev {
constexpr std::uint64_t kAccess = std::uint64_t{1} << 63;
enum type : std::uint64_t { enter = 1, exit = 2, time = 3, pc = 4, range = 5, checkpoint = 6 };
constexpr int kTypeShift = 59;
constexpr std::uint64_t kPcMask = (std::uint64_t{1} << 48) - 1;
constexpr std::uint64_t kAddrMask = (std::uint64_t{1} << 44) - 1;
constexpr std::uint64_t kDeltaBias = 8192;
constexpr std::uint64_t kDeltaLimit = 16384;
inline std::uint64_t make(type t, std::uint64_t payload) {
  return (static_cast<std::uint64_t>(t) << kTypeShift) | payload;
}
inline type type_of(std::uint64_t e) { return static_cast<type>((e >> kTypeShift) & 0xf); }
}  // namespace ev

// One goroutine's (or thread's) life, as reports name it: who it was, where it was created, and its
// history. Outlives the goroutine (see the file comment); found by id through the records table.
struct record {
  // Ring state. Written by the owner only; mu is held by the owner when it replaces the ring or
  // starts overwriting a full one (trace_boundary), and by a reader (report) while it replays, so
  // the ring a reader walks is never freed or overwritten under it.
  futex_lock mu;
  std::uint64_t* ring = nullptr;
  std::uint32_t mask = 0;       // capacity - 1
  std::uint32_t half_mask = 0;  // capacity / 2 - 1; 0 while there is no ring (every event is slow)
  std::atomic<std::uint64_t> pos{0};
  std::uint64_t valid_from = 0;  // events before this position were lost when the ring grew
  std::uintptr_t prev_pc = 0;

  std::int64_t goid = 0;  // goroutine id, or the thread number for a plain thread
  bool is_thread = false;
  bool is_main = false;
  std::atomic<bool> finished{false};
  std::uint32_t id = 0;
  std::uint32_t create_stack = 0;  // stack depot id; 0: none
};

// A stack restored from a history: pcs innermost first (the access pc, then the return addresses of
// the enclosing instrumented functions).
struct restored_stack {
  std::uintptr_t pcs[kMaxRestoredFrames];
  int n = 0;
};

// ---- records (history.cpp)
record* record_new(std::int64_t goid, bool is_thread, bool is_main, std::uint32_t create_stack);
// The goroutine ended: the record joins the finished ones, kept while the budget allows.
void record_finish(record* r);
// The calling thread ends: its finished records and unused ids go to the shared lists.
void records_thread_exit();
// Runs f(record*) under the records lock with the record of id if it still exists and is goid's
// (nullptr otherwise).
template <class F>
void with_record(std::uint32_t id, std::int64_t goid, F&& f);
record* record_lookup_locked(std::uint32_t id);
void records_lock();
void records_unlock();
// Sets the per-ring maximum from GORACE history_size (0..7).
void set_history_size(int history_size);

// ---- tracing (the owner only)
// Allocates, checkpoints or grows the ring at a half boundary; returns the position to write at.
std::uint64_t trace_boundary(context* c);

inline void trace_event(context* c, record* r, std::uint64_t e) {
  std::uint64_t p = r->pos.load(std::memory_order_relaxed);  // relaxed: only the owner writes pos
  if (GORO_UNLIKELY((p & r->half_mask) == 0)) p = trace_boundary(c);
  r->ring[p & r->mask] = e;
  // release: a reader that sees the new position also sees the event.
  r->pos.store(p + 1, std::memory_order_release);
}

// kind: the access's size-1, read and atomic bits, as bits 27..31 of its cell hold them
// (access_kind in shadow.hpp).
inline void trace_access(context* c, record* r, std::uintptr_t pc, std::uintptr_t addr,
                         std::uint32_t kind) {
  // prev_pc changes only after the event is written: a checkpoint written on the way records the pc
  // the delta is relative to.
  std::uint64_t delta = pc - r->prev_pc + ev::kDeltaBias;
  if (GORO_UNLIKELY(delta >= ev::kDeltaLimit)) {
    trace_event(c, r, ev::make(ev::pc, pc & ev::kPcMask));
    r->prev_pc = pc;
    delta = ev::kDeltaBias;
  }
  trace_event(c, r,
              ev::kAccess | (static_cast<std::uint64_t>(kind) << 58) | (delta << 44) |
                  (addr & ev::kAddrMask));
  r->prev_pc = pc;
}

void trace_range(context* c, record* r, std::uintptr_t pc, std::uintptr_t addr, std::size_t size,
                 bool read);

// ---- replay
// Finds in r's history the access that made a cell: stamp (slot, epoch, generation bits 0..23), the
// bytes [lo, hi) of memory it covered, read/atomic. Fills out and returns true if found.
bool restore_access(record* r, std::uint32_t stamp, std::uintptr_t lo, std::uintptr_t hi, bool read,
                    bool atomic, restored_stack& out);

template <class F>
void with_record(std::uint32_t id, std::int64_t goid, F&& f) {
  records_lock();
  record* r = record_lookup_locked(id);
  if (r != nullptr && r->goid != goid) r = nullptr;
  f(r);
  records_unlock();
}

}  // namespace goro::race
