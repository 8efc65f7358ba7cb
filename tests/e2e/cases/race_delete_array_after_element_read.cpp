// operator delete[] frees the array, which is a write of it: one thread reads an element of an
// array allocated with new[], another thread delete[]s it later with no synchronisation -> one
// race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_delete_array_after_element_read\.cpp:29\b
// CHECK: Previous
// CHECK-RE: race_delete_array_after_element_read\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

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
