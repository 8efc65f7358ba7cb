// The clean twins of the after_return cases: goroutines and threads that use locals of a frame
// that waits for them, buffers left uninitialised for another goroutine to fill, a variable of a
// scope reused by the next scope's variable that another goroutine then fills, an exception
// leaving frames whose locals were shared, a variable-length array and a parameter passed by value
// over the memory of an earlier call's dead locals. No report.
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// EXIT: 0
// CHECK-NOT: after return
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: done
#include <cstdio>
#include <goro/goro.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

__attribute__((noinline)) int fill_and_wait() {
  char buf[128];  // uninitialised: another goroutine writes it first
  int result;
  goro::WaitGroup wg;
  wg.add(2);
  goro::go([&] {
    for (char& ch : buf) ch = 'x';
    wg.done();
  });
  goro::go([&] {
    result = 3;
    wg.done();
  });
  wg.wait();
  return buf[100] + result;
}

__attribute__((noinline)) int through_a_channel() {
  std::vector<int> results(8);
  auto done = goro::make_chan<int>(8);
  for (int i = 0; i < 8; ++i) {
    goro::go([&, i] {
      results[i] = i * i;
      done.send(i);
    });
  }
  for (int i = 0; i < 8; ++i) done.recv();
  int sum = 0;
  for (int v : results) sum += v;
  return sum;
}

__attribute__((noinline)) int with_a_thread() {
  int shared = 0;
  std::thread t([&] { shared = 9; });
  t.join();
  return shared;
}

__attribute__((noinline)) void thrower(int* out) {
  int local = 4;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    *out = local;
    wg.done();
  });
  wg.wait();
  throw std::runtime_error("after the goroutine finished");
}

struct settings {
  long values[16];
};

__attribute__((noinline)) long by_value(settings s) {
  long sum = 0;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    for (long v : s.values) sum += v;
    wg.done();
  });
  wg.wait();
  return sum;
}

__attribute__((noinline)) long variable_length(int n) {
  long buf[n];  // NOLINT: a VLA on purpose (a GNU extension users write)
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    for (int i = 0; i < n; ++i) buf[i] = i;
    wg.done();
  });
  wg.wait();
  return buf[n - 1];
}

int main() {
  return goro::run([] {
    long total = 0;
    for (int round = 0; round < 20; ++round) {
      total += fill_and_wait() + through_a_channel() + with_a_thread();
      total += fill_and_wait() + by_value(settings{{1, 2, 3}});
      total += fill_and_wait() + variable_length(32);
      {
        int first = round;
        total += first;
      }
      {
        int second;  // may sit where `first` was
        auto c = goro::make_chan<int>();
        goro::go([&] {
          second = 5;
          c.send(1);
        });
        c.recv();
        total += second;
      }
      int out = 0;
      try {
        thrower(&out);
      } catch (const std::runtime_error&) {
        total += out;
      }
    }
    std::printf("%ld\ndone\n", total);
  });
}
