// Heap reuse without any edge between the goroutines: blocks this big are mmapped, so the second
// malloc gets the address the first goroutine freed. The allocator hands the memory over, and free
// makes it fresh (the detector forgets its history): no race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <malloc.h>

#include <cstdlib>
#include <goro/goro.hpp>

#include "race_steps.hpp"

void escape(void* p) { asm volatile("" : : "r"(p) : "memory"); }  // keeps the block and stores

constexpr std::size_t kBytes = 256 * 1024;

int main() {
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);  // fixed: a freed block is unmapped, its range reused
  return goro::run([] {
    goro::go([] {
      auto* p = static_cast<char*>(std::malloc(kBytes));
      p[0] = p[kBytes - 1] = 1;
      escape(p);
      std::free(p);
      reach(1);
    });
    await(1);
    auto* q = static_cast<char*>(std::malloc(kBytes));
    q[0] = q[kBytes - 1] = 2;
    escape(q);
    std::free(q);
  });
}
