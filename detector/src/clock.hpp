// Vector clocks over slots, in the three shapes the detector keeps them:
//  - working_clock: the running goroutine's clock, one per thread (M) in TLS, full width, so that
//    the race check reads an entry with one indexed load;
//  - frozen_clock: a parked goroutine's clock, a shared immutable snapshot plus up to kExtras
//    entries that differ from it. A million goroutines spawned by one loop share one snapshot; a
//    goroutine that parks without having acquired anything new keeps its snapshot;
//  - sync_clock: the clock stored in a sync object (mutex, channel slot, atomic), sized to the
//    highest slot it mentions.
// A clock entry e[s] = k means: every event of slot s with epoch <= k happens before the holder.
// The holder's own current segment is not in its clock (see context.hpp: seg_start).
//
// Clocks grow to the full kSlots entries in long runs (slots whose epochs ran out stay in every
// clock until the next global reset), so acquire and merge compare and raise eight entries at a
// time with SSE2, which every x86-64 CPU has.
#pragma once

#include <atomic>
#include <cstdint>

#include "base.hpp"

namespace goro::race {

constexpr int kExtras = 3;
// Clock operations work on lanes of kLanes entries (one 16-byte vector register).
constexpr int kLanes = 8;
static_assert(kSlots % kLanes == 0);

struct snapshot {
  std::atomic<std::uint32_t> refs;
  std::uint16_t n;   // entries [0, n); the rest are zero
  std::uint64_t id;  // unique (next_clock_version): a freed snapshot's is never reused
  epoch_t e[1];      // really n entries
};

struct frozen_clock {
  snapshot* snap = nullptr;  // owned reference, may be null (all zero)
  std::uint8_t nextra = 0;
  std::uint8_t extra_sid[kExtras] = {};
  epoch_t extra_epoch[kExtras] = {};
  // Changes with every change of the clock, to a value no clock had before (next_clock_version):
  // a working copy made at version v is still the clock while the version is v (context.hpp's
  // cached clocks).
  std::uint64_t version = 0;
};

struct working_clock {
  epoch_t e[kSlots];
  std::uint16_t n;  // entries [n, kSlots) are zero
  // Entries changed since the clock was loaded from its frozen form: up to kExtras are kept as
  // extras when it is frozen again, more make a new snapshot.
  std::uint8_t dirty[kExtras];
  std::uint8_t ndirty;
  bool overflow;
  // Some entry changed since the clock was last thawed from, or frozen into, its frozen form (which
  // it then still equals: freeze has nothing to do).
  bool changed;
  // The id of the snapshot the clock equals outside its dirty set unless it overflowed (0: the
  // all-zero clock): thawing a clock of the same snapshot into it puts back the dirty entries
  // instead of copying the whole width (a spawning loop's goroutines share one snapshot).
  std::uint64_t base;

  void set(int sid, epoch_t v) {
    e[sid] = v;
    changed = true;
    if (sid >= n) n = static_cast<std::uint16_t>(sid + 1);
    mark_dirty(sid);
  }
  void raise(int sid, epoch_t v) {
    if (e[sid] < v) set(sid, v);
  }
  void mark_dirty(int sid) {
    for (int i = 0; i < ndirty; ++i) {
      if (dirty[i] == sid) return;
    }
    if (ndirty < kExtras) {
      dirty[ndirty++] = static_cast<std::uint8_t>(sid);
    } else {
      overflow = true;
    }
  }
  void clear();
};

// Entries [n, cap) are zero and cap is a multiple of kLanes, so the clock operations read and
// write whole lanes without bounds checks.
struct sync_clock {
  epoch_t* e = nullptr;  // internal_alloc'ed, cap entries
  std::uint16_t n = 0;
  std::uint16_t cap = 0;
  std::uint32_t gen = 0;  // the global generation the entries belong to
  // A snapshot every entry of which this clock has (an owned reference), or nullptr: a goroutine
  // whose clock is that snapshot plus its dirty entries merges only those (clock_release_merge).
  // Set by merges, dropped by stores; meaningful in generation gen only.
  snapshot* covers = nullptr;

  void release_to_empty() noexcept;
};

// Picks the clock loops' instructions for this CPU (detector_init, before any clock operation):
// AVX2's, two lanes at a time, where the CPU has it and allow_wide (tests run both), else SSE2's.
void clocks_init(bool allow_wide = true);
// Whether the loops take two lanes at a time (AVX2); reset_shadow (shadow.cpp) follows the same
// choice.
bool clocks_wide();

// ---- snapshots
void snapshot_ref(snapshot* s);
void snapshot_unref(snapshot* s);
// A snapshot of the first n entries of w (trailing zeros trimmed).
snapshot* snapshot_of(const working_clock& w);

// ---- frozen <-> working
// A version no frozen clock had before (never 0): per-thread blocks of 2^32 from a global count.
extern constinit GORO_TLS std::uint64_t t_last_clock_version;  // 0: no block yet
std::uint64_t next_clock_version_block();
inline std::uint64_t next_clock_version() {
  const std::uint64_t v = t_last_clock_version + 1;
  if (GORO_UNLIKELY(static_cast<std::uint32_t>(v) <= 1)) return next_clock_version_block();
  t_last_clock_version = v;
  return v;
}
void frozen_clear(frozen_clock& f);
// w = f (w's dirty set starts as f's extras).
void thaw(const frozen_clock& f, working_clock& w);
// f = w. Keeps f's snapshot if w differs from it in at most kExtras entries (the dirty set).
void freeze_changed(working_clock& w, frozen_clock& f);
inline void freeze(working_clock& w, frozen_clock& f) {
  // Unchanged since it was thawed from f or frozen into it: f is w already (a goroutine that only
  // yields), and keeps its version, so this thread's copy stays current.
  if (w.changed || w.overflow) freeze_changed(w, f);
}
// f = f with entry sid raised to at least epoch, copying a shared snapshot only if needed.
void frozen_raise(frozen_clock& f, int sid, epoch_t epoch);
// A per-thread working clock for operating on a parked goroutine's clock (thaw, change, freeze).
// Not reentrant: the caller finishes with it before anything else may use it.
working_clock& scratch_clock();

// a and b both become a joined with b, in one pass (two goroutines' clocks meeting without a sync
// object in between: a channel hand-off). Each marks dirty the entries it took from the other.
void clock_exchange(working_clock& a, working_clock& b);

// ---- sync objects. `own_sid/own_epoch` is the releasing segment, added to what is published.
void clock_acquire(working_clock& w, const sync_clock& s, std::uint32_t gen);
void clock_release_store(const working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                         std::uint32_t gen);
// base: the snapshot of w's frozen form (the running context's clk.snap), which w equals outside
// its dirty set unless it overflowed, and never falls below.
void clock_release_merge(const working_clock& w, snapshot* base, int own_sid, epoch_t own_epoch,
                         sync_clock& s, std::uint32_t gen);
// clock_acquire then clock_release_store on the same sync clock, in one pass (a buffered channel's
// slot: Go's racereleaseacquire).
void clock_acquire_release(working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                           std::uint32_t gen);
// clock_release_store of a parked goroutine's clock, without thawing it.
void frozen_release_store(const frozen_clock& f, int own_sid, epoch_t own_epoch, sync_clock& s,
                          std::uint32_t gen);

}  // namespace goro::race
