// std::vector growth frees the old buffer: one thread reads an element through a pointer into the
// vector's storage, another thread later push_backs past the capacity (which copies the elements
// and frees the old buffer) with no synchronisation -> one race between the read and the free.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_vector_growth_frees_old_buffer\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_vector_growth_frees_old_buffer\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>
#include <vector>

#include "race_steps_threads.hpp"

std::vector<int> values(4, 1);  // capacity 4: the next push_back reallocates
const int* storage;
int seen;

int main() {
  storage = values.data();
  std::thread reader([] {
    seen = storage[0];  // access 1
    reach(1);
  });
  std::thread grower([] {
    await(1);
    values.push_back(5);  // access 2
  });
  reader.join();
  grower.join();
  std::printf("seen %d size %zu\n", seen, values.size());
}
