// The strict form of "a goroutine in accept is no deadlock": no timer is pending and no other
// thread of this process exists, only main blocked on a channel and a goroutine waiting in accept
// on the netpoller. The connection comes from a child process (forked before goro::run, told the
// port through a pipe) after a delay; the accepting goroutine then wakes main. No deadlock report.
// The child is also the watchdog: if the parent has not closed the pipe 10 s after the connection,
// it sends SIGQUIT (a goroutine dump, exit 2).
// OPT: -O1
// CHECK-STDOUT: main received: connection from the child
// CHECK-STDOUT: child exited 0
// CHECK-NOT: all goroutines are asleep
// CHECK-NOT: fatal error
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <string>

int main() {
  int port_pipe[2];
  if (pipe(port_pipe) != 0) return 1;
  const pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    // The child: a plain process without the runtime.
    close(port_pipe[1]);
    const auto give_up = [](const char* why) {
      std::fprintf(stderr, "FAIL: child: %s\n", why);
      kill(getppid(), SIGQUIT);
      _exit(3);
    };
    int port = 0;
    if (read(port_pipe[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port))
      give_up("no port");
    usleep(200 * 1000);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) give_up("connect failed");
    close(fd);
    pollfd p{port_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) give_up("the parent did not finish within 10 s");
    _exit(0);
  }
  close(port_pipe[0]);
  return goro::run([&] {
    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    const int port = std::atoi(addr.substr(addr.rfind(':') + 1).c_str());
    if (write(port_pipe[1], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return 1;
    auto news = goro::make_chan<std::string>();
    goro::go([&ln, news] {
      auto c = ln.accept();
      news.send("connection from the child");
    });
    std::printf("main received: %s\n", news.recv().c_str());
    close(port_pipe[1]);  // lets the child end
    int status = 0;
    goro::blocking([&] { return waitpid(child, &status, 0); });
    std::printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
  });
}
