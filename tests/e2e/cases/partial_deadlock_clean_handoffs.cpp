// No false partial deadlock where Go lets one goroutine unlock what another locked:
// - producers lock one of four slot Mutexes per job and the worker that finishes the job unlocks
//   it (locks used as tokens): producers wait on each other's slots for an instant, and a worker
//   breaks that cycle;
// - a goroutine ends holding a Mutex that main unlocks later, while a goroutine that reuses its
//   record waits on a second Mutex whose holder waits on the first one: the ended goroutine is
//   nobody's holder.
// OPT: -O0 -O1
// RUNS: 3 3
// CHECK-NOT: partial deadlock
// CHECK-STDOUT: jobs 6000
// CHECK-STDOUT: handed over
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex slots[4];
goro::Mutex stats;
long jobs_done = 0;

void tokens_handed_to_workers() {
  auto jobs = goro::make_chan<int>(8);
  goro::WaitGroup workers;
  for (int w = 0; w < 4; ++w) {
    workers.add(1);
    goro::go([&workers, jobs] {
      for (int s : jobs) {
        {
          std::lock_guard l(stats);
          ++jobs_done;
        }
        slots[s].unlock();
      }
      workers.done();
    });
  }
  goro::WaitGroup producers;
  for (int p = 0; p < 3; ++p) {
    producers.add(1);
    goro::go([&producers, jobs, p] {
      for (int i = 0; i < 2000; ++i) {
        const int s = (i + p) % 4;
        slots[s].lock();
        jobs.send(s);
      }
      producers.done();
    });
  }
  producers.wait();
  jobs.close();
  workers.wait();
  std::printf("jobs %ld\n", jobs_done);
}

goro::Mutex left_locked;
goro::Mutex second;

void lock_outliving_its_goroutine() {
  auto locked = goro::make_chan<int>();
  goro::go([locked] {
    left_locked.lock();
    locked.send(1);
  });  // ends holding left_locked
  locked.recv();
  goro::WaitGroup wg;
  auto holding = goro::make_chan<int>();
  wg.add(2);
  goro::go([&wg, holding] {
    holding.recv();
    second.lock();  // waits for the goroutine below
    second.unlock();
    wg.done();
  });
  goro::go([&wg, holding] {
    second.lock();
    holding.send(1);
    left_locked.lock();  // waits for main's unlock
    left_locked.unlock();
    second.unlock();
    wg.done();
  });
  goro::sleep(std::chrono::milliseconds(300));  // longer than the confirmation delay
  left_locked.unlock();
  wg.wait();
  std::puts("handed over");
}

int main() {
  return goro::run([] {
    tokens_handed_to_workers();
    lock_outliving_its_goroutine();
    return 0;
  });
}
