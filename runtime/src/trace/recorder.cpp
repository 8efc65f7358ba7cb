// Recording trace events into per-thread buffers (trace.hpp).
#include <sys/mman.h>
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sched/sched.hpp"
#include "trace/trace.hpp"

namespace goro::trace {

bool g_on = false;

namespace {

std::string g_path;
clock_pair g_start;
std::atomic<buffer*> g_buffers{nullptr};
std::atomic<bool> g_finished{false};

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Pages are populated a chunk at a time, in one system call, ahead of the events that use them,
// and are huge pages where the kernel grants them (buffer_memory): where a page fault is dear
// (virtual machines), a fault per 4 KiB page cost more than the recording itself (pingpong with
// tracing on ran 3.2x slower; with huge pages, 1.2x).
void populate(buffer* b, std::uint32_t from) {
  const std::uint32_t to = std::min(from + kPopulateChunk, kMaxSlots);
  madvise(b->slots + from, sizeof(slot) * (to - from), MADV_POPULATE_WRITE);  // best effort
}

// The buffer's memory, 2 MiB-aligned and asking for transparent huge pages: a buffer that fills
// takes 16 faults instead of 8192, where each fault is dear.
void* buffer_memory() {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  constexpr std::size_t kBytes = (sizeof(slot) * kMaxSlots + kHuge - 1) / kHuge * kHuge;
  void* mem = mmap(nullptr, kBytes + kHuge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(mem);
  const std::uintptr_t aligned = (start + kHuge - 1) & ~(kHuge - 1);
  if (aligned > start) munmap(mem, aligned - start);
  munmap(reinterpret_cast<void*>(aligned + kBytes), start + kHuge - aligned);
  madvise(reinterpret_cast<void*>(aligned), kBytes, MADV_HUGEPAGE);  // best effort
  return reinterpret_cast<void*>(aligned);
}

buffer* new_buffer() {
  void* mem = buffer_memory();
  if (mem == nullptr) return nullptr;
  auto* b = new buffer;
  b->slots = static_cast<slot*>(mem);
  // release: the buffer's fields are set before a writer walking the list can see it.
  b->next = g_buffers.load(std::memory_order_relaxed);
  while (!g_buffers.compare_exchange_weak(b->next, b, std::memory_order_release,
                                          std::memory_order_relaxed)) {
  }
  return b;
}

}  // namespace

buffer* all_buffers() { return g_buffers.load(std::memory_order_acquire); }

clock_pair start_clock() { return g_start; }

clock_pair read_clock() { return {__rdtsc(), monotonic_ns()}; }

constinit thread_local recorder t_recorder;

void append_slow(const slot* slots, std::uint32_t count) {
  buffer* b = t_recorder.buf;
  if (b == nullptr) {
    b = t_recorder.buf = new_buffer();
    if (b == nullptr) return;
  }
  const std::uint32_t n = b->published;
  if (count > kMaxSlots - n) {
    __atomic_store_n(&b->dropped, b->dropped + 1, __ATOMIC_RELAXED);
    return;
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    if ((n + i) % kPopulateChunk == 0) populate(b, n + i);
    b->slots[n + i] = slots[i];
  }
  // release: as append's; both slots of a create event become visible together.
  __atomic_store_n(&b->published, n + count, __ATOMIC_RELEASE);
}

void start(const char* path) {
  g_path = path;
  g_start = read_clock();
  g_on = true;
  std::atexit(finish);  // a program that ends with exit(); goro::run's end calls finish itself
}

void finish() {
  if (!g_on || g_finished.exchange(true)) return;
  // Symbolizing the creation sites needs more stack than a goroutine's.
  auto write = [](void*) {
    if (!write_trace(g_path.c_str())) {
      std::string msg = "goro: GORODEBUG=trace: cannot write " + g_path;
      std::perror(msg.c_str());
    }
  };
  if (sched::current_g() != nullptr) {
    sched::on_system_stack(write, nullptr);
  } else {
    write(nullptr);
  }
}

}  // namespace goro::trace
