// A TCP echo server and its clients on 127.0.0.1, written with goro::blocking around the POSIX
// socket calls, as a user would before goro::net: each goroutine keeps its buffers in locals, the
// server hands each connection to its own goroutine, and the clients check what comes back. No
// report: the calls run on each M's system stack in turn (forgotten between goroutines), and what
// a goroutine wrote before send() is ordered before the recv() that returns it.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: echoed 8 of 8
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <goro/goro.hpp>
#include <string>

constexpr int kClients = 8;

struct message {
  char text[32];
  int length;
};

void serve(int conn) {
  message m{};
  const ssize_t got = goro::blocking([&] { return recv(conn, m.text, sizeof m.text, 0); });
  if (got > 0) {
    m.length = static_cast<int>(got);
    goro::blocking([&] { return send(conn, m.text, static_cast<size_t>(m.length), 0); });
  }
  goro::blocking([&] { return close(conn); });
}

int main() {
  return goro::run([] {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listener, kClients) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      std::perror("listen");
      return 1;
    }
    goro::go([listener] {
      for (int i = 0; i < kClients; ++i) {
        const int conn = goro::blocking([&] { return accept(listener, nullptr, nullptr); });
        if (conn >= 0) goro::go(serve, conn);
      }
    });
    std::atomic<int> echoed{0};
    goro::WaitGroup wg;
    for (int i = 0; i < kClients; ++i) {
      wg.add(1);
      goro::go([&, i] {
        const std::string text = "hello " + std::to_string(i);
        char reply[32] = {};
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        const int rc = goro::blocking(
            [&] { return connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr); });
        if (rc == 0) {
          goro::blocking([&] { return send(fd, text.data(), text.size(), 0); });
          const ssize_t got = goro::blocking([&] { return recv(fd, reply, sizeof reply - 1, 0); });
          if (got > 0 && text == reply) echoed.fetch_add(1);
        }
        goro::blocking([&] { return close(fd); });
        wg.done();
      });
    }
    wg.wait();
    close(listener);
    std::printf("echoed %d of %d\n", echoed.load(), kClients);
    return 0;
  });
}
