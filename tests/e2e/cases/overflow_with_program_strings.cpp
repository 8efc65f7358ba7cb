// A goroutine overflows its stack in a program whose own code grows std::strings: compiled as
// C++20, the program instantiates std::string's members, and the linker keeps its instrumented
// copies, with their stack checks. The report once built its first line with them on the
// overflowed stack, found the overflow again and printed only "fatal error while writing a report".
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK-RE: ^fatal error: stack overflow in goroutine ([2-9]|[1-9][0-9]+)$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: plunge\(int\)
// CHECK-NOT: while writing a report
// CHECK-NOT: unreachable
#include <cstdio>
#include <cstring>
#include <goro/goro.hpp>
#include <string>
#include <string_view>

__attribute__((noinline)) long plunge(int depth) {
  volatile char frame[480];
  std::memset(const_cast<char*>(frame), 1, sizeof frame);
  return depth == 0 ? 0 : plunge(depth - 1) + frame[depth % 480];
}

__attribute__((noinline)) std::string decorate(std::string_view word) {
  std::string s = "<";
  s += word;
  s.append(word.data(), word.size());
  s.insert(0, "[");
  s.replace(1, 1, "{");
  return s;
}

int main() {
  return goro::run([] {
    std::printf("%s\n", decorate("word").c_str());
    auto result = goro::make_chan<long>();
    goro::go([result] { result.send(plunge(400)); });
    std::printf("%ld\n", result.recv());
    std::fprintf(stderr, "unreachable: the overflow did not end the program\n");
    return 1;
  });
}
