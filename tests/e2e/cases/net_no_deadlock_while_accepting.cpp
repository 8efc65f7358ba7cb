// A goroutine waiting in accept is waiting on the netpoller, which is no deadlock: main starts an
// accept goroutine, sleeps, dials, and both finish with the message delivered; no
// "all goroutines are asleep" report at any point.
// OPT: -O1
// CHECK-STDOUT: accepted and read: knock
// CHECK-NOT: all goroutines are asleep
// CHECK-NOT: fatal error
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto got = goro::make_chan<std::string>();
    goro::go([&ln, got] {
      auto c = ln.accept();
      char buf[16];
      std::string s;
      while (std::size_t n = c.read(buf, sizeof buf)) s.append(buf, n);
      got.send(s);
    });
    goro::sleep(100ms);
    {
      auto c = goro::net::dial(ln.addr());
      c.write("knock", 5);
    }  // closed: the reader sees end of stream
    std::printf("accepted and read: %s\n", got.recv().c_str());
  });
}
