// goro::net as a unit: round trips, errors, deadlines and close, run here (and so under the
// sanitizer build) as well as end to end in tests/e2e/cases/net_*.cpp.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <system_error>

#include "goro/goro.hpp"
#include "support/goro_test.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = goro::net;

class NetTest : public goro_test::procs_test {};

// Reads exactly n bytes or fails the test.
void read_full(net::Conn& c, char* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const std::size_t r = c.read(p + got, n - got);
    ASSERT_GT(r, 0u);
    got += r;
  }
}

TEST_P(NetTest, EchoRoundTripsOverManyConnections) {
  run_in_goro([] {
    net::Listener ln = net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    goro::go([&ln] {
      for (;;) {
        std::error_code ec;
        net::Conn c = ln.accept(ec);
        if (ec) return;
        goro::go(
            [](net::Conn c) {
              char buf[256];
              std::error_code ec;
              while (std::size_t n = c.read(buf, sizeof buf, ec)) c.write(buf, n, ec);
            },
            std::move(c));
      }
    });
    goro::WaitGroup wg;
    std::atomic<int> ok{0};
    for (int i = 0; i < 50; ++i) {
      wg.add(1);
      goro::go([&, i] {
        net::Conn c = net::dial(addr);
        char out[32], in[32];
        for (int r = 0; r < 20; ++r) {
          std::memset(out, 'a' + (i + r) % 26, sizeof out);
          c.write(out, sizeof out);
          read_full(c, in, sizeof in);
          if (std::memcmp(in, out, sizeof in) == 0) ok.fetch_add(1);
        }
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(ok.load(), 50 * 20);
    ln.close();
  });
}

TEST_P(NetTest, ErrorsCarryTheirErrnoCode) {
  run_in_goro([] {
    std::error_code ec;
    net::Listener taken = net::listen("127.0.0.1:0");
    net::listen(taken.addr(), ec);
    EXPECT_EQ(ec, std::errc::address_in_use);
    const std::string refused = taken.addr();
    taken.close();
    net::dial(refused, ec);
    EXPECT_EQ(ec, std::errc::connection_refused);
    net::dial("no-port-here", ec);
    EXPECT_EQ(ec, std::errc::invalid_argument);
    net::dial("udp", "127.0.0.1:1", ec);
    EXPECT_EQ(ec, std::errc::invalid_argument);
    try {
      net::dial(refused);
      ADD_FAILURE() << "dial to a closed port succeeded";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code(), std::errc::connection_refused);
      EXPECT_NE(std::string(e.what()).find("dial tcp " + refused), std::string::npos) << e.what();
    }
  });
}

TEST_P(NetTest, DeadlinePassesThenMovesAndCloseWakesAReader) {
  run_in_goro([] {
    net::Listener ln = net::listen("127.0.0.1:0");
    net::Conn client = net::dial(ln.addr());
    net::Conn server = ln.accept();
    char c = 0;
    std::error_code ec;
    server.set_read_deadline(std::chrono::steady_clock::now() + 5ms);
    EXPECT_EQ(server.read(&c, 1, ec), 0u);
    EXPECT_EQ(ec, std::errc::timed_out);
    client.write("x", 1);
    EXPECT_EQ(server.read(&c, 1, ec), 0u);  // data is there, but the deadline has passed
    EXPECT_EQ(ec, std::errc::timed_out);
    server.set_read_deadline({});
    EXPECT_EQ(server.read(&c, 1), 1u);
    EXPECT_EQ(c, 'x');

    goro::chan<std::error_code> result = goro::make_chan<std::error_code>(1);
    goro::go([&] {
      std::error_code e;
      char d;
      server.read(&d, 1, e);
      result.send(e);
    });
    goro::sleep(5ms);
    server.close();
    const std::error_code got = result.recv();
    EXPECT_TRUE(got == std::errc::operation_canceled || got == std::errc::bad_file_descriptor)
        << got.message();
    EXPECT_FALSE(server.is_open());
    server.read(&c, 1, ec);
    EXPECT_EQ(ec, std::errc::bad_file_descriptor);
    client.close();
    client.close();  // harmless
  });
}

TEST_P(NetTest, UnixSocketsAndEndOfStream) {
  run_in_goro([] {
    const std::string path = "/tmp/goro-net-test-" + std::to_string(::getpid()) + ".sock";
    net::Listener ln = net::listen("unix", path);
    EXPECT_EQ(ln.addr(), path);
    net::Conn client = net::dial("unix", path);
    net::Conn server = ln.accept();
    client.write("hello", 5);
    client.close_write();
    char buf[8];
    read_full(server, buf, 5);
    EXPECT_EQ(std::string(buf, 5), "hello");
    EXPECT_EQ(server.read(buf, sizeof buf), 0u);  // end of stream
    ln.close();
    EXPECT_NE(::access(path.c_str(), F_OK), 0);  // the listener removed its file
  });
}

GORO_INSTANTIATE_PROCS(NetTest);

}  // namespace
