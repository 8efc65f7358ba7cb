// Main blocks on a channel that only the accepting goroutine sends on, after a connection arrives
// from a std::thread started earlier that dials (with plain sockets) after a delay. Meanwhile
// every goroutine is blocked, one of them in accept on the netpoller: no deadlock is reported.
// OPT: -O1
// CHECK-STDOUT: main received: connection from the thread
// CHECK-NOT: all goroutines are asleep
// CHECK-NOT: fatal error
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <string>
#include <thread>

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    const int port = std::atoi(addr.substr(addr.rfind(':') + 1).c_str());
    std::thread dialer([port] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        std::perror("FAIL: connect");
        std::fflush(nullptr);
        std::_Exit(1);
      }
      close(fd);
    });
    auto news = goro::make_chan<std::string>();
    goro::go([&ln, news] {
      auto c = ln.accept();
      news.send("connection from the thread");
    });
    std::printf("main received: %s\n", news.recv().c_str());
    dialer.join();
  });
}
