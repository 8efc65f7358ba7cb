// The same element of a pre-sized std::vector written by two goroutines: a race on v[3] (the
// vector's own fields are only read).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_vector_same_element\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_std_vector_same_element\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::vector<int> v(8);
    goro::go([&] {
      v[3] = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      v[3] = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
