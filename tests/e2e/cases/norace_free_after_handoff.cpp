// The clean twins of the free races: blocks freed by another thread after a join, after a mutex
// hand-off, after a release/acquire hand-off, by a shared_ptr's last owner, and a freed block's
// memory taken again by another thread's allocation; a std::vector destroyed after its writers
// were joined.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: ok 46
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct node {
  long value;
  long more[5];
};

int main() {
  long total = 0;

  // Join.
  node* a = new node{1, {}};
  std::thread t1([a] { a->value += 1; });
  t1.join();
  total += a->value;
  std::thread([a] { delete a; }).join();

  // Mutex hand-off: the writer publishes under the lock, the reaper takes it under the lock.
  std::mutex mu;
  node* shared = nullptr;
  std::thread writer([&] {
    node* n = new node{5, {}};
    std::lock_guard<std::mutex> l(mu);
    shared = n;
  });
  std::thread reaper([&] {
    for (;;) {
      std::lock_guard<std::mutex> l(mu);
      if (shared != nullptr) {
        delete shared;
        shared = nullptr;
        return;
      }
    }
  });
  writer.join();
  reaper.join();
  total += 5;

  // Release/acquire hand-off of a malloc'd block.
  std::atomic<long*> slot{nullptr};
  std::thread producer([&] {
    long* p = static_cast<long*>(std::malloc(8 * sizeof(long)));
    for (int i = 0; i < 8; ++i) p[i] = i;
    slot.store(p, std::memory_order_release);
  });
  std::thread consumer([&] {
    long* p;
    while ((p = slot.load(std::memory_order_acquire)) == nullptr) std::this_thread::yield();
    long s = 0;
    for (int i = 0; i < 8; ++i) s += p[i];
    std::free(p);
    if (s != 28) std::abort();
  });
  producer.join();
  consumer.join();
  total += 28;

  // shared_ptr: whichever owner drops last frees.
  auto sp = std::make_shared<node>(node{3, {}});
  std::vector<std::thread> owners;
  for (int i = 0; i < 4; ++i) owners.emplace_back([copy = sp]() mutable { copy.reset(); });
  sp.reset();
  for (std::thread& t : owners) t.join();
  total += 3;

  // Reuse: blocks freed by one thread and allocated by another, each used only by its owner.
  std::thread churn1([] {
    for (int i = 0; i < 1000; ++i) delete new node{i, {}};
  });
  std::thread churn2([] {
    for (int i = 0; i < 1000; ++i) {
      auto* n = new node{i, {}};
      n->more[4] = i;
      delete n;
    }
  });
  churn1.join();
  churn2.join();

  // A vector written by threads, destroyed by main after joining them.
  {
    std::vector<long> v(8);
    std::thread w1([&v] { v[0] = 4; });
    std::thread w2([&v] { v[7] = 4; });
    w1.join();
    w2.join();
    total += v[0] + v[7];
  }
  std::printf("ok %ld\n", total);
}
