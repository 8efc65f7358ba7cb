// goro::blocking returns what its function returns (a value, a move-only value, or nothing) and
// rethrows what it throws, in the calling goroutine, where an ordinary catch handles it; the
// function sees the caller's locals by reference and its side effects are visible afterwards.
// OPT: -O1
// CHECK-STDOUT: int result: 42
// CHECK-STDOUT: move-only result: 7
// CHECK-STDOUT: void call ran: yes
// CHECK-STDOUT: caught: thrown inside blocking
// CHECK-STDOUT: errno-style result: -1 EBADF
// CHECK-NOT: FAIL
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <goro/goro.hpp>
#include <memory>
#include <stdexcept>

int main() {
  return goro::run([] {
    int input = 40;
    const int r = goro::blocking([&] { return input + 2; });
    std::printf("int result: %d\n", r);

    std::unique_ptr<int> p = goro::blocking([] { return std::make_unique<int>(7); });
    std::printf("move-only result: %d\n", p ? *p : -1);

    bool ran = false;
    goro::blocking([&] { ran = true; });
    std::printf("void call ran: %s\n", ran ? "yes" : "no");

    try {
      goro::blocking([]() -> int { throw std::runtime_error("thrown inside blocking"); });
      std::printf("FAIL: nothing thrown\n");
    } catch (const std::runtime_error& e) {
      std::printf("caught: %s\n", e.what());
    }

    int err = 0;
    const ssize_t n = goro::blocking([&] {
      char c;
      const ssize_t k = read(-1, &c, 1);
      err = errno;
      return k;
    });
    std::printf("errno-style result: %zd %s\n", n, err == EBADF ? "EBADF" : "other");
    return (r == 42 && p && *p == 7 && ran && n == -1 && err == EBADF) ? 0 : 1;
  });
}
