// A stack with no guard page: guard pages are spent on the first stacks only (a quarter of
// vm.max_map_count, two maps each), so this program first starts that many goroutines, and the
// next one's stack has only a canary below it. That goroutine overflows by ~16 KiB and returns
// without faulting (the memory below belongs to another goroutine's stack); the scheduler finds the
// canary broken when the goroutine next switches out and stops the program before the damaged
// goroutine can run again (GOMAXPROCS=1 makes "next" deterministic).
//
// ENV: GOMAXPROCS=1
// OPT: -O0 -O1
// EXIT: 2
// CHECK-STDOUT-RE: ^[0-9]+ goroutines hold the guarded stacks$
// CHECK-RE: ^fatal error: stack overflow in goroutine [0-9]+$
// CHECK-NOT: unreachable
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

std::atomic<bool> stop{false};
std::atomic<long> started{0};

long guarded_stacks() {
  long max_maps = 65530;
  if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    if (std::fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
    std::fclose(f);
  }
  return max_maps / 4 / 2;  // stack.cpp's budget
}

// ~1 KiB per frame, every byte written (so the 64-byte canary cannot be stepped over; see
// overflow_canary_sparse.cpp for frames that do step over it); 80 frames use ~80 KiB of a 64 KiB
// stack.
__attribute__((noinline)) int dig(int depth) {
  volatile char frame[1024];
  for (int i = 0; i < 1024; ++i) frame[i] = static_cast<char>(0x11 + depth);
  if (depth == 0) return frame[1023];
  return dig(depth - 1) + frame[1023];
}

int main() {
  return goro::run([] {
    long n = guarded_stacks() + 64;
    // Slab slot 0 has only a 4 KiB header page below it: keep the overflowing stack off it.
    if (n % 256 == 0) ++n;
    for (long i = 0; i < n; ++i) {
      goro::go([] {
        started.fetch_add(1);
        while (!stop.load()) goro::yield();
      });
    }
    while (started.load() < n) goro::yield();
    std::printf("%ld goroutines hold the guarded stacks\n", n);
    std::fflush(stdout);
    goro::go([] {
      int r = dig(80);
      goro::yield();  // switches out: the canary check must fire here
      std::fprintf(stderr, "unreachable: overflow went unnoticed (%d)\n", r);
    });
    for (int i = 0; i < 1000; ++i) goro::yield();
    stop.store(true);
    for (int i = 0; i < 1000; ++i) goro::yield();
    std::fprintf(stderr, "unreachable: main finished\n");
    return 1;
  });
}
