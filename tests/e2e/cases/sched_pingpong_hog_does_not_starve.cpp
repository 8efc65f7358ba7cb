// On one P, a "hog" pair of goroutines bouncing a token through two unbuffered channels forever
// (each hand-off makes the partner the next to run) does not starve goroutines waiting in the run
// queue: main, which yields once the hog pair is going, gets the P back and starts a "light" pair
// that does the same with a 1 ms sleep between round trips; the light pair completes its 10 round
// trips and main exits. The hog pair's hand-offs must share one time slice, so that the pair is
// preempted like one long runner (Go's time-slice inheritance). A plain watchdog thread ends the
// run otherwise, saying which step starved.
// ENV: GOMAXPROCS=1
// OPT: -O0 -O1
// CHECK-STDOUT: main ran again while the hog pair bounced
// CHECK-STDOUT: light pair: 10 round trips
// CHECK-NOT: FAIL
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <thread>

using namespace std::chrono_literals;

std::atomic<long> hog_trips{0};
std::atomic<int> light_trips{0};
std::atomic<int> step{0};  // 0: main yielded to the hog pair; 1: light pair started; 2: done

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s (step %d, hog round trips %ld, light round trips %d)\n", what,
               step.load(), hog_trips.load(), light_trips.load());
  std::fflush(nullptr);
  std::_Exit(1);
}

// Bounces a token between two goroutines: `first` sends, then waits for the reply.
void bounce(goro::chan<int> there, goro::chan<int> back, bool first, int rounds,
            std::chrono::milliseconds pause, std::atomic<long>* count, goro::chan<bool> done) {
  if (!first) {
    for (;;) back.send(there.recv());
  }
  for (int i = 0; rounds < 0 || i < rounds; ++i) {
    there.send(i);
    back.recv();
    count->fetch_add(1, std::memory_order_relaxed);
    if (pause.count() > 0) goro::sleep(pause);
  }
  done.send(true);
}

int main() {
  std::thread([] {
    std::this_thread::sleep_for(10s);
    fail("watchdog: starved for 10 s");
  }).detach();

  return goro::run([] {
    auto done = goro::make_chan<bool>();
    auto hog_there = goro::make_chan<int>(), hog_back = goro::make_chan<int>();
    goro::go(bounce, hog_there, hog_back, false, -1, 0ms, &hog_trips, done);
    goro::go(bounce, hog_there, hog_back, true, -1, 0ms, &hog_trips, done);
    goro::yield();  // to the back of the run queue, behind the hog pair
    std::printf("main ran again while the hog pair bounced (%s)\n",
                hog_trips.load() > 0 ? "it had bounced" : "it had not bounced yet");
    step.store(1);

    std::atomic<long> light{0};
    auto light_there = goro::make_chan<int>(), light_back = goro::make_chan<int>();
    goro::go(bounce, light_there, light_back, false, 10, 1ms, &light, done);
    goro::go(bounce, light_there, light_back, true, 10, 1ms, &light, done);
    done.recv();
    light_trips.store(static_cast<int>(light.load()));
    step.store(2);
    std::printf("light pair: %ld round trips\n", light.load());
  });
}
