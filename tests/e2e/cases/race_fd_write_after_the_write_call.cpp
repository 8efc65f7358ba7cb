// A pipe orders only what comes before the write: a payload written after write() returns races
// with the reader's use of it even though the reader waited for the byte.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <unistd.h>

#include <cstdio>
#include <thread>

int payload;

int main() {
  int p[2];
  if (pipe(p) != 0) return 1;
  std::thread writer([&] {
    char c = 'x';
    if (write(p[1], &c, 1) != 1) std::perror("write");
    payload = 1;
  });
  char c;
  if (read(p[0], &c, 1) != 1) std::perror("read");
  const int seen = payload;
  writer.join();
  std::printf("%d\n", seen);
}
