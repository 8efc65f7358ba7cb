// A load that the source performs only under a condition must not be reported when the condition
// is false: the optimiser may hoist it above its branch (`r = cond ? g : 0` with g loaded either
// way), which is harmless for the program but would show the detector a read the source never
// makes. The race build keeps the optimiser from speculating loads, as -fsanitize=thread does.
// Here a thread writes `shared` while main calls the reader with the condition false.
// RUN-FLAGS: -race
// OPT: -O1 -O2 -O3
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: total 0
#include <cstdio>
#include <thread>

int shared;

__attribute__((noinline)) int read_if(bool wanted, int scale) {
  int r = 0;
  if (wanted) r = shared * scale;
  return r;
}

int main(int argc, char**) {
  std::thread writer([] {
    for (int i = 0; i < 1000; ++i) shared = i;
  });
  int total = 0;
  const bool wanted = argc > 5;  // false: the test passes no arguments
  for (int i = 0; i < 1000; ++i) total += read_if(wanted, i);
  writer.join();
  std::printf("total %d\n", total);
}
