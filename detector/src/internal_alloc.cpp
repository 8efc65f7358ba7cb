// The detector's metadata allocator (declared in base.hpp): size-class free lists over mmap'ed
// chunks, with a short lock-free list per thread in front of the small classes.
//
// Why not malloc: the detector interposes malloc and free (to reset the shadow of freed memory),
// and its own bookkeeping must not recurse into them or show up in the program's heap. Why not
// tbbmalloc: the metadata is a handful of block sizes (clocks, rings, shadow stacks) allocated far
// less often than memory is accessed. A lock per class cost 22 ns per allocate/free pair
// uncontended (detector_bench), nowhere near the hot path, until goroutines' starts and ends made
// allocation a per-goroutine cost: see thread_cache.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "base.hpp"
#include "stack/prefault.hpp"
#include "stack/stack.hpp"

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

// Per thread: a short free list of each class up to 4 KiB, taken from and given back to with no
// lock and no locked instruction. A goroutine's start and end allocate and free its record, its
// ring and its clock pieces, and on the Xeon VM of docs/benchmarks.md a locked instruction costs
// 20 to 40 ns: the classes' locks and a shared in-use count were 11% of spawn's race-build
// time. A list that grows past kCacheMax gives half back under one lock; one that is empty takes up
// to half that from the shared list. A thread's lists go back when its context ends
// (internal_thread_exit), which every thread that ran the program's code has.
constexpr int kCachedClasses = 9;  // 16 B .. 4 KiB: at most 32 * 8 KiB per thread
constexpr std::uint32_t kCacheMax = 32;

// Bytes handed out minus bytes given back by one thread (blocks move between threads, so one
// thread's share may be negative; the sum is exact). Written by its thread alone, with a plain load
// and store; read by internal_bytes_in_use. Never freed: a share outlives its thread.
struct alignas(64) use_share {  // a line each: every allocation writes its thread's
  std::atomic<std::int64_t> bytes{0};
  use_share* next = nullptr;
};
// relaxed (loads and stores): a statistic, and each share has one writer.
std::atomic<use_share*> g_shares{nullptr};

struct thread_cache {
  free_block* head[kCachedClasses];
  std::uint32_t n[kCachedClasses];
  use_share* share;
  bool off;  // the thread is ending: straight to the shared lists
};
constinit GORO_TLS thread_cache t_cache{};

int class_of(std::size_t bytes) {
  if (bytes <= (1u << kMinShift)) return 0;
  return 64 - __builtin_clzll(bytes - 1) - kMinShift;
}

// A block of class c from the shared level: its free list, else carved from the current chunk.
void* shared_alloc(int c) {
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
      sc.bump = static_cast<char*>(map_metadata(chunk));
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

// Gives the blocks of the list first..last (count of them) to class c's shared free list.
void shared_free_list(int c, free_block* first, free_block* last) {
  size_class& sc = g_classes[c];
  lock_guard<spin_lock> l(sc.mu);
  last->next = sc.free;
  sc.free = first;
}

// This thread's cached list of class c is empty: up to half a list from the shared one, or one
// carved block.
void* refill(thread_cache& t, int c) {
  size_class& sc = g_classes[c];
  free_block* got = nullptr;
  {
    lock_guard<spin_lock> l(sc.mu);
    got = sc.free;
    free_block* last = nullptr;
    std::uint32_t n = 0;
    for (free_block* b = got; b != nullptr && n < kCacheMax / 2; b = b->next) {
      last = b;
      ++n;
    }
    if (last != nullptr) {
      sc.free = last->next;
      last->next = nullptr;
      t.n[c] = n - 1;
    }
  }
  if (got == nullptr) return shared_alloc(c);
  t.head[c] = got->next;
  return got;
}

// Adds bytes (negative: given back) to this thread's share of the in-use count.
void count(thread_cache& t, std::int64_t bytes) {
  use_share* s = t.share;
  if (GORO_UNLIKELY(s == nullptr)) {
    // The share itself comes from the shared level, uncounted (it is never freed).
    s = new (shared_alloc(class_of(sizeof(use_share)))) use_share;  // a 64-byte block: 64-aligned
    s->next = g_shares.load(std::memory_order_relaxed);             // relaxed: see g_shares
    // release: a reader that finds s finds it constructed.
    while (!g_shares.compare_exchange_weak(s->next, s, std::memory_order_release,
                                           std::memory_order_relaxed)) {
    }
    t.share = s;
  }
  // relaxed: see use_share (one writer, so no locked add).
  s->bytes.store(s->bytes.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
}

}  // namespace

void* map_metadata(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) die("out of memory for detector metadata (mmap failed)");
  return p;
}

void* internal_alloc(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  thread_cache& t = t_cache;
  count(t, static_cast<std::int64_t>(bytes));
  const int c = class_of(bytes);
  if (c >= kClasses) return map_metadata(bytes);
  if (c >= kCachedClasses || t.off) return shared_alloc(c);
  if (free_block* b = t.head[c]) {
    t.head[c] = b->next;
    --t.n[c];
    return b;
  }
  return refill(t, c);
}

void internal_free(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  if (bytes == 0) bytes = 1;
  thread_cache& t = t_cache;
  count(t, -static_cast<std::int64_t>(bytes));
  const int c = class_of(bytes);
  if (c >= kClasses) {
    munmap(p, bytes);
    return;
  }
  auto* b = static_cast<free_block*>(p);
  if (c >= kCachedClasses || t.off) {
    shared_free_list(c, b, b);
    return;
  }
  b->next = t.head[c];
  t.head[c] = b;
  if (++t.n[c] <= kCacheMax) return;
  // Full: the older half goes back (the newest blocks, still in cache, stay).
  free_block* keep_last = b;
  for (std::uint32_t i = 1; i < kCacheMax / 2; ++i) keep_last = keep_last->next;
  free_block* first = keep_last->next;
  free_block* last = first;
  while (last->next != nullptr) last = last->next;
  keep_last->next = nullptr;
  t.n[c] = kCacheMax / 2;
  shared_free_list(c, first, last);
}

void internal_thread_exit() {
  thread_cache& t = t_cache;
  t.off = true;
  for (int c = 0; c < kCachedClasses; ++c) {
    free_block* first = t.head[c];
    if (first == nullptr) continue;
    free_block* last = first;
    while (last->next != nullptr) last = last->next;
    t.head[c] = nullptr;
    t.n[c] = 0;
    shared_free_list(c, first, last);
  }
}

void* internal_calloc(std::size_t bytes) {
  void* p = internal_alloc(bytes);
  std::memset(p, 0, bytes);
  return p;
}

void* internal_alloc_populated(std::size_t bytes) {
  void* p = internal_alloc(bytes);
  if (class_of(bytes) >= kClasses) {
    const std::size_t pages = (bytes + stack::kPageSize - 1) & ~(stack::kPageSize - 1);
    stack::populate_range(reinterpret_cast<std::uintptr_t>(p), pages);
  }
  return p;
}

std::size_t internal_bytes_in_use() {
  std::int64_t sum = 0;
  // acquire: pairs with count()'s release; relaxed loads of the shares, see use_share.
  for (use_share* s = g_shares.load(std::memory_order_acquire); s != nullptr; s = s->next) {
    sum += s->bytes.load(std::memory_order_relaxed);
  }
  return sum > 0 ? static_cast<std::size_t>(sum) : 0;
}

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
