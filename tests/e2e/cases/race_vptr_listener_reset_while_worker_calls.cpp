// A typical observer bug: a worker calls a listener's virtual method through a raw pointer while
// the owner destroys the listener with std::unique_ptr::reset() later, with no synchronisation.
// The destructors are defaulted (no vptr rewrite may be emitted), so the racing write can be just
// the free -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_vptr_listener_reset_while_worker_calls\.cpp:43\b
// CHECK: Previous
// CHECK-RE: race_vptr_listener_reset_while_worker_calls\.cpp:38\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include "race_steps_threads.hpp"

std::atomic<long> events{0};

struct Listener {
  virtual ~Listener() = default;
  virtual void on_event(long v) = 0;
};

struct CountingListener : Listener {
  void on_event(long v) override { events.fetch_add(v, std::memory_order_relaxed); }
};

std::unique_ptr<Listener> owner;
Listener* raw;

int main() {
  owner = std::make_unique<CountingListener>();
  raw = owner.get();
  std::thread worker([] {
    raw->on_event(1);  // access 1
    reach(1);
  });
  std::thread shutdown([] {
    await(1);
    owner.reset();  // access 2
  });
  worker.join();
  shutdown.join();
  std::printf("events %ld\n", events.load());
}
