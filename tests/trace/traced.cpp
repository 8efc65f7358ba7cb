// The program tests/trace/trace_test.py traces: a producer site with four goroutines, a sleeper
// that then makes a blocking call, a goroutine waiting for a pipe in the network poller, main
// receiving. The test reads the marked lines.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <goro/goro.hpp>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  const bool by_exit = argc > 1 && std::strcmp(argv[1], "exit") == 0;
  return goro::run([by_exit] {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK) != 0) return 1;
    goro::WaitGroup polled;
    polled.add(1);
    goro::go([&] {                       // LINE: poller
      goro::net::wait_readable(fds[0]);  // main writes once every other goroutine is done
      polled.done();
    });
    auto c = goro::make_chan<int>();
    goro::WaitGroup wg;
    for (int i = 0; i < 4; ++i) {
      wg.add(1);
      goro::go([&] {  // LINE: producers
        for (int k = 0; k < 50; ++k) c.send(k);
        wg.done();
      });
    }
    wg.add(1);
    goro::go([&] {  // LINE: sleeper
      goro::sleep(2ms);
      goro::blocking([] { return usleep(1000); });
      wg.done();
    });
    long sum = 0;
    for (int k = 0; k < 200; ++k) sum += c.recv();
    wg.wait();  // the sleeper slept meanwhile: the poller has run and waits for the pipe
    if (write(fds[1], "x", 1) != 1) return 1;
    polled.wait();
    std::printf("sum %ld\n", sum);
    if (by_exit) {
      std::fflush(stdout);
      std::exit(0);
    }
    return 0;
  });
}
