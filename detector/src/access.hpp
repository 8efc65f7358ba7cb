// The race check of one memory access against its shadow word: the detector's hot path, inlined
// into every access hook (access.cpp, atomics.cpp, runtime_hooks.cpp).
//
// For each of the word's four cells: an empty cell or one of another generation is free; a cell
// whose bytes do not overlap the access is left alone; a cell of the running segment itself never
// races (and is replaced if the new access subsumes it); two reads, or two atomics, never race;
// otherwise the cell races unless the working clock shows its (slot, epoch) happened before (a
// dead stack variable's marker always does, and is then checked: stack_lifetime.hpp). The
// access is then stored in, by preference, the own cell it subsumes, a free cell, a cell it
// subsumes that happened before it (a later access racing with that cell would race with this one
// too), or a pseudo-random cell. Four cells per word lose information only when more than four
// unordered accesses hit the same word (as TSan: a missed race, never a false one).
#pragma once

#include <cstdint>

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

// Whether the access `cur` already sits in the word (the same access, or for a read, a write of the
// same bytes by the same segment at the same epoch): then nothing needs checking or tracing.
__attribute__((always_inline)) inline bool already_recorded(const raw_cell* s, raw_cell cur) {
  const raw_cell as_write = cur & ~kReadBit;
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell old = load_cell(s + i);
    if (old == cur || old == as_write) return true;
  }
  return false;
}

// Checks cur against the word at `word` and stores it. pc: the access's return address, for a
// report.
__attribute__((always_inline)) inline void check_and_store(context* c, std::uintptr_t word,
                                                           raw_cell* s, raw_cell cur,
                                                           std::uintptr_t pc) {
  const std::uint32_t cur_mask = cell_mask(cur);
  const bool read = cell_read(cur);
  const bool atomic = cell_atomic(cur);
  const epoch_t* clock = tls.vc.e;
  int own = -1, free_cell = -1, covered = -1;
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell old = load_cell(s + i);
    if (old == 0 || ((old ^ cur) & kGenMask) != 0) {
      if (free_cell < 0) free_cell = i;
      continue;
    }
    const std::uint32_t old_mask = cell_mask(old);
    if ((old_mask & cur_mask) == 0) continue;
    const bool old_read = cell_read(old);
    const bool old_atomic = cell_atomic(old);
    if (cell_sid(old) == c->sid && cell_epoch(old) >= c->seg_start) {
      // Ours. Replace it if the new access is at least as strong on the same bytes.
      if (((old ^ cur) & kPieceMask) == 0 && old_read >= read && old_atomic >= atomic) own = i;
      continue;
    }
    if ((read && old_read) || (atomic && old_atomic)) continue;
    if (clock[cell_sid(old)] >= cell_epoch(old)) {
      if (GORO_UNLIKELY(cell_epoch(old) == 0)) {  // a dead stack variable (stack_lifetime.hpp)
        if (on_own_stack(c, word)) {
          if (free_cell < 0) free_cell = i;  // our own frames reuse the memory
          continue;
        }
        store_cell(s + i, cur);
        report_after_return(c, word, cur, old, pc);
        return;
      }
      if ((old_mask & ~cur_mask) == 0 && (!read || old_read) && (!atomic || old_atomic)) {
        covered = i;
      }
      continue;
    }
    store_cell(s + i, cur);  // the next access of the same pair does not trap again
    report_race(c, word, cur, old, pc);
    return;
  }
  int at = own >= 0 ? own : free_cell >= 0 ? free_cell : covered;
  if (at < 0) at = static_cast<int>(tls.evict++ & (kCellsPerWord - 1));
  store_cell(s + at, cur);
}

// A plain or atomic access of size bytes (1..8) at addr, possibly spanning two words.
__attribute__((always_inline)) inline void access(context* c, std::uintptr_t addr, unsigned size,
                                                  bool read, bool atomic, std::uintptr_t pc) {
  const unsigned offset = static_cast<unsigned>(addr & 7);
  const std::uintptr_t word = addr & ~std::uintptr_t{7};
  raw_cell* s = shadow_of(word);
  if (GORO_LIKELY(offset + size <= 8)) {
    const raw_cell cur = make_cell(c->stamp, offset, size, read, atomic);
    if (already_recorded(s, cur)) return;
    trace_access(c, c->rec, pc, addr, size, read, atomic);
    check_and_store(c, word, s, cur, pc);
    return;
  }
  trace_access(c, c->rec, pc, addr, size, read, atomic);
  const unsigned first = 8 - offset;
  check_and_store(c, word, s, make_cell(c->stamp, offset, first, read, atomic), pc);
  check_and_store(c, word + 8, shadow_of(word + 8),
                  make_cell(c->stamp, 0, size - first, read, atomic), pc);
}

// An access of any size: one history event, then every word.
void access_range(context* c, std::uintptr_t addr, std::size_t size, bool read, std::uintptr_t pc);

// The lowest stack address the context has used, for resetting a goroutine stack's used part.
inline void note_sp(context* c, std::uintptr_t sp) {
  if (sp < c->min_sp) c->min_sp = sp;
}

}  // namespace goro::race
