// Concurrent writes on one Conn take turns (net.hpp): four goroutines each write 16 messages of
// 256 KiB filled with their own byte, large enough that every write blocks on a full socket buffer
// part-way, and the reader sees every message whole, never two writers' bytes interleaved.
// OPT: -O1
// CHECK-STDOUT: 64 messages of 262144 bytes, each from one writer, 16 per writer
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <system_error>
#include <vector>

using namespace std::chrono_literals;

constexpr int kWriters = 4;
constexpr int kMessages = 16;
constexpr std::size_t kSize = 256 * 1024;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s\n", what);
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  return goro::run([] {
    goro::after_func(20s, [] { fail("watchdog: the case hung for 20 s"); });
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto server = ln.accept();

    goro::WaitGroup wg;
    wg.add(kWriters);
    for (int w = 0; w < kWriters; ++w) {
      goro::go([&, w] {
        const std::vector<unsigned char> msg(kSize, static_cast<unsigned char>('A' + w));
        for (int i = 0; i < kMessages; ++i) client.write(msg.data(), msg.size());
        wg.done();
      });
    }
    goro::go([&] {
      wg.wait();
      client.close_write();
    });

    std::vector<unsigned char> msg(kSize);
    int per_writer[kWriters] = {};
    int messages = 0;
    for (;;) {
      std::size_t got = 0;
      while (got < kSize) {
        const std::size_t n = server.read(msg.data() + got, kSize - got);
        if (n == 0) break;
        got += n;
      }
      if (got == 0) break;
      if (got != kSize) fail("the stream ended inside a message");
      const unsigned char who = msg[0];
      for (std::size_t k = 1; k < kSize; ++k) {
        if (msg[k] != who) {
          std::fprintf(stderr, "FAIL: message %d: byte %zu is %c after %c: writes interleaved\n",
                       messages, k, msg[k], who);
          std::fflush(nullptr);
          std::_Exit(1);
        }
      }
      if (who < 'A' || who >= 'A' + kWriters) fail("a message from nobody");
      ++per_writer[who - 'A'];
      ++messages;
    }
    for (int w = 0; w < kWriters; ++w) {
      if (per_writer[w] != kMessages) fail("a writer's messages went missing");
    }
    std::printf("%d messages of %zu bytes, each from one writer, %d per writer\n", messages, kSize,
                kMessages);
  });
}
