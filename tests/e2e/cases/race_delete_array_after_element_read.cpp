// operator delete[] frees the array, which is a write of it: one thread reads an element of an
// array allocated with new[], another thread delete[]s it later with no synchronisation -> one
// race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_delete_array_after_element_read\.cpp:35\b
// CHECK: Previous
// CHECK-RE: race_delete_array_after_element_read\.cpp:30\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

double* samples;
double seen;

int main() {
  samples = new double[16];
  for (int i = 0; i < 16; ++i) samples[i] = i * 0.5;
  std::thread reader([] {
    seen = samples[9];  // access 1
    reach(1);
  });
  std::thread owner([] {
    await(1);
    delete[] samples;  // access 2
  });
  reader.join();
  owner.join();
  std::printf("seen %.1f\n", seen);
}
