// The happens-before edges of SPEC.md, one rule per test pair: with the edge the accesses are
// ordered (no report), without it (or on the wrong side of it) they race (one report).
#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "race_test.hpp"

namespace {

using race_test::concurrently;
using race_test::in_goroutines;
using race_test::latch;
using race_test::read;
using race_test::write;
using namespace std::chrono_literals;

class EdgesTest : public race_test::procs_test {};

// ---- channels

TEST_P(EdgesTest, SendHappensBeforeTheMatchingReceiveCompletes) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      write(&x);
      c.send(1);
    });
    c.recv();
    write(&x);
  });
}

TEST_P(EdgesTest, AccessAfterSendRacesWithReceiver) {
  EXPECT_RACES(1, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    latch wrote(1);
    goro::go([&] {
      c.send(1);
      write(&x);
      wrote.count_down();
    });
    c.recv();
    wrote.wait();  // no edge: keeps the writes apart in time (see in_goroutines)
    write(&x);
  });
}

TEST_P(EdgesTest, UnbufferedReceiveHappensBeforeTheSendCompletes) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    latch done(1);
    goro::go([&] {
      c.send(1);
      write(&x);
      done.count_down();
    });
    write(&x);
    c.recv();
    done.wait();
  });
}

TEST_P(EdgesTest, BufferedReceiveHappensBeforeTheSendCapacityLater) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto sem = goro::make_chan<int>(1);
    sem.send(0);  // send 1 fills the buffer
    latch done(1);
    goro::go([&] {
      write(&x);
      sem.recv();  // receive 1
      done.count_down();
    });
    sem.send(0);  // send 2 = receive 1 + capacity: completes after it
    write(&x);
    done.wait();
  });
}

TEST_P(EdgesTest, BufferedSendDoesNotWaitForAReceiveWithinCapacity) {
  EXPECT_RACES(1, [] {
    int x = 0;
    auto sem = goro::make_chan<int>(2);
    sem.send(0);
    latch wrote(1), done(1);
    goro::go([&] {
      write(&x);
      wrote.count_down();
      sem.recv();
      done.count_down();
    });
    sem.send(0);   // capacity 2: does not wait for the receive
    wrote.wait();  // no edge: keeps the writes apart in time (see in_goroutines)
    write(&x);
    done.wait();
  });
}

TEST_P(EdgesTest, BufferedSendHappensBeforeItsReceive) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>(4);
    goro::go([&] {
      write(&x);
      c.send(1);
    });
    c.recv();
    write(&x);
  });
}

TEST_P(EdgesTest, CloseHappensBeforeAReceiveThatSeesIt) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      write(&x);
      c.close();
    });
    EXPECT_FALSE(c.recv_ok().has_value());
    write(&x);
  });
}

TEST_P(EdgesTest, SelectReceiveHasTheEdgeOfAReceive) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    auto never = goro::make_chan<int>();
    goro::go([&] {
      write(&x);
      c.send(1);
    });
    goro::select(goro::recv_case(c), goro::recv_case(never));
    write(&x);
  });
}

// Either order, with no edge between them: the send and the close race on the channel (apart in
// time, so that neither misses the other; see in_goroutines).
TEST_P(EdgesTest, SendThenUnorderedCloseIsARaceOnTheChannel) {
  EXPECT_RACES(1, [] {
    auto c = goro::make_chan<int>(1);
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        c.try_send(1);
      } else {
        c.close();
      }
    });
  });
}

TEST_P(EdgesTest, CloseThenUnorderedSendIsARaceOnTheChannel) {
  EXPECT_RACES(1, [] {
    auto c = goro::make_chan<int>(1);
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        c.close();
      } else {
        try {
          c.try_send(1);
          std::fprintf(stderr, "send on a closed channel did not panic\n");
          _exit(3);
        } catch (const goro::panic_error&) {  // the race is reported all the same
        }
      }
    });
  });
}

// ---- sync

TEST_P(EdgesTest, UnlockHappensBeforeTheNextLock) {
  EXPECT_RACES(0, [] {
    int x = 0;
    goro::Mutex mu;
    concurrently(4, [&](int) {
      for (int k = 0; k < 100; ++k) {
        std::lock_guard l(mu);
        write(&x);
      }
    });
  });
}

TEST_P(EdgesTest, RUnlockHappensBeforeLock) {
  EXPECT_RACES(0, [] {
    int x = 0;
    goro::RWMutex mu;
    concurrently(4, [&](int i) {
      if (i == 0) {
        std::lock_guard l(mu);
        write(&x);
      } else {
        std::shared_lock l(mu);
        read(&x);
      }
    });
  });
}

TEST_P(EdgesTest, ReadersDoNotOrderEachOther) {
  EXPECT_RACES(1, [] {
    int x = 0;
    goro::RWMutex mu;
    in_goroutines(2, [&](int) {
      std::shared_lock l(mu);
      write(&x);  // a write under a read lock: the readers race
    });
  });
}

TEST_P(EdgesTest, WaitGroupDoneHappensBeforeWaitReturns) {
  EXPECT_RACES(0, [] {
    int x[8] = {};
    goro::WaitGroup wg;
    for (int i = 0; i < 8; ++i) {
      wg.add(1);
      goro::go([&, i] {
        write(&x[i]);
        wg.done();
      });
    }
    wg.wait();
    for (int& v : x) write(&v);
  });
}

TEST_P(EdgesTest, OnceHappensBeforeEveryCallReturns) {
  EXPECT_RACES(0, [] {
    int x = 0;
    goro::Once once;
    concurrently(4, [&](int) {
      once.call([&] { write(&x); });
      read(&x);
    });
  });
}

TEST_P(EdgesTest, CondWaitersSeeWhatTheSignallerWrote) {
  EXPECT_RACES(0, [] {
    int x = 0;
    bool ready = false;
    goro::Mutex mu;
    goro::Cond cond(mu);
    latch done(1);
    goro::go([&] {
      mu.lock();
      while (!ready) cond.wait();
      mu.unlock();
      read(&x);
      done.count_down();
    });
    write(&x);
    mu.lock();
    ready = true;
    cond.signal();
    mu.unlock();
    done.wait();
  });
}

TEST_P(EdgesTest, SleepCreatesNoEdge) {
  EXPECT_RACES(1, [] {
    int x = 0;
    goro::go([&] { write(&x); });
    goro::sleep(20ms);
    write(&x);
  });
}

// ---- turns without events: a goroutine's context is switched in at its first event, not at its
// switch in (goroutine_switch.hpp); many turns with none in between lose no edge and hide no race.

TEST_P(EdgesTest, QuietTurnsKeepTheGoStatementsEdge) {
  EXPECT_RACES(0, [] {
    int x = 0;
    write(&x);
    latch done(1);
    goro::go([&] {
      for (int i = 0; i < 100; ++i) goro::yield();
      read(&x);
      done.count_down();
    });
    for (int i = 0; i < 100; ++i) goro::yield();
    done.wait();
  });
}

TEST_P(EdgesTest, QuietTurnsKeepAReceivesEdge) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    latch done(1);
    goro::go([&] {
      for (int i = 0; i < 100; ++i) goro::yield();
      c.recv();
      for (int i = 0; i < 100; ++i) goro::yield();
      read(&x);
      done.count_down();
    });
    for (int i = 0; i < 50; ++i) goro::yield();
    write(&x);
    c.send(1);
    done.wait();
  });
}

TEST_P(EdgesTest, QuietTurnsDoNotHideARace) {
  EXPECT_RACES(1, [] {
    int x = 0;
    latch wrote(1);
    goro::go([&] {
      for (int i = 0; i < 100; ++i) goro::yield();
      write(&x);
      wrote.count_down();
    });
    for (int i = 0; i < 100; ++i) goro::yield();
    wrote.wait();  // no edge
    write(&x);
  });
}

GORO_RACE_INSTANTIATE_PROCS(EdgesTest);

}  // namespace
