// Clean twin of the read()/write() races: a thread recv()s into a buffer and publishes it with a
// release store; another thread waits with an acquire load, then reads and edits the buffer and
// send()s it back from the buffer. Every buffer access is ordered.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: echo Ping
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

int sv[2];
char buf[16];
std::atomic<bool> ready{false};

int main() {
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
  if (send(sv[0], "ping", 5, 0) != 5) return 1;
  std::thread receiver([] {
    if (recv(sv[1], buf, sizeof buf, 0) != 5) std::abort();
    ready.store(true, std::memory_order_release);
  });
  std::thread editor([] {
    while (!ready.load(std::memory_order_acquire)) std::this_thread::yield();
    buf[0] = 'P';
    if (send(sv[1], buf, 5, 0) != 5) std::abort();
  });
  receiver.join();
  editor.join();
  char back[16] = {};
  if (recv(sv[0], back, sizeof back, 0) != 5) return 1;
  std::printf("echo %s\n", back);
}
