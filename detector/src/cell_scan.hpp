// The four cells of a shadow word sorted, all at once, by what an access must do with each: the
// SSE2 part of the race check (access.hpp). Scanning the cells one by one cost about 100
// instructions per access that missed the "already recorded" test, which is every access after a
// synchronisation (a new epoch); the vector form answers the same questions in about 40, leaving
// only the happens-before test, which needs the working clock, to the scalar code.
//
// The answers are 4-bit masks, bit i for cell i. The rules are access.hpp's:
//   free      empty, or of another generation: may be overwritten
//   own       the running segment's access to exactly the same bytes, at least as strong (a read
//             does not replace a write, a plain access does not replace an atomic one)
//   suspect   another segment's access overlapping the bytes, and not read-read or atomic-atomic:
//             a race unless it happened before
//   covering  a suspect with no byte outside the access and no stronger kind, which the access may
//             replace once the clock shows it happened before
#pragma once

#include <emmintrin.h>

#include <cstdint>

#include "base.hpp"
#include "shadow.hpp"

namespace goro::race {

struct cell_classes {
  unsigned free = 0;
  unsigned own = 0;
  unsigned suspect = 0;
  unsigned covering = 0;
};

// The four cells of the shadow word at s (16-byte aligned: each word's cells are 16 bytes at
// twice the word's address), in one 16-byte load, which x86 performs as untorn 4-byte pieces
// (cells race by design, as load_cell in access.hpp says).
__attribute__((always_inline)) inline __m128i load_cells(const raw_cell* s) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(s));
}

// Whether the access cur already sits in the cells: the same access, or for a read, a write of the
// same bytes by the same segment at the same epoch. Then nothing needs checking or tracing.
__attribute__((always_inline)) inline bool holds_access(__m128i cells, raw_cell cur) {
  const __m128i same = _mm_cmpeq_epi32(cells, _mm_set1_epi32(static_cast<int>(cur)));
  const __m128i as_write =
      _mm_cmpeq_epi32(cells, _mm_set1_epi32(static_cast<int>(cur & ~kReadBit)));
  return _mm_movemask_ps(_mm_castsi128_ps(_mm_or_si128(same, as_write))) != 0;
}

// Whether all four cells are empty (memory not accessed since it was allocated or reset): the
// classes are then all free, and nothing else.
__attribute__((always_inline)) inline bool cells_empty(__m128i cells) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(cells, _mm_setzero_si128())) == 0xffff;
}

// The classes of `cells` for the access cur; `seen` receives the cells themselves, the values the
// classes describe. sid and seg_start: the running segment (context.hpp).
__attribute__((always_inline)) inline cell_classes classify_cells(__m128i cells, raw_cell cur,
                                                                  int sid, epoch_t seg_start,
                                                                  raw_cell (&seen)[kCellsPerWord]) {
  static_assert(kCellsPerWord == 4, "one SSE register holds a word's cells");
  _mm_storeu_si128(reinterpret_cast<__m128i*>(seen), cells);
  const auto splat = [](std::uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); };
  const __m128i zero = _mm_setzero_si128();
  const __m128i diff = _mm_xor_si128(cells, splat(cur));

  const __m128i empty = _mm_cmpeq_epi32(cells, zero);
  const __m128i same_gen = _mm_cmpeq_epi32(_mm_and_si128(diff, splat(kGenMask)), zero);
  const __m128i live = _mm_andnot_si128(empty, same_gen);

  // Byte ranges [off, end) of each cell against the access's: all small, so signed compares do.
  const __m128i off = _mm_and_si128(_mm_srli_epi32(cells, kOffsetShift), splat(7));
  const __m128i end = _mm_add_epi32(
      off, _mm_add_epi32(_mm_and_si128(_mm_srli_epi32(cells, 27), splat(7)), splat(1)));
  const __m128i cur_off = splat(cell_offset(cur));
  const __m128i cur_end = splat(cell_offset(cur) + cell_size(cur));
  const __m128i overlap =
      _mm_and_si128(_mm_cmpgt_epi32(cur_end, off), _mm_cmpgt_epi32(end, cur_off));
  const __m128i starts_before = _mm_cmpgt_epi32(cur_off, off);
  const __m128i ends_after = _mm_cmpgt_epi32(end, cur_end);
  const __m128i inside = _mm_cmpeq_epi32(_mm_or_si128(starts_before, ends_after), zero);

  // Ours: our slot, at an epoch of the running segment.
  const __m128i same_sid =
      _mm_cmpeq_epi32(_mm_and_si128(cells, splat(0xff)), splat(static_cast<std::uint32_t>(sid)));
  const __m128i epoch = _mm_and_si128(_mm_srli_epi32(cells, kEpochShift), splat(kMaxEpoch));
  const __m128i ours = _mm_andnot_si128(_mm_cmpgt_epi32(splat(seg_start), epoch), same_sid);

  // kind: the access's read and atomic bits. A cell sharing one of them never conflicts with it
  // (two reads, two atomics); a cell having both is at least as strong.
  const raw_cell kind = cur & (kReadBit | kAtomicBit);
  const __m128i cell_kind = _mm_and_si128(cells, splat(kind));
  const __m128i shares_no_kind = _mm_cmpeq_epi32(cell_kind, zero);
  const __m128i strong = _mm_cmpeq_epi32(cell_kind, splat(kind));
  const __m128i same_piece = _mm_cmpeq_epi32(_mm_and_si128(diff, splat(kPieceMask)), zero);

  const __m128i own = _mm_and_si128(_mm_and_si128(live, ours), _mm_and_si128(same_piece, strong));
  const __m128i suspect =
      _mm_andnot_si128(ours, _mm_and_si128(_mm_and_si128(live, overlap), shares_no_kind));
  const __m128i covering = _mm_and_si128(suspect, _mm_and_si128(inside, strong));

  const auto bits = [](__m128i m) {
    return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(m)));
  };
  return {bits(live) ^ 0xfu, bits(own), bits(suspect), bits(covering)};
}

}  // namespace goro::race
