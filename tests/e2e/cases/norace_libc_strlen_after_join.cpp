// The clean twin of race_libc_strlen_vs_write: the writer is joined before strlen reads the
// string, and two threads reading one string with strlen and strcmp at once never race.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
#include <cstdio>
#include <cstring>
#include <thread>

char g_name[32] = "worker-0";

int main() {
  std::thread writer([] { g_name[7] = '1'; });
  writer.join();
  std::size_t lengths[2] = {};
  int same[2] = {};
  std::thread readers[2];
  for (int i = 0; i < 2; ++i) {
    readers[i] = std::thread([i, &lengths, &same] {
      lengths[i] = std::strlen(g_name);
      same[i] = std::strcmp(g_name, "worker-1");
    });
  }
  for (std::thread& t : readers) t.join();
  std::printf("%zu %zu %d %d\n", lengths[0], lengths[1], same[0], same[1]);
}
