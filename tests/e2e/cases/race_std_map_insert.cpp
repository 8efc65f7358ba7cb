// std::map::insert from two goroutines: both walk and rebalance the same tree. A race, reported
// with both insert lines.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_map_insert\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_std_map_insert\.cpp:19\b
// CHECK-RE: Found [1-9][0-9]* data race\(s\)
#include <goro/goro.hpp>
#include <map>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::map<int, int> m;
    goro::go([&] {
      m.insert({1, 1});  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      m.insert({2, 2});  // access 2
      reach(2);
    });
    await(2);
  });
}
