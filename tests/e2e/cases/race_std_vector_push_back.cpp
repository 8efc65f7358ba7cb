// std::vector::push_back from two goroutines: both read and write the vector's end pointer (and
// reallocate). A race, reported with both push_back lines.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_vector_push_back\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_std_vector_push_back\.cpp:20\b
// CHECK-RE: Found [1-9][0-9]* data race\(s\)
#include <goro/goro.hpp>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::vector<int> v;
    goro::go([&] {
      v.push_back(1);  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      v.push_back(2);  // access 2
      reach(2);
    });
    await(2);
  });
}
