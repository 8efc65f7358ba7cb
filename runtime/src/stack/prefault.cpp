// Page population for fresh stacks: the kernel interfaces and their fallbacks (see prefault.hpp).
#include "stack/prefault.hpp"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "stack/stack.hpp"

namespace goro::stack {
namespace {

// Older headers lack these; the values are the kernel's ABI.
constexpr int kMadvPopulateWrite = 23;    // MADV_POPULATE_WRITE, Linux 5.14
constexpr int kPidfdSelfThread = -10000;  // PIDFD_SELF_THREAD: the caller, with no descriptor
constexpr std::size_t kMaxBatch = 64;

enum class method : std::uint8_t { process_madvise, madvise_each, none };

// relaxed: a hint every thread may find out for itself; a stale value costs one refused call.
std::atomic<method> chosen{method::process_madvise};

// How many bytes one process_madvise call populated; -1 with errno set if it refused.
long populate_in_one_call(const std::uintptr_t* pages, std::size_t count) {
  iovec ranges[kMaxBatch];
  for (std::size_t i = 0; i < count; ++i) {
    ranges[i].iov_base = reinterpret_cast<void*>(pages[i]);
    ranges[i].iov_len = kPageSize;
  }
  return syscall(SYS_process_madvise, kPidfdSelfThread, ranges, count, kMadvPopulateWrite, 0);
}

}  // namespace

void populate_pages(const std::uintptr_t* pages, std::size_t count) {
  while (count > 0) {
    const std::size_t n = count < kMaxBatch ? count : kMaxBatch;
    method m = chosen.load(std::memory_order_relaxed);
    if (m == method::process_madvise) {
      const long done = populate_in_one_call(pages, n);
      if (done < 0 && (errno == EBADF || errno == EINVAL || errno == ENOSYS || errno == EPERM)) {
        // No PIDFD_SELF, or this advice not accepted through process_madvise: an older kernel.
        chosen.store(method::madvise_each, std::memory_order_relaxed);
        m = method::madvise_each;
      } else if (done != static_cast<long>(n * kPageSize)) {
        m = method::madvise_each;  // stopped part way (out of memory, a signal): page by page
      }
    }
    if (m == method::madvise_each) {
      for (std::size_t i = 0; i < n; ++i) {
        void* page = reinterpret_cast<void*>(pages[i]);
        if (madvise(page, kPageSize, kMadvPopulateWrite) != 0 && errno == EINVAL) {
          chosen.store(method::none, std::memory_order_relaxed);
          break;
        }
      }
    }
    pages += n;
    count -= n;
  }
}

void populate_range(std::uintptr_t start, std::size_t bytes) {
  if (chosen.load(std::memory_order_relaxed) == method::none) return;
  if (madvise(reinterpret_cast<void*>(start), bytes, kMadvPopulateWrite) != 0 && errno == EINVAL) {
    chosen.store(method::none, std::memory_order_relaxed);
  }
}

}  // namespace goro::stack
