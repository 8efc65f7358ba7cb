// The heap goro programs get by default: malloc and its family served by Intel TBB's scalable
// allocator (tbbmalloc), and large blocks offered transparent huge pages.
//
// Why not glibc's malloc:
//  - Goroutines allocate on one thread and free on another after a migration: a message built by
//    one goroutine and freed by the goroutine that received it, on whichever M ran each. glibc
//    returns such a block to its arena under the arena's lock; tbbmalloc hands it back to its
//    owner thread's lists without one. The `alloc` benchmark (docs/benchmarks.md) measures it.
//  - A large block's first touch costs a page fault per 4 KiB, dear on virtual machines. Go's heap
//    sits in transparent huge pages; with the kernel's default THP mode (madvise) a block must ask
//    for them, which neither glibc (without its hugetlb tunable) nor tbbmalloc (only in THP mode
//    "always") does. Blocks of kHugeBlockBytes or more ask here: a fault per 2 MiB.
//
// How: `goro c++` links this archive whole into the executable (plain builds only), so its
// definitions of malloc, free, calloc, realloc and the aligned variants take precedence over libc's
// for every caller, libc and libstdc++ (operator new) included: glibc's documented way to replace
// malloc. GORO_MALLOC=glibc at link time leaves it out. Race builds never link it: the detector
// interposes malloc itself, over glibc's.
#include <sys/mman.h>
#include <tbb/scalable_allocator.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace {

constexpr std::size_t kHugePageBytes = 2u << 20;
// A block this large is worth a huge page: at worst (a misaligned block) half of it is in huge
// pages, and touching it costs a 2 MiB page where it would have cost one anyway.
constexpr std::size_t kHugeBlockBytes = 4u << 20;

// Asks for huge pages for the 2 MiB-aligned middle of [p, p + n). Best effort: a kernel without
// THP, or a range it refuses, keeps 4 KiB pages.
void* offer_huge_pages(void* p, std::size_t n) {
  if (p == nullptr || n < kHugeBlockBytes) return p;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t lo = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t hi = (begin + n) & ~(kHugePageBytes - 1);
  if (hi > lo) {
    const int saved = errno;  // a refusal is not the caller's error
    madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
    errno = saved;
  }
  return p;
}

bool power_of_two(std::size_t a) { return a != 0 && (a & (a - 1)) == 0; }

// memalign and friends accept any alignment glibc does: a non-power of two rounds up, as glibc's.
std::size_t usable_alignment(std::size_t a) {
  if (a < alignof(std::max_align_t)) return alignof(std::max_align_t);
  std::size_t p = alignof(std::max_align_t);
  while (p < a && p != 0) p <<= 1;
  return p;
}

void* aligned(std::size_t alignment, std::size_t n) {
  return offer_huge_pages(scalable_aligned_malloc(n, usable_alignment(alignment)), n);
}

}  // namespace

extern "C" {

void* malloc(std::size_t n) { return offer_huge_pages(scalable_malloc(n), n); }

void free(void* p) { scalable_free(p); }

void* calloc(std::size_t count, std::size_t size) {
  std::size_t n = 0;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return offer_huge_pages(scalable_calloc(count, size), n);
}

void* realloc(void* p, std::size_t n) { return offer_huge_pages(scalable_realloc(p, n), n); }

void* memalign(std::size_t alignment, std::size_t n) { return aligned(alignment, n); }

void* aligned_alloc(std::size_t alignment, std::size_t n) { return aligned(alignment, n); }

int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  if (!power_of_two(alignment) || alignment % sizeof(void*) != 0) return EINVAL;
  const int rc = scalable_posix_memalign(out, alignment, n);
  if (rc == 0) offer_huge_pages(*out, n);
  return rc;
}

void* valloc(std::size_t n) { return aligned(4096, n); }

void* pvalloc(std::size_t n) {
  return aligned(4096, n == 0 ? 4096 : (n + 4095) & ~std::size_t{4095});
}

std::size_t malloc_usable_size(void* p) { return p == nullptr ? 0 : scalable_msize(p); }

}  // extern "C"
