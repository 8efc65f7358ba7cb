// A worker pool: three goroutines range over a buffered channel of 100 jobs, each adding its job to
// a shared total without a lock. Whether the race shows depends on the schedule: a worker that
// never blocks could take every job and no two workers would touch the total. The race build
// shakes the schedule (a goroutine made ready skips runnext at random, and channel operations yield
// now and then), so the race is found in (almost) every run, at GOMAXPROCS = the machine's CPUs
// here and 1 in race_worker_pool_one_proc.cpp. On a loaded machine fewer: when the OS leaves one
// P's thread waiting, the worker on the other P yields only to itself (17 of 20 runs once, with
// the test suite's other job beside it on 2 cores; 32 and 33 of 40 on an idle 2-vCPU machine, and
// 13 of 20 in a full suite run, later). 6 of 30 keeps the check meaningful (without the shaking a
// worker takes every job) and CI reliable: at a rate of one run in two, 12 of 30 failed one suite
// run in ten.
// RUN-FLAGS: -race
// OPT: -O1
// RUNS: 30 6
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
// CHECK-STDOUT-RE: ^total \d+$
#include <cstdio>
#include <goro/goro.hpp>

struct totals {
  long total = 0;
};

int main() {
  return goro::run([] {
    totals shared;
    auto jobs = goro::make_chan<int>(100);
    goro::WaitGroup wg;
    for (int w = 0; w < 3; ++w) {
      wg.add(1);
      goro::go([&] {
        for (int j : jobs) shared.total += j;
        wg.done();
      });
    }
    for (int j = 1; j <= 100; ++j) jobs.send(j);
    jobs.close();
    wg.wait();
    std::printf("total %ld\n", shared.total);
  });
}
