// Clock slots: the bounded set of timelines that vector clocks index (docs/design/detector.md
// explains why slots and not goroutines).
//
// A context holds a slot while it runs and keeps it while parked until someone needs it: a free
// slot is taken first, then the one of a parked context (round robin, so the one parked longest is
// likely taken), and only if every slot is held by a running context, a running one (it notices at
// its next epoch advance, a parked one when it resumes). Each slot counts epochs; a context that
// takes a slot starts a segment at the slot's next epoch, and the slot's journal records which
// goroutine's segment starts where, so a cell (slot, epoch) can be traced back to a goroutine. A
// slot whose epochs run out is retired until the next global reset; when all are retired, the reset
// starts a new generation (every clock, sync clock and cell of the old one is ignored from then on,
// the shadow is zeroed).
//
// Lock order: g_slots_mu (slot table, allocation) → slot.mu.
#pragma once

#include <atomic>
#include <cstdint>

#include "base.hpp"

namespace goro::race {

struct context;
struct working_clock;

// Who ran a slot from an epoch on: a report names them from here once their record is evicted.
struct journal_entry {
  epoch_t start;
  bool is_thread;  // a plain thread: goid is its thread number
  std::uint32_t rec_id;
  std::int64_t goid;
};

// Maps the slots' journals (detector_init, before any context runs).
void slots_init();
// Bytes of journal entries in use, over every slot (for tests and the memory figures).
std::size_t journal_bytes_in_use();
// Slot sid's journal and the bytes of it in use (for tests: which of its pages are resident).
struct journal_span {
  const void* base;
  std::size_t bytes_in_use;
};
journal_span journal_of(int sid);

// Attaches c (which holds no slot) to a slot, starting a new segment. w: c's working clock.
void slot_attach(context* c, working_clock& w);
// Each slot's holder, or nullptr. Written under the slot's lock (slots.cpp). The holder reads its
// entry without the lock, relaxed, when it resumes and before each epoch advance: a stale answer
// lets it advance once more in a slot it lost, which the taker's gap covers (kPreemptGap).
extern std::atomic<context*> g_slot_owner[kSlots];
// Whether c still holds slot sid (c's own, as it resumes: a parked context keeps its slot until
// someone needs it, and nothing is written when it parks).
inline bool slot_still_held(int sid, const context* c) {
  return g_slot_owner[sid].load(std::memory_order_relaxed) == c;  // relaxed: see g_slot_owner
}
// c gives up its slot for good (goroutine end); its epoch is kept by the slot.
void slot_release(context* c);
// c's slot is exhausted or was taken: fold the old segment into w and attach to another slot.
void slot_reattach(context* c, working_clock& w);
// Brings a context of an older generation up to date: forgets its clock and slot.
void slot_regenerate(context* c, working_clock* w);
// Which goroutine made a cell with this stamp (slot, epoch, generation bits): false if unknown.
bool slot_lookup(std::uint32_t stamp, journal_entry& out);
// Starts a new generation now (tests; also used when every slot is exhausted).
void global_reset();
// How many resets happened.
std::uint32_t reset_count();

}  // namespace goro::race
