// Dead stack variables' markers (stack_lifetime.hpp): written when a variable dies, cleared when
// one is born at the same address.
#include "stack_lifetime.hpp"

#include "access.hpp"

namespace goro::race {
namespace {

// Calls fn(word, offset, size) for every word piece of [addr, addr+size).
template <class F>
void for_each_piece(std::uintptr_t addr, std::size_t size, F fn) {
  const std::uintptr_t end = addr + size;
  for (std::uintptr_t word = addr & ~std::uintptr_t{7}; word < end; word += 8) {
    const std::uintptr_t lo = word < addr ? addr : word;
    const std::uintptr_t hi = word + 8 < end ? word + 8 : end;
    fn(word, static_cast<unsigned>(lo - word), static_cast<unsigned>(hi - lo));
  }
}

bool within_own_stack(const context* c, std::uintptr_t addr, std::size_t size) {
  return size > 0 && addr >= c->stack_lo && addr + size <= c->stack_hi && addr + size > addr;
}

// The whole word's cells at s go: what its earlier occupants saw is over (their accesses happened
// before this goroutine went on to here). Written only if something is there: shadow never touched
// reads as the shared zero page, and a write would commit it.
void clear_word(raw_cell* s) {
  if (!cells_empty(load_cells(s)))
    _mm_store_si128(reinterpret_cast<__m128i*>(s), _mm_setzero_si128());
}

}  // namespace

void stack_range_dead(context* c, std::uintptr_t addr, std::size_t size) {
  if (!within_own_stack(c, addr, size)) return;
  for_each_piece(addr, size, [&](std::uintptr_t word, unsigned offset, unsigned n) {
    note_cell_stored(word);
    store_cell(shadow_of(word) + kCellsPerWord - 1, make_dead_stack_cell(c->stamp, offset, n));
  });
}

void stack_range_live(context* c, std::uintptr_t addr, std::size_t size) {
  if (!within_own_stack(c, addr, size)) return;
  if (size == 8 && (addr & 7) == 0) {  // one aligned word (a pointer, a size, a channel's int)
    clear_word(shadow_of(addr));
    return;
  }
  for_each_piece(addr, size, [&](std::uintptr_t word, unsigned offset, unsigned n) {
    raw_cell* s = shadow_of(word);
    if (n == 8) {
      clear_word(s);
      return;
    }
    const std::uint32_t mask = ((1u << n) - 1) << offset;
    for (int i = 0; i < kCellsPerWord; ++i) {
      const raw_cell old = load_cell(s + i);
      if (is_dead_stack_cell(old) && (cell_mask(old) & mask) != 0) store_cell(s + i, 0);
    }
  });
}

raw_cell dead_stack_cell_in(const raw_cell* s, raw_cell cur) {
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell old = load_cell(s + i);
    if (is_dead_stack_cell(old) && ((old ^ cur) & kGenMask) == 0 &&
        (cell_mask(old) & cell_mask(cur)) != 0) {
      return old;
    }
  }
  return 0;
}

}  // namespace goro::race
