// Shadow memory: where the detector remembers, for every 8 bytes of the program's memory, the last
// few accesses to it (the cells), and the meta shadow that finds a sync object from an address.
//
// Layout (x86-64, 47-bit user space). Application memory lives in three ranges, which stay distinct
// modulo 2^44 (16 TiB), so one mask folds them into a 16 TiB index space (after "->", in units of
// 2^32):
//   [0x000000000000, 0x008000000000)  non-PIE binaries, brk heap, MAP_32BIT  -> [0x000, 0x080)
//   [0x550000000000, 0x5a0000000000)  PIE binaries and their brk heap        -> [0x500, 0xa00)
//   [0x7a0000000000, 0x800000000000)  mmap area: libraries, thread stacks, big malloc chunks,
//                                     goroutine stack slabs, main stack      -> [0xa00, 0x1000)
// Addresses elsewhere alias into the same space harmlessly (they may share cells with one of the
// ranges above; nothing faults).
//   shadow  = kShadowBase + (addr mod 2^44, rounded down to 8) * 2: 4 cells of 4 bytes per 8 bytes
//   meta    = kMetaBase + (addr mod 2^44) / 8 * 4: a sync-object index per 8 bytes
//   summary = kSummaryBase + (addr mod 2^44) / 64 KiB: "a sync object may live here"
//   windows = kWindowsBase + (addr mod 2^44) / 64 KiB: "this window's shadow was populated"
//   stored  = kStoredBase + (addr mod 2^44) / 4 KiB: "a cell was stored for this page" (below)
// All five are reserved at start-up with MAP_NORESERVE|MAP_FIXED_NOREPLACE in the hole between the
// low binaries and the PIE range, and cost physical memory only where touched.
//
// A cell (32 bits):
//   bits  0..7   slot id of the accessor's segment
//   bits  8..21  epoch of the access in that slot (1..16383; a cell with epoch 0 is no access but
//                the marker of a dead stack variable, stack_lifetime.hpp)
//   bits 22..23  generation (low bits of the global reset counter): cells of an older generation
//                are ignored, which makes a reset safe against goroutines still writing stale cells
//   bits 24..26  offset of the first byte within the 8-byte word
//   bits 27..29  size - 1 (1..8 bytes, so any contiguous piece of a word is one cell)
//   bit  30      read
//   bit  31      atomic
// The all-zero cell is empty.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base.hpp"

namespace goro::race {

using raw_cell = std::uint32_t;

constexpr std::uintptr_t kAppMask = (std::uintptr_t{1} << 44) - 1;
constexpr std::uintptr_t kShadowBase = 0x010000000000;  // 32 TiB
constexpr std::uintptr_t kShadowSize = 0x200000000000;
constexpr std::uintptr_t kMetaBase = 0x220000000000;  // 8 TiB
constexpr std::uintptr_t kMetaSize = 0x080000000000;
constexpr std::uintptr_t kSummaryBase = 0x2b0000000000;  // 256 MiB
constexpr std::uintptr_t kSummarySize = std::uintptr_t{1} << 28;
constexpr int kSummaryShift = 16;
constexpr std::uintptr_t kWindowsBase = 0x2c0000000000;  // 256 MiB
constexpr std::uintptr_t kWindowsSize = std::uintptr_t{1} << 28;
constexpr int kWindowShift = 16;
constexpr std::uintptr_t kStoredBase = 0x2d0000000000;  // 4 GiB
constexpr std::uintptr_t kStoredSize = std::uintptr_t{1} << 32;
constexpr int kStoredShift = 12;

constexpr int kCellsPerWord = 4;

constexpr raw_cell kReadBit = 1u << 30;
constexpr raw_cell kAtomicBit = 1u << 31;
constexpr int kGenShift = 22;
constexpr int kEpochShift = 8;
constexpr int kOffsetShift = 24;
constexpr raw_cell kGenMask = 3u << kGenShift;
constexpr raw_cell kPieceMask = 0x3fu << kOffsetShift;  // offset and size

inline raw_cell* shadow_of(std::uintptr_t addr) {
  return reinterpret_cast<raw_cell*>(kShadowBase + ((addr & kAppMask & ~std::uintptr_t{7}) << 1));
}
inline std::uint32_t* meta_of(std::uintptr_t addr) {
  return reinterpret_cast<std::uint32_t*>(kMetaBase + (((addr & kAppMask) >> 3) << 2));
}
inline std::uint8_t* summary_of(std::uintptr_t addr) {
  return reinterpret_cast<std::uint8_t*>(kSummaryBase + ((addr & kAppMask) >> kSummaryShift));
}
inline std::uint8_t* window_of(std::uintptr_t addr) {
  return reinterpret_cast<std::uint8_t*>(kWindowsBase + ((addr & kAppMask) >> kWindowShift));
}
inline std::uint8_t* stored_mark_of(std::uintptr_t addr) {
  return reinterpret_cast<std::uint8_t*>(kStoredBase + ((addr & kAppMask) >> kStoredShift));
}

// Every cell store (check_and_store, a dead stack variable's marker) first marks its word's 4 KiB
// page, so that a goroutine's end can skip the shadow of pages nothing was stored for
// (reset_stored_shadow). The mark is tested before it is written: most stores land in pages
// marked long ago, and an unconditional store would pull the line into every writer's cache in
// turn. relaxed (both): a reset that must see a cell runs after its store in happens-before order
// (the goroutine's own store, or another's ordered before the goroutine's end), which makes the
// mark visible with it; a store racing with the end of the goroutine whose stack it hits is a use
// after return, whose cells no reset has ever promised to catch.
inline void note_cell_stored(std::uintptr_t addr) {
  std::uint8_t* mark = stored_mark_of(addr);
  if (__atomic_load_n(mark, __ATOMIC_RELAXED) == 0) __atomic_store_n(mark, 1, __ATOMIC_RELAXED);
}

// The stamp of a segment: slot, epoch, generation (the cell bits 0..23).
inline std::uint32_t make_stamp(int sid, epoch_t epoch, std::uint32_t gen) {
  return static_cast<std::uint32_t>(sid) | (static_cast<std::uint32_t>(epoch) << kEpochShift) |
         ((gen & 3u) << kGenShift);
}

inline raw_cell make_cell(std::uint32_t stamp, unsigned offset, unsigned size, bool read,
                          bool atomic) {
  return stamp | (offset << kOffsetShift) | ((size - 1) << 27) | (read ? kReadBit : 0) |
         (atomic ? kAtomicBit : 0);
}

inline int cell_sid(raw_cell c) { return static_cast<int>(c & 0xff); }
inline epoch_t cell_epoch(raw_cell c) {
  return static_cast<epoch_t>((c >> kEpochShift) & kMaxEpoch);
}
inline std::uint32_t cell_gen(raw_cell c) { return (c >> kGenShift) & 3u; }
inline unsigned cell_offset(raw_cell c) { return (c >> kOffsetShift) & 7u; }
// The cell's bits 27..31: size-1, read, atomic (history events keep them as they are).
inline std::uint32_t access_kind(raw_cell c) { return c >> 27; }
inline unsigned cell_size(raw_cell c) { return ((c >> 27) & 7u) + 1; }
inline bool cell_read(raw_cell c) { return (c & kReadBit) != 0; }
inline bool cell_atomic(raw_cell c) { return (c & kAtomicBit) != 0; }
// The bytes of the word a cell covers, one bit per byte.
inline std::uint32_t cell_mask(raw_cell c) { return ((1u << cell_size(c)) - 1) << cell_offset(c); }

// Maps the shadow, meta, summary and window regions; checks /proc/self/maps first and dies with a
// message naming the conflict (an existing mapping, overcommit_memory=2, `ulimit -v`) if they
// cannot be made.
void map_shadow();

// Forgets every access to [addr, addr+size): the memory was freed or recycled. Large ranges give
// their shadow pages back to the system instead of writing zeros. Clears the store marks of the
// pages the range covers whole.
void reset_shadow(std::uintptr_t addr, std::size_t size);

// reset_shadow for the parts of [addr, addr+size) in pages marked by note_cell_stored; the rest of
// the range has no cell to forget. A goroutine's end forgets its stack's used part and its closure
// this way: spawn's goroutines store no cell on their stacks, and the 930 bytes of shadow each
// scanned were 5% of their instructions; skynet's Gs in chunks no longer read their closures'
// shadow. A page's mark is cleared only when a reset covers the page whole (reset_shadow): a
// stack's top page, once a goroutine stored a cell there, is read at every later end.
void reset_stored_shadow(std::uintptr_t addr, std::size_t size);

// Forgets every access to all memory (a global reset).
void reset_all_shadow();

// A heap block's shadow is read before it is first written (the check before a store), and the read
// of a page never touched maps the kernel's shared zero page, which the write then replaces by a
// copy: two faults and a TLB shootdown, 40 us per shadow page on the EPYC VM of docs/benchmarks.md
// against 15 for one write fault and 8.5 per page populated in a batch. So the first block
// allocated in a 64 KiB window of the heap has the window's shadow (128 KiB) populated in one
// system call; heaps are dense, and the rest of the window's shadow is used soon after.
void populate_windows(std::uintptr_t addr, std::size_t size);
// The shadow of [addr, addr+size), a new heap block of at most 64 KiB, populated unless it is.
inline void prepare_shadow(std::uintptr_t addr, std::size_t size) {
  // relaxed: a hint; two threads populating one window at once populate it twice, harmlessly.
  if (GORO_LIKELY(__atomic_load_n(window_of(addr), __ATOMIC_RELAXED) != 0 &&
                  __atomic_load_n(window_of(addr + size - 1), __ATOMIC_RELAXED) != 0)) {
    return;
  }
  populate_windows(addr, size);
}

}  // namespace goro::race
