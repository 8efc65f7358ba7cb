// The aligned forms of operator new/delete (C++17, for over-aligned types) free too: one thread
// writes a field of an alignas(64) object, another thread deletes it later (operator
// delete(void*, std::align_val_t)) with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_delete_overaligned_object\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_delete_overaligned_object\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

struct alignas(64) CacheLine {
  long value;
  char pad[56];
};

CacheLine* line;

int main() {
  line = new CacheLine{};
  std::thread writer([] {
    line->value = 5;  // access 1
    reach(1);
  });
  std::thread owner([] {
    await(1);
    delete line;  // access 2
  });
  writer.join();
  owner.join();
  std::printf("deleted\n");
}
