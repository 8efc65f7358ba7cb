// The netpoller underneath goro::net (waits, deadlines, eviction), Go-style system calls and
// time-slice inheritance. goro::net itself is exercised end to end in tests/e2e/cases/net_*.cpp.
#include "netpoll/netpoll.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "goro/goro.hpp"
#include "goro/race_abi.h"
#include "support/goro_test.hpp"
#include "time/timer.hpp"

namespace {

using namespace std::chrono_literals;
namespace netpoll = goro::netpoll;

// What the plugin's prologue check does in instrumented code: yield here if sysmon asked.
__attribute__((noinline)) void safe_point() {
  auto sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  if (sp < __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED)) __goro_stack_check_slow(sp, 0);
}

struct pipe_pair {
  int r = -1, w = -1;
  explicit pipe_pair(int flags = O_NONBLOCK) {
    int fds[2];
    if (pipe2(fds, flags | O_CLOEXEC) != 0) std::abort();
    r = fds[0];
    w = fds[1];
  }
  ~pipe_pair() {
    ::close(r);
    ::close(w);
  }
};

int threads_now() {
  FILE* f = std::fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "Threads:", 8) == 0) n = std::atoi(line + 8);
  }
  if (f != nullptr) std::fclose(f);
  return n;
}

class NetpollTest : public goro_test::procs_test {};

TEST_P(NetpollTest, WaitParksUntilTheDescriptorIsReadable) {
  run_in_goro([] {
    pipe_pair p;
    netpoll::poll_desc* pd = netpoll::open(p.r);
    ASSERT_NE(pd, nullptr);
    goro::chan<int> started = goro::make_chan<int>();
    goro::go([&] {
      started.recv();
      goro::sleep(5ms);
      char c = 'x';
      ASSERT_EQ(::write(p.w, &c, 1), 1);
    });
    ASSERT_EQ(netpoll::prepare(pd, netpoll::mode::read), netpoll::status::ok);
    char c = 0;
    ASSERT_EQ(::read(p.r, &c, 1), -1);  // nothing yet: EAGAIN
    started.send(1);
    EXPECT_EQ(netpoll::wait(pd, netpoll::mode::read), netpoll::status::ok);
    EXPECT_EQ(::read(p.r, &c, 1), 1);
    EXPECT_EQ(c, 'x');
    netpoll::evict(pd);
    netpoll::close(pd);
  });
}

TEST_P(NetpollTest, PassedDeadlineFailsWaitsUntilMoved) {
  run_in_goro([] {
    pipe_pair p;
    netpoll::poll_desc* pd = netpoll::open(p.r);
    netpoll::set_deadline(pd, goro::timers::now_ns() + 2'000'000, true, false);
    EXPECT_EQ(netpoll::wait(pd, netpoll::mode::read), netpoll::status::timeout);
    EXPECT_EQ(netpoll::prepare(pd, netpoll::mode::read), netpoll::status::timeout);  // stays passed
    EXPECT_EQ(netpoll::prepare(pd, netpoll::mode::write), netpoll::status::ok);  // other direction
    netpoll::set_deadline(pd, 0, true, false);
    EXPECT_EQ(netpoll::prepare(pd, netpoll::mode::read), netpoll::status::ok);
    netpoll::evict(pd);
    netpoll::close(pd);
  });
}

TEST_P(NetpollTest, WriteDeadlineWakesAParkedWriter) {
  run_in_goro([] {
    pipe_pair p;
    char block[4096] = {};
    while (::write(p.w, block, sizeof block) > 0) {
    }  // full: the next write would block
    netpoll::poll_desc* pd = netpoll::open(p.w);
    ASSERT_EQ(netpoll::prepare(pd, netpoll::mode::write), netpoll::status::ok);
    netpoll::set_deadline(pd, goro::timers::now_ns() + 2'000'000, false, true);
    EXPECT_EQ(netpoll::wait(pd, netpoll::mode::write), netpoll::status::timeout);
    EXPECT_EQ(netpoll::prepare(pd, netpoll::mode::read), netpoll::status::ok);  // other direction
    netpoll::evict(pd);
    netpoll::close(pd);
  });
}

TEST_P(NetpollTest, EvictWakesAParkedWaiter) {
  run_in_goro([] {
    pipe_pair p;
    netpoll::poll_desc* pd = netpoll::open(p.r);
    goro::chan<netpoll::status> result = goro::make_chan<netpoll::status>(1);
    ASSERT_EQ(netpoll::prepare(pd, netpoll::mode::read), netpoll::status::ok);
    goro::go([&] { result.send(netpoll::wait(pd, netpoll::mode::read)); });
    goro::sleep(5ms);  // most likely parked by now; either way the answer is the same
    netpoll::evict(pd);
    EXPECT_EQ(result.recv(), netpoll::status::closing);
    netpoll::close(pd);
  });
}

TEST_P(NetpollTest, WaitingOnADescriptorIsNotADeadlock) {
  run_in_goro([] {
    // The only other goroutine sleeps first, so for a while every goroutine is blocked and only
    // the netpoller (here, a write from the foreign thread below) can wake one.
    pipe_pair p;
    std::thread writer([&] {
      std::this_thread::sleep_for(20ms);
      char c = 'y';
      ASSERT_EQ(::write(p.w, &c, 1), 1);
    });
    goro::net::wait_readable(p.r);
    writer.join();
    char c = 0;
    EXPECT_EQ(::read(p.r, &c, 1), 1);
  });
}

class SyscallTest : public goro_test::procs_test {};

TEST_P(SyscallTest, ALongBlockingCallDoesNotHoldUpOthers) {
  run_in_goro([] {
    pipe_pair p(0);  // blocking pipe: read() blocks the thread
    goro::chan<char> got = goro::make_chan<char>(1);
    goro::go([&] {
      char c = 0;
      goro::blocking([&] { return ::read(p.r, &c, 1); });
      got.send(c);
    });
    // With every P's goroutine stuck in the read, this ping-pong only runs if sysmon retook a P.
    goro::chan<int> a = goro::make_chan<int>(), b = goro::make_chan<int>();
    goro::go([&] {
      for (int i = 0; i < 1000; ++i) b.send(a.recv() + 1);
    });
    int v = 0;
    for (int i = 0; i < 1000; ++i) {
      a.send(v);
      v = b.recv();
    }
    EXPECT_EQ(v, 1000);
    char c = 'z';
    ASSERT_EQ(::write(p.w, &c, 1), 1);
    EXPECT_EQ(got.recv(), 'z');
  });
}

TEST_P(SyscallTest, ShortCallsDoNotMultiplyThreads) {
  run_in_goro([] {
    const int before = threads_now();
    long sum = 0;
    for (int i = 0; i < 100000; ++i)
      sum += goro::blocking([] { return static_cast<long>(getppid()); });
    EXPECT_EQ(sum, 100000L * getppid());
    // GOMAXPROCS Ms, sysmon, the main thread, and perhaps one M started to steal while a call ran.
    EXPECT_LE(threads_now(), std::max(before, goro::gomaxprocs() + 2) + 2);
  });
}

TEST_P(SyscallTest, BlockingReturnsAValueAndRethrows) {
  run_in_goro([] {
    EXPECT_EQ(goro::blocking([] { return std::string(300, 'q'); }).size(), 300u);
    EXPECT_THROW(goro::blocking([]() -> int { throw std::runtime_error("boom"); }),
                 std::runtime_error);
  });
}

TEST_P(SyscallTest, NestedBlockingRunsInline) {
  run_in_goro([] {
    const int v = goro::blocking([] { return goro::blocking([] { return 7; }) + 1; });
    EXPECT_EQ(v, 8);
  });
}

class InheritTest : public ::testing::Test {};

TEST_F(InheritTest, PingPongHogDoesNotStarveALightPair) {
  goro_test::run_in_goro(
      [] {
        // On one P, a hog pair hands the P back and forth through runnext forever, and this
        // goroutine yields to the back of the run queue behind it. Only if the pair's time slice
        // is inherited from one goroutine to the next does sysmon preempt it and let us run again
        // (Go's TestPingPongHog, made deterministic: without inheritance this never returns).
        std::atomic<bool> stop{false};
        goro::chan<int> h1 = goro::make_chan<int>(), h2 = goro::make_chan<int>();
        goro::WaitGroup hogs;
        hogs.add(2);
        goro::go([&] {
          while (!stop.load(std::memory_order_relaxed)) {
            safe_point();
            h1.send(1);
            h2.recv();
          }
          h1.close();
          hogs.done();
        });
        goro::go([&] {
          while (h1.recv_ok()) {
            safe_point();
            h2.send(1);
          }
          hogs.done();
        });
        goro::yield();
        goro::chan<int> l1 = goro::make_chan<int>(), l2 = goro::make_chan<int>();
        goro::go([&] {
          for (int i = 0; i < 10; ++i) l2.send(l1.recv() + 1);
        });
        int v = 0;
        for (int i = 0; i < 10; ++i) {
          l1.send(v);
          v = l2.recv();
        }
        EXPECT_EQ(v, 10);
        stop = true;
        hogs.wait();
      },
      1);
}

GORO_INSTANTIATE_PROCS(NetpollTest);
GORO_INSTANTIATE_PROCS(SyscallTest);

}  // namespace
