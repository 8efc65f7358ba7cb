// A goroutine inside goro::blocking is in a system call, which is no deadlock: main blocks on a
// channel that only that goroutine sends on, after a blocking read of a pipe that a child process
// (forked before goro::run) writes after a delay. No timer is pending and no foreign thread lives
// meanwhile, so only the system call keeps the program alive. No deadlock report.
// OPT: -O1
// CHECK-STDOUT: main received: b
// CHECK-STDOUT: child exited 0
// CHECK-NOT: all goroutines are asleep
// CHECK-NOT: fatal error
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <goro/goro.hpp>

int main() {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  const pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    close(fds[0]);
    usleep(300 * 1000);
    if (write(fds[1], "b", 1) != 1) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  return goro::run([&] {
    auto got = goro::make_chan<char>();
    goro::go([&] {
      char c = '?';
      goro::blocking([&] { return read(fds[0], &c, 1); });
      got.send(c);
    });
    std::printf("main received: %c\n", got.recv());
    int status = 0;
    goro::blocking([&] { return waitpid(child, &status, 0); });
    std::printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
  });
}
