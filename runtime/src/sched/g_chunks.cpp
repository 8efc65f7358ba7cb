// G chunks (see g_chunks.hpp). Lock order: g_chunk_lock is a leaf.
#include "sched/g_chunks.hpp"

#include <sys/mman.h>

#include <new>

#include "debug/fatal.hpp"
#include "sched/g.hpp"
#include "sched/runtime_lock.hpp"
#include "stack/prefault.hpp"

#if defined(GORO_SANITIZE)
#include <sanitizer/lsan_interface.h>
#endif

namespace goro::sched {
namespace {

// 2730 Gs a chunk; its pages are committed as the Gs are made, populated a window ahead of them:
// the Gs carved from a chunk write every page of it in turn, and on the EPYC VM of
// docs/benchmarks.md a page populated in a batch of 16 costs 0.7 us where a write fault costs 10.
// skynet 1M at GOMAXPROCS=1 faulted in 6,300 pages of Gs (some 60 ms of its 530) before this.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr std::size_t kPopulateWindow = std::size_t{64} << 10;
static_assert(kChunkBytes % kPopulateWindow == 0);

constinit runtime_lock g_chunk_lock;
char* g_chunk_next GORO_GUARDED_BY(g_chunk_lock) = nullptr;
char* g_chunk_end GORO_GUARDED_BY(g_chunk_lock) = nullptr;
// The current chunk's pages below this are populated, or being populated by the thread that
// claimed them; a G carved there meanwhile just faults its page in.
char* g_chunk_populated GORO_GUARDED_BY(g_chunk_lock) = nullptr;

// A fresh chunk, mapped outside g_chunk_lock (a system call is no short critical section).
char* map_chunk() {
  void* chunk =
      mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (chunk == MAP_FAILED)
    debug::fatal_plain("runtime: cannot allocate goroutine memory (mmap failed)");
#if defined(GORO_SANITIZE)
  // A G holds the only pointer to a closure too big for its inline storage: LeakSanitizer must
  // look in here as it does in the heap.
  __lsan_register_root_region(chunk, kChunkBytes);
#endif
  return static_cast<char*>(chunk);
}

}  // namespace

G* new_chunk_g() {
  char* spare = nullptr;  // a chunk this thread mapped while another one installed its own
  void* at = nullptr;
  char* populate_from = nullptr;
  for (;;) {
    {
      runtime_lock_guard l(g_chunk_lock);
      if (g_chunk_next == g_chunk_end && spare != nullptr) {
        g_chunk_next = spare;
        g_chunk_end = spare + kChunkBytes / kGRecordBytes * kGRecordBytes;
        g_chunk_populated = spare;
        spare = nullptr;
      }
      if (g_chunk_next != g_chunk_end) {
        at = g_chunk_next;
        g_chunk_next += kGRecordBytes;
        // A window starts at a multiple of kPopulateWindow in the chunk, below its end (the G
        // just carved reaches past it), so the whole window is inside the chunk.
        if (g_chunk_next > g_chunk_populated) {
          populate_from = g_chunk_populated;
          g_chunk_populated += kPopulateWindow;
        }
        break;
      }
    }
    spare = map_chunk();
  }
  if (populate_from != nullptr)
    stack::populate_range(reinterpret_cast<std::uintptr_t>(populate_from), kPopulateWindow);
  if (spare != nullptr) {
#if defined(GORO_SANITIZE)
    __lsan_unregister_root_region(spare, kChunkBytes);
#endif
    munmap(spare, kChunkBytes);
  }
  return new (at) G;
}

}  // namespace goro::sched
