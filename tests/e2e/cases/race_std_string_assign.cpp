// A std::string assigned by two goroutines without synchronisation: its length, buffer pointer and
// characters are written by both. Reported (possibly as several pairs inside libstdc++) with both
// assignment lines in the stacks.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_string_assign\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_std_string_assign\.cpp:20\b
// CHECK-RE: Found [1-9][0-9]* data race\(s\)
#include <goro/goro.hpp>
#include <string>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::string s;
    goro::go([&] {
      s = "a string much too long for the small-string buffer";  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      s = "another string, also too long for the small buffer";  // access 2
      reach(2);
    });
    await(2);
  });
}
