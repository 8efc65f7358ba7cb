// The race detector: start-up (from .preinit_array), shutdown, and the allocation interposers.
//
// The design (slots rather than per-goroutine clocks, epochs and global resets, frozen clocks,
// shadow and sync objects, what was rejected and why, the measurements) is docs/design/detector.md.
// malloc and free are defined here, beside __goro_race_init_v1 and detector_init, because a static
// archive's member is linked only if something references it: instrumented code references
// __goro_race_init_v1 and the runtime's hooks reference detector_init, so the interposers always
// come along (docs/design/detector.md, "Reuse").
#include "detector.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "context.hpp"
#include "goro/race_abi.h"
#include "history.hpp"
#include "interpose.hpp"
#include "libc_call.hpp"
#include "options.hpp"
#include "report.hpp"
#include "shadow.hpp"
#include "slots.hpp"
#include "sync_table.hpp"

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
}

namespace goro::race {
namespace {

GORO_REAL(aligned_alloc)
GORO_REAL(memalign)
GORO_REAL(valloc)
GORO_REAL(pvalloc)
GORO_REAL(posix_memalign)

// 0: not started, 1: starting, 2: ready. acquire/release: a thread that sees 2 sees the mapped
// shadow and parsed options.
std::atomic<int> g_state{0};

// A program that does not end through goro::run (plain threads, tests) still reports the summary
// and exits with GORACE exitcode (after races, lock-order inversions or stack uses after return).
// Only _exit can change the status exit() was given, and it skips the stdio flush that exit() would
// do after this handler: flush first, or a redirected stdout loses what the program printed.
void at_exit() {
  if (races_found() == 0 && inversions_found() == 0 && after_returns_found() == 0) return;
  std::fflush(nullptr);
  _exit(finish(0));
}

// Freed memory forgets its accesses and sync objects, before the allocator can hand it out again.
void forget(void* p, std::size_t size) {
  // acquire: see g_state (the shadow must be mapped before we reset it).
  if (g_state.load(std::memory_order_acquire) != 2 || size == 0) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  reset_shadow(a, size);
  sync_free_range(a, size);
}

// Set once program_free has kept a free's write on a block. relaxed: the free that kept it happens
// before (through the allocator's own locking) any allocation that hands the block out again.
std::atomic<bool> g_free_writes_kept{false};

// A new block starts with no history: the block it reuses may still carry the write of the
// program's free (program_free). Until the program has freed something itself, nothing can be
// left there (every other free forgets the block), and allocating costs nothing more.
void clean(void* p, std::size_t size) {
  // relaxed: see g_free_writes_kept. acquire: see g_state.
  if (!g_free_writes_kept.load(std::memory_order_relaxed) || size == 0) return;
  if (g_state.load(std::memory_order_acquire) != 2) return;
  reset_shadow(reinterpret_cast<std::uintptr_t>(p), size);
}

// How much of a block the program frees is checked as written by the free (as ThreadSanitizer, a
// prefix: checking and keeping all of a big block costs more than its races are likely to be
// found there), and the largest block whose check is kept until the block is allocated again, so
// that a thread using it after the free races with the free too. Bigger blocks may be unmapped
// (glibc maps blocks of 128 KiB and more) and their address reused by a mapping that no allocation
// interposer sees: they forget the check at once.
constexpr std::size_t kFreeCheckBytes = 4096;
constexpr std::size_t kFreeKeptBlock = std::size_t{64} << 10;

// Checks the end of block p's life at the program's call site (instrumented code hinted it:
// __goro_free_hint) as a write of its first bytes, under the frame of fn (free, realloc). Returns
// whether the check was made.
bool check_program_free(const void* fn, void* p, std::size_t size) {
  const libc_call call(fn, tls.free_pc);
  tls.free_access = true;
  call.writes(p, size < kFreeCheckBytes ? size : kFreeCheckBytes);
  tls.free_access = false;
  return call.active();
}

// The program's free of p: checked, and for a small block the check's write kept until the block is
// allocated again.
void program_free(void* p, std::size_t size) {
  const std::size_t checked = size < kFreeCheckBytes ? size : kFreeCheckBytes;
  const bool kept =
      check_program_free(reinterpret_cast<const void*>(&::free), p, size) && size <= kFreeKeptBlock;
  if (!kept) {
    forget(p, size);
    return;
  }
  if (!g_free_writes_kept.load(std::memory_order_relaxed)) {  // relaxed: see g_free_writes_kept
    g_free_writes_kept.store(true, std::memory_order_relaxed);
  }
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  reset_shadow(a + checked, size - checked);
  sync_free_range(a, size);
}

// The shadow of a big heap block is used densely, and its first touch is a read (the check before
// a write), which in small pages maps the shared zero page, copied again at the write: a second
// fault and a TLB shootdown (an IPI to every CPU running the program) per 4 KiB of shadow. In
// transparent huge pages that is one per 2 MiB. Small blocks and stacks keep small pages: their
// shadow is sparse, and huge pages would multiply its memory.
constexpr std::size_t kHugeShadowBlock = std::size_t{4} << 20;
// Blocks up to this size come from the allocator's dense arenas, whose shadow is populated by
// window (prepare_shadow); bigger ones may be mapped on their own and used sparsely.
constexpr std::size_t kPreparedBlock = std::size_t{64} << 10;
constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;

void advise_shadow(void* p, std::size_t size, int advice);

// malloc_usable_size of a block the interposers hand to the detector. glibc reads it from the
// chunk's header, which a program racing on a heap object (two threads assigning one std::string),
// freeing a block twice or writing past one may have overwritten: a size beyond the application's
// whole address range cannot be a block's, and resetting that much shadow would hang the program
// where glibc alone would have aborted. The detector stops it with the reason instead.
std::size_t block_size(void* p) {
  const std::size_t size = malloc_usable_size(p);
  if (GORO_UNLIKELY(size > kAppMask)) {
    char msg[192];
    std::snprintf(msg, sizeof msg,
                  "heap corruption: the block at %p has size %zu (its header was overwritten: a "
                  "data race on a heap object, a double free or a write past a block's end)",
                  p, size);
    die(msg);
  }
  return size;
}

// Every allocation interposer's result p (at least `requested` bytes): a clean block, in huge
// pages if big. Most allocations need neither, and skip asking malloc for the block's size.
void* allocated(void* p, std::size_t requested) {
  if (p == nullptr) return p;
  // acquire: see g_state (the shadow must be mapped before it is populated).
  if (requested - 1 < kPreparedBlock && g_state.load(std::memory_order_acquire) == 2) {
    prepare_shadow(reinterpret_cast<std::uintptr_t>(p), requested);
  }
  // relaxed: see g_free_writes_kept.
  if (!g_free_writes_kept.load(std::memory_order_relaxed) && requested < kHugeShadowBlock) return p;
  const std::size_t size = block_size(p);
  clean(p, size);
  advise_shadow(p, size, MADV_HUGEPAGE);
  return p;
}

void advise_shadow(void* p, std::size_t size, int advice) {
  // acquire: see g_state.
  if (g_state.load(std::memory_order_acquire) != 2 || size < kHugeShadowBlock) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  if ((a & kAppMask) + size > kAppMask + 1) return;
  const auto lo = reinterpret_cast<std::uintptr_t>(shadow_of(a + 7));
  const std::uintptr_t hi = lo + (size - 8) * 2;
  const std::uintptr_t from = (lo + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t to = hi & ~(kHugePage - 1);
  if (from < to) madvise(reinterpret_cast<void*>(from), to - from, advice);
}

// Unmapped memory forgets too, so that a later mapping at the same place starts clean. Ranges
// that would run past the end of the shadow's index space (not application memory) are left.
void forget_unmapped(void* p, std::size_t size) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  if ((a & kAppMask) + size > kAppMask + 1) return;
  forget(p, size);
}

// The environment as the program received it. From .preinit_array, libc may not have set environ
// yet (getenv would see nothing), so the loader's envp argument is used.
char** g_envp = nullptr;

const char* gorace_env() {
  if (g_envp == nullptr) return getenv("GORACE");
  for (char** e = g_envp; *e != nullptr; ++e) {
    if (std::strncmp(*e, "GORACE=", 7) == 0) return *e + 7;
  }
  return nullptr;
}

void preinit(int, char**, char** envp) {
  g_envp = envp;
  detector_init();
  g_envp = nullptr;
}

}  // namespace

std::size_t metadata_bytes_in_use() { return internal_bytes_in_use() + journal_bytes_in_use(); }

// acquire: see g_state.
bool detector_initialized() { return g_state.load(std::memory_order_acquire) == 2; }

void detector_init() {
  if (g_state.load(std::memory_order_acquire) == 2) return;  // acquire: see g_state
  int expected = 0;
  // acquire on failure: whoever is starting publishes with the release store below (on success
  // there is nothing to acquire yet; it costs nothing).
  if (!g_state.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                       std::memory_order_acquire)) {
    // acquire: pairs with the starter's release store of 2; we spin until it is done.
    while (g_state.load(std::memory_order_acquire) != 2) sched_yield();
    return;
  }
  ++tls.ignore;
  parse_options(gorace_env());
  set_history_size(opts().history_size);
  map_shadow();
  slots_init();
  clocks_init();
  contexts_init();
  load_suppressions();
  open_json_output();
  atexit(at_exit);
  --tls.ignore;
  // release: see g_state.
  g_state.store(2, std::memory_order_release);
  thread_context_create(0, next_thread_number());  // the main thread (or whichever started us)
}

}  // namespace goro::race

// Runs before every constructor of the program.
__attribute__((section(".preinit_array"),
               used)) static void (*goro_race_preinit)(int, char**, char**) = goro::race::preinit;

extern "C" {

void __goro_race_init_v1(void) { goro::race::detector_init(); }

void* malloc(size_t n) { return goro::race::allocated(__libc_malloc(n), n); }

void* calloc(size_t n, size_t size) {
  return goro::race::allocated(__libc_calloc(n, size), n * size);  // overflowed: nullptr
}

void* aligned_alloc(size_t alignment, size_t n) {
  return goro::race::allocated(goro::race::real_aligned_alloc()(alignment, n), n);
}

void* memalign(size_t alignment, size_t n) {
  return goro::race::allocated(goro::race::real_memalign()(alignment, n), n);
}

void* valloc(size_t n) { return goro::race::allocated(goro::race::real_valloc()(n), n); }

void* pvalloc(size_t n) { return goro::race::allocated(goro::race::real_pvalloc()(n), n); }

int posix_memalign(void** out, size_t alignment, size_t n) {
  const int rc = goro::race::real_posix_memalign()(out, alignment, n);
  if (rc == 0) goro::race::allocated(*out, n);
  return rc;
}

void free(void* p) {
  if (p == nullptr) return;
  const size_t size = goro::race::block_size(p);
  goro::race::advise_shadow(p, size, MADV_NOHUGEPAGE);
  if (p == goro::race::tls.free_hint) {
    goro::race::tls.free_hint = nullptr;
    goro::race::program_free(p, size);
  } else {
    goro::race::forget(p, size);
  }
  __libc_free(p);
}

void* realloc(void* p, size_t n) {
  if (p == nullptr) return malloc(n);
  const size_t old = goro::race::block_size(p);
  if (p == goro::race::tls.free_hint) {
    // The old block's life ends here, moved or not (C's realloc returns a new object): the
    // program's realloc is checked as its free. Nothing is kept: the memory may stay in use.
    goro::race::tls.free_hint = nullptr;
    goro::race::check_program_free(reinterpret_cast<const void*>(&::realloc), p, old);
  }
  void* q = __libc_realloc(p, n);
  if (q == p) {
    const size_t now = goro::race::block_size(q);
    if (now < old) goro::race::forget(static_cast<char*>(p) + now, old - now);  // tail freed
    if (now > old) goro::race::clean(static_cast<char*>(q) + old, now - old);   // grown in place
  } else if (q != nullptr || n == 0) {
    goro::race::forget(p, old);  // moved (or freed): the old block is free memory now
    goro::race::allocated(q, n);
  }
  return q;
}

void __goro_free_hint(void* p) {
  goro::race::tls.free_hint = p;
  goro::race::tls.free_pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
}

// The system call directly: libc's munmap would be this function.
int munmap(void* addr, size_t len) {
  const long r = syscall(SYS_munmap, addr, len);
  if (r == 0) goro::race::forget_unmapped(addr, len);
  return static_cast<int>(r);
}

}  // extern "C"
