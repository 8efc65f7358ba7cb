// strncpy writes all n bytes of its destination: after copying a short string it pads the rest
// with NULs. One thread strncpy's a 2-character string into a 16-byte buffer, another thread then
// reads byte 12 of the buffer (a padding byte) with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_strncpy_pads_whole_destination\.cpp:36\b
// CHECK: Previous
// CHECK-RE: race_libc_strncpy_pads_whole_destination\.cpp:31\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

char source[8];
char field[16];

int main() {
  std::snprintf(source, sizeof source, "%s", "ab");
  std::memset(field, 'x', sizeof field);
  std::thread copier([] {
    std::strncpy(field, source, sizeof field);  // access 1
    reach(1);
  });
  std::thread reader([] {
    await(1);
    int padding = field[12];  // access 2
    std::printf("padding %d\n", padding);
  });
  copier.join();
  reader.join();
}
