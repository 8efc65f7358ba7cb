// Appending to a std::string in one goroutine while another reads its size(): the length field is
// written and read without synchronisation. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_string_append_vs_size\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_std_string_append_vs_size\.cpp:19\b
// CHECK-RE: Found [1-9][0-9]* data race\(s\)
#include <goro/goro.hpp>
#include <string>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::string s = "abc";
    goro::go([&] {
      s += "def";  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(static_cast<long>(s.size()));  // access 2
      reach(2);
    });
    await(2);
  });
}
