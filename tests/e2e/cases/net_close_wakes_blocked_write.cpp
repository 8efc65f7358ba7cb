// Closing a Conn while another goroutine waits in write (the peer never reads, so the buffers are
// full) wakes that write promptly: it fails with operation_canceled, and the error_code overload
// it used reports how many bytes went out before: some (the buffers took them), not all.
// OPT: -O1
// CHECK-STDOUT: blocked write woke: operation_canceled
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>
#include <vector>

#include "net_case.hpp"

using namespace std::chrono_literals;

struct outcome {
  std::error_code ec;
  std::size_t written = 0;
};

int main() {
  return goro::run([] {
    auto tcp = connected_pair();  // server: never reads

    constexpr std::size_t kBig = 64 << 20;  // far more than the socket buffers hold
    auto result = goro::make_chan<outcome>(1);
    auto writing = goro::make_chan<bool>();
    goro::go([&] {
      std::vector<char> data(kBig, 'w');
      writing.send(true);
      outcome o;
      o.written = tcp.client.write(data.data(), data.size(), o.ec);
      result.send(o);
    });
    writing.recv();
    goro::sleep(200ms);  // the buffers are full and the writer parked by now
    tcp.client.close();

    outcome o;
    const int which = goro::select(goro::recv_case(result, [&](outcome v) { o = v; }),
                                   goro::recv_case(goro::after(5s)));
    if (which == 1) fail("the write was still blocked 5 s after close");
    std::printf(
        "blocked write woke: %s after %zu bytes\n",
        o.ec == std::errc::operation_canceled ? "operation_canceled" : o.ec.message().c_str(),
        o.written);
    if (o.ec != std::errc::operation_canceled) fail("the write failed with another error", o.ec);
    if (o.written == 0 || o.written >= kBig) fail("the count written is not part of the data");
  });
}
