// G chunks (see g_chunks.hpp). Lock order: g_chunk_lock is a leaf.
#include "sched/g_chunks.hpp"

#include <sys/mman.h>

#include <new>

#include "debug/fatal.hpp"
#include "sched/g.hpp"
#include "sched/runtime_lock.hpp"

#if defined(GORO_SANITIZE)
#include <sanitizer/lsan_interface.h>
#endif

namespace goro::sched {
namespace {

// 2730 Gs a chunk; its pages are committed as the Gs are made.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

constinit runtime_lock g_chunk_lock;
char* g_chunk_next GORO_GUARDED_BY(g_chunk_lock) = nullptr;
char* g_chunk_end GORO_GUARDED_BY(g_chunk_lock) = nullptr;

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
  for (;;) {
    {
      runtime_lock_guard l(g_chunk_lock);
      if (g_chunk_next == g_chunk_end && spare != nullptr) {
        g_chunk_next = spare;
        g_chunk_end = spare + kChunkBytes / kGRecordBytes * kGRecordBytes;
        spare = nullptr;
      }
      if (g_chunk_next != g_chunk_end) {
        at = g_chunk_next;
        g_chunk_next += kGRecordBytes;
        break;
      }
    }
    spare = map_chunk();
  }
  if (spare != nullptr) {
#if defined(GORO_SANITIZE)
    __lsan_unregister_root_region(spare, kChunkBytes);
#endif
    munmap(spare, kChunkBytes);
  }
  return new (at) G;
}

}  // namespace goro::sched
