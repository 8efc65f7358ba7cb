// Go's idiom for interrupting a read: another goroutine sets the read deadline to a time already
// passed while the read waits, and the read wakes at once with timed_out (it does not wait for its
// old deadline, here none).
// OPT: -O1
// CHECK-STDOUT: blocked read woke: timed_out
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    auto tcp = connected_pair();  // server: silent

    auto reading = goro::make_chan<bool>();
    auto result = goro::make_chan<std::error_code>(1);
    goro::go([&] {
      char buf[8];
      std::error_code ec;
      reading.send(true);
      tcp.client.read(buf, sizeof buf, ec);
      result.send(ec);
    });
    reading.recv();
    goro::sleep(100ms);
    tcp.client.set_read_deadline(std::chrono::steady_clock::now() - 1s);

    std::error_code ec;
    const int which = goro::select(goro::recv_case(result, [&](std::error_code e) { ec = e; }),
                                   goro::recv_case(goro::after(5s)));
    if (which == 1) fail("the read still waited 5 s after its deadline was set in the past");
    if (ec != std::errc::timed_out) fail("the read ended otherwise", ec);
    std::printf("blocked read woke: timed_out\n");
  });
}
