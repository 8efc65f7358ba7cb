// Recording trace events into per-thread buffers (trace.hpp).
#include <sys/mman.h>
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "debug/fatal.hpp"
#include "sched/m.hpp"
#include "sched/p.hpp"
#include "sched/sched.hpp"
#include "trace/trace.hpp"

namespace goro::trace {

bool g_on = false;

namespace {

std::string g_path;
clock_pair g_start;
std::atomic<buffer*> g_buffers{nullptr};
std::atomic<bool> g_finished{false};
thread_local buffer* t_buffer = nullptr;

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Pages are populated a chunk at a time, in one system call, ahead of the events that use them,
// and are huge pages where the kernel grants them (buffer_memory): where a page fault is dear
// (virtual machines), a fault per 4 KiB page cost more than the recording itself (pingpong with
// tracing on ran 3.2x slower; with huge pages, 1.2x).
constexpr std::uint32_t kPopulateChunk = 1u << 14;  // 640 KiB of events

void populate(buffer* b, std::uint32_t from) {
  const std::uint32_t to = std::min(from + kPopulateChunk, kMaxEvents);
  madvise(b->events + from, sizeof(event) * (to - from), MADV_POPULATE_WRITE);  // best effort
}

// The buffer's memory, 2 MiB-aligned and asking for transparent huge pages: a buffer that fills
// takes 20 faults instead of 10240, where each fault is dear.
void* buffer_memory() {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  constexpr std::size_t kBytes = (sizeof(event) * kMaxEvents + kHuge - 1) / kHuge * kHuge;
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
  b->events = static_cast<event*>(mem);
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

void record_slow(ev kind, std::int64_t goid, std::uint64_t a, std::uint64_t b) {
  buffer* buf = t_buffer;
  if (buf == nullptr) {
    buf = t_buffer = new_buffer();
    if (buf == nullptr) return;
  }
  // Only this thread writes its buffer: a plain read of its own count.
  const std::uint32_t n = buf->published;
  if (n == kMaxEvents) {
    __atomic_store_n(&buf->dropped, buf->dropped + 1, __ATOMIC_RELAXED);
    return;
  }
  if (n % kPopulateChunk == 0) populate(buf, n);
  sched::M* m = sched::current_m();
  const sched::P* p = m != nullptr ? m->p : nullptr;
  buf->events[n] = {__rdtsc(), goid, a,
                    b,         kind, static_cast<std::int16_t>(p != nullptr ? p->id : -1)};
  // release: the writer reads events[0..published) after an acquire load of the count.
  __atomic_store_n(&buf->published, n + 1, __ATOMIC_RELEASE);
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
