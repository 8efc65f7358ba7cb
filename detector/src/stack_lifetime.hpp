// Stack variables whose life has ended, for the "stack use after return" report: a goroutine that
// reaches a local of a frame that has returned (a by-reference capture that outlived its function,
// the C++ bug a garbage collector hides).
//
// The plugin calls __goro_stack_live / __goro_stack_dead (race_abi.h) around the life of every
// stack variable whose address escapes: at its lifetime markers when the optimiser left them (the
// scope of the variable, inlined functions included), else at its function's entry and exits
// (-O0). Only escaping variables matter: no other goroutine can name the others.
//
// A dead variable's bytes carry a marker in the shadow: a cell of epoch 0, which no access ever has
// (slots number epochs from 1), covering the dead bytes of the word. The race check meets it as an
// old access that happened before anything (clock entries are never below 0), so the marker costs
// nothing until an access overlaps it; check_and_store then asks whether the accessor owns the
// stack. The owner's own later frames may reuse the memory: their accesses pass (and replace the
// marker). Anyone else's access is the report. A variable that comes to life clears the markers on
// its bytes, so an uninitialised buffer handed to another goroutine to fill is not taken for a
// dead one.
//
// The marker goes in the word's last cell: accesses take free cells first, so the owner's last
// accesses usually survive in the others and give the report its previous stack (where the frame
// used the variable). A word shared by two variables keeps one marker: a missed report at worst.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.hpp"
#include "shadow.hpp"

namespace goro::race {

constexpr raw_cell kDeadStackSid =
    0xff;  // any sid would do; this one keeps a 1-byte marker non-zero

// The marker for bytes [offset, offset+size) of a word, in the generation of stamp.
inline raw_cell make_dead_stack_cell(std::uint32_t stamp, unsigned offset, unsigned size) {
  return kDeadStackSid | (stamp & kGenMask) | (offset << kOffsetShift) | ((size - 1) << 27);
}

inline bool is_dead_stack_cell(raw_cell c) { return cell_epoch(c) == 0 && c != 0; }

// Whether word lies in the stack c runs on (a goroutine's, or a plain thread's).
inline bool on_own_stack(const context* c, std::uintptr_t word) {
  return word >= c->stack_lo && word < c->stack_hi;
}

// [addr, addr+size) of c's stack has died (marked) or come to life (markers cleared). Ranges
// outside c's own stack are ignored.
void stack_range_dead(context* c, std::uintptr_t addr, std::size_t size);
void stack_range_live(context* c, std::uintptr_t addr, std::size_t size);

// The marker among the word's cells that the access `cur` overlaps, or 0.
raw_cell dead_stack_cell_in(const raw_cell* s, raw_cell cur);

}  // namespace goro::race
