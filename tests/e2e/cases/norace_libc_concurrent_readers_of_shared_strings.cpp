// Many libc calls only read their string arguments: four threads call strlen, strcmp, strncmp,
// strchr, strstr, memcmp, strdup, fputs and write on the same shared strings at the same time.
// Read/read is not a race; each thread writes only its own result slot, read after join.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: results 4 4 4 4
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

char text[64];
char other[64];
char needle[8];
int devnull;
FILE* sink;
int results[4];

void reader(int slot) {
  int ok = 0;
  for (int round = 0; round < 200; ++round) {
    ok = 0;
    ok += std::strlen(text) == 26;
    ok += std::strcmp(text, other) == 0 && std::strncmp(text, other, 10) == 0;
    ok += std::strchr(text, 'q') != nullptr && std::strstr(text, needle) != nullptr;
    char* copy = strdup(text);
    ok += std::memcmp(copy, other, 27) == 0;
    std::free(copy);
    std::fputs(text, sink);
    if (write(devnull, other, 26) != 26) std::abort();
  }
  results[slot] = ok;
}

int main() {
  std::snprintf(text, sizeof text, "the quick brown fox %s", "jumped");
  std::strcpy(other, text);
  std::strcpy(needle, "brown");
  devnull = open("/dev/null", O_WRONLY);
  sink = std::fopen("/dev/null", "w");
  if (devnull < 0 || !sink) return 1;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back(reader, i);
  for (auto& t : threads) t.join();
  std::printf("results %d %d %d %d\n", results[0], results[1], results[2], results[3]);
}
