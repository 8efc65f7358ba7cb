// The race check of one memory access against its shadow word: the detector's hot path. Its first
// test ("already recorded") is inlined into every access hook (access.cpp, atomics.cpp,
// runtime_hooks.cpp); the rest runs out of line in access.cpp.
//
// For each of the word's four cells: an empty cell or one of another generation is free; a cell
// whose bytes do not overlap the access is left alone; a cell of the running segment itself never
// races (and is replaced if the new access subsumes it); two reads, or two atomics, never race;
// otherwise the cell races unless the working clock shows its (slot, epoch) happened before (a
// dead stack variable's marker always does, and is then checked: stack_lifetime.hpp). The
// access is then stored in, by preference, the own cell it subsumes, a free cell, a cell it
// subsumes that happened before it (a later access racing with that cell would race with this one
// too), or a pseudo-random cell. Four cells per word lose information only when more than four
// unordered accesses hit the same word (as TSan: a missed race, never a false one). The cells are
// sorted by these rules four at a time (cell_scan.hpp); only the clock test runs cell by cell.
#pragma once

#include <cstdint>

#include "cell_scan.hpp"
#include "context.hpp"
#include "history.hpp"
#include "report.hpp"
#include "shadow.hpp"
#include "stack_lifetime.hpp"

namespace goro::race {

inline raw_cell load_cell(const raw_cell* p) {
  // relaxed: cells are racy by design; a lost or torn-free stale cell costs precision, not safety.
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}
// relaxed: as load_cell.
inline void store_cell(raw_cell* p, raw_cell v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

// Stores v in a cell that still holds `was`, the value the check saw there. relaxed: the exchange
// orders nothing; being a read-modify-write of the cell, it fails if another thread stored there
// since, whichever of the two stores the other's core saw first.
inline bool claim_cell(raw_cell* p, raw_cell was, raw_cell v) {
  return __atomic_compare_exchange_n(p, &was, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

// Checks cur against the word at `word`, whose cells at s were loaded as `cells`, and stores it.
// pc: the access's return address, for a report.
//
// Two threads that check the same word at nearly the same moment each see the cells without the
// other's access, and the race between them goes unreported. Most such pairs are the first
// accesses to a word (fresh memory, or a fresh shadow page, whose first store waits for a page
// fault: microseconds during which every other thread still reads zeros) and pick the same free
// cell. A free cell is therefore claimed with a compare-and-swap: the loser loads the cells again
// and checks against the winner's access. Cells replaced over a live access keep a plain store
// (the window TSan has too); the exchange would cost every access that follows a synchronisation.
__attribute__((always_inline)) inline void check_and_store(context* c, std::uintptr_t word,
                                                           raw_cell* s, __m128i cells, raw_cell cur,
                                                           std::uintptr_t pc) {
  note_cell_stored(word);
  for (;;) {
    if (cells_empty(cells)) {  // fresh memory: nothing to check, the first cell is free
      if (GORO_LIKELY(claim_cell(s, 0, cur))) return;
      cells = load_cells(s);
      continue;
    }
    raw_cell seen[kCellsPerWord];
    const cell_classes cls = classify_cells(cells, cur, c->sid, c->seg_start, seen);
    unsigned free_cells = cls.free;
    int covered = -1;
    const epoch_t* clock = tls.vc->e;
    for (unsigned left = cls.suspect; left != 0; left &= left - 1) {
      const int i = __builtin_ctz(left);
      const raw_cell old = seen[i];
      if (GORO_LIKELY(clock[cell_sid(old)] >= cell_epoch(old))) {
        if (GORO_UNLIKELY(cell_epoch(old) == 0)) {  // a dead stack variable (stack_lifetime.hpp)
          if (on_own_stack(c, word)) {
            free_cells |= 1u << i;  // our own frames reuse the memory
            continue;
          }
          store_cell(s + i, cur);
          report_after_return(c, word, cur, old, pc);
          return;
        }
        if ((cls.covering >> i) & 1) covered = i;
        continue;
      }
      store_cell(s + i, cur);  // the next access of the same pair does not trap again
      report_race(c, word, cur, old, pc);
      return;
    }
    if (cls.own != 0) {
      store_cell(s + (31 - __builtin_clz(cls.own)), cur);
      return;
    }
    if (free_cells != 0) {
      const int at = __builtin_ctz(free_cells);
      if (GORO_LIKELY(claim_cell(s + at, seen[at], cur))) return;
      cells = load_cells(s);
      continue;
    }
    store_cell(s + (covered >= 0 ? covered : static_cast<int>(tls.evict++ & (kCellsPerWord - 1))),
               cur);
    return;
  }
}

// The parts of access() after its "already recorded" test: the history event, the check and the
// store (access.cpp). Out of line, so that the test, which most accesses end at, needs no frame.
// record_access: the access cur within the word at addr & ~7, which access() found not held.
void record_access(context* c, std::uintptr_t addr, raw_cell cur, std::uintptr_t pc);
// An unaligned access that spans two words.
void record_spanning_access(context* c, std::uintptr_t addr, unsigned size, bool read, bool atomic,
                            std::uintptr_t pc);

// A plain or atomic access of size bytes (1..8) at addr, possibly spanning two words.
__attribute__((always_inline)) inline void access(context* c, std::uintptr_t addr, unsigned size,
                                                  bool read, bool atomic, std::uintptr_t pc) {
  const unsigned offset = static_cast<unsigned>(addr & 7);
  if (GORO_UNLIKELY(offset + size > 8)) {
    record_spanning_access(c, addr, size, read, atomic, pc);
    return;
  }
  const raw_cell cur = make_cell(c->stamp, offset, size, read, atomic);
  const __m128i cells = load_cells(shadow_of(addr));
  if (holds_access(cells, cur)) return;
  record_access(c, addr, cur, pc);
}

// An access of any size: one history event, then every word.
void access_range(context* c, std::uintptr_t addr, std::size_t size, bool read, std::uintptr_t pc);

// The lowest stack address the context has used, for resetting a goroutine stack's used part.
inline void note_sp(context* c, std::uintptr_t sp) {
  if (sp < c->min_sp) c->min_sp = sp;
}

}  // namespace goro::race
