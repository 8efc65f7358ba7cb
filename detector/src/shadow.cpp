// Reserving the shadow regions at start-up, resetting shadow when memory is recycled, and
// populating the shadow of fresh heap windows (layout and cell format in shadow.hpp).
#include "shadow.hpp"

#include <fcntl.h>
#include <immintrin.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "clock.hpp"
#include "stack/prefault.hpp"

namespace goro::race {
namespace {

constexpr std::uintptr_t kPage = 4096;
// Below this many shadow bytes a reset writes zeros; above, whole pages go back to the kernel
// (MADV_DONTNEED), which also drops their RSS. 64 KiB of shadow = 32 KiB of application memory: a
// default goroutine stack's used part is well below, a large freed array well above.
constexpr std::size_t kMadviseThreshold = 64 * 1024;

struct region {
  std::uintptr_t base;
  std::uintptr_t size;
  const char* name;
};

constexpr region kRegions[] = {
    {kShadowBase, kShadowSize, "shadow"},
    {kMetaBase, kMetaSize, "meta shadow"},
    {kSummaryBase, kSummarySize, "sync summary"},
    {kWindowsBase, kWindowsSize, "shadow window map"},
    {kStoredBase, kStoredSize, "shadow store marks"},
};

// Parses a hexadecimal number at p, advancing p.
std::uintptr_t parse_hex(const char*& p, const char* end) {
  std::uintptr_t v = 0;
  for (; p < end; ++p) {
    const char c = *p;
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      break;
    }
    v = v * 16 + static_cast<std::uintptr_t>(d);
  }
  return v;
}

// Dies if an existing mapping overlaps one of the regions. Reads /proc/self/maps with raw system
// calls: this runs from .preinit_array, before malloc or stdio may be used.
void check_existing_mappings() {
  const int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // no /proc: MAP_FIXED_NOREPLACE still refuses to clobber anything
  char buf[8192];
  std::size_t have = 0;
  for (;;) {
    const ssize_t got = read(fd, buf + have, sizeof buf - have);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0 && have == 0) break;
    have += got > 0 ? static_cast<std::size_t>(got) : 0;
    // Handle every complete line in the buffer.
    std::size_t start = 0;
    for (std::size_t i = 0; i < have; ++i) {
      if (buf[i] != '\n') continue;
      const char* p = buf + start;
      const char* end = buf + i;
      const std::uintptr_t lo = parse_hex(p, end);
      if (p < end && *p == '-') ++p;
      const std::uintptr_t hi = parse_hex(p, end);
      for (const region& r : kRegions) {
        if (lo < r.base + r.size && hi > r.base) {
          char msg[256];
          std::snprintf(msg, sizeof msg,
                        "cannot map the %s at [0x%lx, 0x%lx): the process already has a mapping at "
                        "[0x%lx, 0x%lx) (see /proc/self/maps)",
                        r.name, static_cast<unsigned long>(r.base),
                        static_cast<unsigned long>(r.base + r.size), static_cast<unsigned long>(lo),
                        static_cast<unsigned long>(hi));
          die(msg);
        }
      }
      start = i + 1;
    }
    if (got <= 0) break;
    std::memmove(buf, buf + start, have - start);
    have -= start;
    if (have == sizeof buf) have = 0;  // an absurdly long line: skip it
  }
  close(fd);
}

// The wide half of reset_shadow's zeroing: groups of eight vectors (128 bytes of shadow, 64 of
// memory) are tested in four 32-byte loads and zeroed only when one is not zero. Returns how many
// vectors it covered (the whole groups); the caller does the rest. A stack's recycled part is
// typically 400 to 1000 bytes of memory: half the instructions of the four-vector loop.
__attribute__((target("avx2"))) std::size_t clear_written_wide(__m128i* v, std::size_t vectors) {
  std::size_t i = 0;
  for (; i + 8 <= vectors; i += 8) {
    auto* w = reinterpret_cast<__m256i*>(v + i);
    const __m256i any =
        _mm256_or_si256(_mm256_or_si256(_mm256_loadu_si256(w), _mm256_loadu_si256(w + 1)),
                        _mm256_or_si256(_mm256_loadu_si256(w + 2), _mm256_loadu_si256(w + 3)));
    if (_mm256_testz_si256(any, any) != 0) continue;
    for (int k = 0; k < 4; ++k) _mm256_storeu_si256(w + k, _mm256_setzero_si256());
  }
  return i;
}

// The pages [begin, end) covers whole lose their store marks: every cell in them is about to be
// forgotten. A part of a page keeps its mark, whatever else the page may hold.
void clear_marks_of_whole_pages(std::uintptr_t begin, std::uintptr_t end) {
  for (std::uintptr_t page = (begin + kPage - 1) & ~(kPage - 1); page + kPage <= end;
       page += kPage) {
    std::uint8_t* mark = stored_mark_of(page);
    // relaxed (both): see note_cell_stored.
    if (__atomic_load_n(mark, __ATOMIC_RELAXED) != 0) __atomic_store_n(mark, 0, __ATOMIC_RELAXED);
  }
}

}  // namespace

void map_shadow() {
  check_existing_mappings();
  for (const region& r : kRegions) {
    void* want = reinterpret_cast<void*>(r.base);
    void* got = mmap(want, r.size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (got == MAP_FAILED || got != want) {
      const int err = errno;
      char msg[400];
      std::snprintf(msg, sizeof msg,
                    "cannot reserve %lu GiB of address space for the %s at 0x%lx: %s%s",
                    static_cast<unsigned long>(r.size >> 30), r.name,
                    static_cast<unsigned long>(r.base), std::strerror(err),
                    err == ENOMEM ? " (the race detector needs vm.overcommit_memory 0 or 1 and no "
                                    "`ulimit -v` limit: its shadow is reserved, not committed)"
                                  : "");
      die(msg);
    }
    // Transparent huge pages would commit 2 MiB of shadow for one touched byte of a goroutine
    // stack.
    madvise(want, r.size, MADV_NOHUGEPAGE);
    madvise(want, r.size, MADV_DONTDUMP);
  }
}

void reset_shadow(std::uintptr_t addr, std::size_t size) {
  if (size == 0) return;
  const std::uintptr_t begin = addr & ~std::uintptr_t{7};
  const std::uintptr_t end = (addr + size + 7) & ~std::uintptr_t{7};
  clear_marks_of_whole_pages(begin, end);
  auto* lo = reinterpret_cast<char*>(shadow_of(begin));
  const std::size_t bytes = (end - begin) * 2;
  if (bytes < kMadviseThreshold) {
    // Write only what is not zero already: shadow that was never touched reads as the shared zero
    // page, and writing zeros to it would commit memory (a recycled stack's shadow usually is
    // untouched beyond its top few frames). A word's cells are 16 bytes at a 16-byte boundary, so
    // the range is whole aligned vectors, tested eight (AVX2) or four at a time.
    auto* v = reinterpret_cast<__m128i*>(lo);
    const std::size_t vectors = bytes / sizeof(__m128i);
    const __m128i zero = _mm_setzero_si128();
    std::size_t i = clocks_wide() ? clear_written_wide(v, vectors) : 0;
    for (; i + 4 <= vectors; i += 4) {
      const __m128i any =
          _mm_or_si128(_mm_or_si128(_mm_load_si128(v + i), _mm_load_si128(v + i + 1)),
                       _mm_or_si128(_mm_load_si128(v + i + 2), _mm_load_si128(v + i + 3)));
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(any, zero)) == 0xffff) continue;
      for (int k = 0; k < 4; ++k) _mm_store_si128(v + i + k, zero);
    }
    for (; i < vectors; ++i) {
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128(v + i), zero)) != 0xffff) {
        _mm_store_si128(v + i, zero);
      }
    }
    return;
  }
  const std::uintptr_t s = reinterpret_cast<std::uintptr_t>(lo);
  const std::uintptr_t page_lo = (s + kPage - 1) & ~(kPage - 1);
  const std::uintptr_t page_hi = (s + bytes) & ~(kPage - 1);
  std::memset(lo, 0, page_lo - s);
  madvise(reinterpret_cast<void*>(page_lo), page_hi - page_lo, MADV_DONTNEED);
  std::memset(reinterpret_cast<void*>(page_hi), 0, s + bytes - page_hi);
  // The windows lost (part of) their populated shadow: the next block there populates it again.
  for (std::uintptr_t w = begin; w < end; w = (w | ((std::uintptr_t{1} << kWindowShift) - 1)) + 1) {
    std::uint8_t* flag = window_of(w);
    if (__atomic_load_n(flag, __ATOMIC_RELAXED) != 0) __atomic_store_n(flag, 0, __ATOMIC_RELAXED);
  }
}

void populate_windows(std::uintptr_t addr, std::size_t size) {
  constexpr std::uintptr_t kWindow = std::uintptr_t{1} << kWindowShift;
  const std::uintptr_t last = (addr + size - 1) & ~(kWindow - 1);
  for (std::uintptr_t w = addr & ~(kWindow - 1); w <= last; w += kWindow) {
    std::uint8_t* flag = window_of(w);
    if (__atomic_load_n(flag, __ATOMIC_RELAXED) != 0) continue;  // relaxed: see prepare_shadow
    __atomic_store_n(flag, 1, __ATOMIC_RELAXED);
    // A window that wraps the index space's end (not application memory) is left to fault in.
    if ((w & kAppMask) + kWindow > kAppMask + 1) continue;
    stack::populate_range(reinterpret_cast<std::uintptr_t>(shadow_of(w)), kWindow * 2);
  }
}

void reset_stored_shadow(std::uintptr_t addr, std::size_t size) {
  const std::uintptr_t end = addr + size;
  // Runs of marked pages, each reset in one call: a deep stack's used part may still be large
  // enough for its shadow pages to go back to the kernel.
  std::uintptr_t run = 0;
  bool in_run = false;
  for (std::uintptr_t page = addr & ~(kPage - 1); page < end; page += kPage) {
    // relaxed: see note_cell_stored.
    const bool marked = __atomic_load_n(stored_mark_of(page), __ATOMIC_RELAXED) != 0;
    if (marked && !in_run) {
      run = page > addr ? page : addr;
      in_run = true;
    } else if (!marked && in_run) {
      reset_shadow(run, page - run);
      in_run = false;
    }
  }
  if (in_run) reset_shadow(run, end - run);
}

void reset_all_shadow() {
  madvise(reinterpret_cast<void*>(kShadowBase), kShadowSize, MADV_DONTNEED);
  madvise(reinterpret_cast<void*>(kWindowsBase), kWindowsSize, MADV_DONTNEED);
  madvise(reinterpret_cast<void*>(kStoredBase), kStoredSize, MADV_DONTNEED);
}

}  // namespace goro::race
