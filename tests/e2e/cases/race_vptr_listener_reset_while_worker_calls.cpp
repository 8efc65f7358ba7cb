// A typical observer bug: a worker calls a listener's virtual method through a raw pointer while
// the owner destroys the listener with std::unique_ptr::reset() later, with no synchronisation.
// The destructors are defaulted (no vptr rewrite may be emitted), so the racing write can be just
// the free -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_vptr_listener_reset_while_worker_calls\.cpp:48\b
// CHECK: Previous
// CHECK-RE: race_vptr_listener_reset_while_worker_calls\.cpp:43\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

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
