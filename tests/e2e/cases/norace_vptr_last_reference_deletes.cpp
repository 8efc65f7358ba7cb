// Clean twin with an intrusive reference count: each of four threads makes virtual calls on the
// shared object and then drops its reference with fetch_sub(acq_rel); whichever thread drops the
// last reference deletes the object (a virtual destructor call). Every call happens before the
// delete through the release/acquire on the count.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: rounds 50 calls 1000
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

std::atomic<long> calls{0};

struct Job {
  std::atomic<int> refs{4};
  virtual ~Job() { asm volatile("" ::: "memory"); }
  virtual void run() = 0;
  void release() {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

struct PrintJob : Job {
  ~PrintJob() override { asm volatile("" ::: "memory"); }
  void run() override { calls.fetch_add(1, std::memory_order_relaxed); }
};

int main() {
  int rounds = 0;
  for (; rounds < 50; ++rounds) {
    Job* job = new PrintJob;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([job] {
        job->run();
        job->run();
        job->run();
        job->run();
        job->run();
        job->release();
      });
    for (auto& t : threads) t.join();
  }
  std::printf("rounds %d calls %ld\n", rounds, calls.load());
}
