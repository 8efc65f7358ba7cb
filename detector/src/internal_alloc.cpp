// The detector's metadata allocator (declared in base.hpp): size-class free lists over mmap'ed
// chunks.
//
// Why not malloc: the detector interposes malloc and free (to reset the shadow of freed memory),
// and its own bookkeeping must not recurse into them or show up in the program's heap. Why not
// tbbmalloc: the metadata is a handful of block sizes (clocks, rings, shadow stacks) allocated far
// less often than memory is accessed; a lock per class costs 22 ns per allocate/free pair
// uncontended (detector_bench), nowhere near the hot path.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "base.hpp"
#include "stack/prefault.hpp"

namespace goro::race {
namespace {

constexpr int kMinShift = 4;   // 16 bytes
constexpr int kMaxShift = 16;  // 64 KiB
constexpr int kClasses = kMaxShift - kMinShift + 1;
constexpr std::size_t kChunkBytes = 1u << 20;
// A chunk is populated this much at a time, ahead of the blocks carved from it: carving touches
// every page in turn (rings, records, clocks are written when made), and a batch costs about half
// as much per page as faulting each in (docs/design/detector.md), while a class that carves a few
// blocks only keeps one window resident.
constexpr std::size_t kPopulateWindow = 64u << 10;

struct free_block {
  free_block* next;
};

struct size_class {
  spin_lock mu;
  free_block* free = nullptr;  // guarded by mu
  char* bump = nullptr;        // guarded by mu: the unused rest of the current chunk
  char* bump_end = nullptr;    // guarded by mu
  char* populated = nullptr;   // guarded by mu: the current chunk is populated up to here
};

size_class g_classes[kClasses];
// relaxed: a statistic; nothing is published through it.
std::atomic<std::size_t> g_in_use{0};

int class_of(std::size_t bytes) {
  if (bytes <= (1u << kMinShift)) return 0;
  return 64 - __builtin_clzll(bytes - 1) - kMinShift;
}

void* map_or_die(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) die("out of memory for detector metadata (mmap failed)");
  return p;
}

}  // namespace

void* internal_alloc(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  g_in_use.fetch_add(bytes, std::memory_order_relaxed);  // relaxed: see g_in_use
  const int c = class_of(bytes);
  if (c >= kClasses) return map_or_die(bytes);
  size_class& sc = g_classes[c];
  const std::size_t block = std::size_t{1} << (c + kMinShift);
  char* p;
  char* populate_from = nullptr;
  char* populate_to = nullptr;
  {
    lock_guard<spin_lock> l(sc.mu);
    if (free_block* b = sc.free) {
      sc.free = b->next;
      return b;
    }
    if (sc.bump == nullptr || sc.bump + block > sc.bump_end) {
      const std::size_t chunk = block > kChunkBytes ? block : kChunkBytes;
      sc.bump = static_cast<char*>(map_or_die(chunk));
      sc.bump_end = sc.bump + chunk;
      sc.populated = sc.bump;
    }
    p = sc.bump;
    sc.bump += block;
    if (sc.bump > sc.populated) {
      // The window is claimed under the lock and populated outside it; a block another thread
      // carves from it meanwhile just faults in as it would have.
      populate_from = sc.populated;
      const std::size_t ahead = block > kPopulateWindow ? block : kPopulateWindow;
      sc.populated = sc.populated + ahead < sc.bump_end ? sc.populated + ahead : sc.bump_end;
      populate_to = sc.populated;
    }
  }
  if (populate_from != nullptr) {
    stack::populate_range(reinterpret_cast<std::uintptr_t>(populate_from),
                          static_cast<std::size_t>(populate_to - populate_from));
  }
  return p;
}

void internal_free(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  if (bytes == 0) bytes = 1;
  g_in_use.fetch_sub(bytes, std::memory_order_relaxed);  // relaxed: see g_in_use
  const int c = class_of(bytes);
  if (c >= kClasses) {
    munmap(p, bytes);
    return;
  }
  size_class& sc = g_classes[c];
  auto* b = static_cast<free_block*>(p);
  lock_guard<spin_lock> l(sc.mu);
  b->next = sc.free;
  sc.free = b;
}

void* internal_calloc(std::size_t bytes) {
  void* p = internal_alloc(bytes);
  std::memset(p, 0, bytes);
  return p;
}

// relaxed: see g_in_use.
std::size_t internal_bytes_in_use() { return g_in_use.load(std::memory_order_relaxed); }

void write_all(int fd, const char* s, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}

void die(const char* msg) {
  static const char kPrefix[] = "goro: race detector: ";
  write_all(2, kPrefix, sizeof kPrefix - 1);
  write_all(2, msg, std::strlen(msg));
  write_all(2, "\n", 1);
  _exit(2);
}

}  // namespace goro::race
