// A release through a std::atomic orders the writes before it for the thread whose acquire load
// reads its value — every time, whatever the interleaving. Each round uses a fresh location (no
// sync object yet), a new std::thread as the writer and the main thread spinning on an acquire
// load, so the load often runs while the writer is between creating the location's sync object
// and storing. Three kinds of release: a store, a fetch_add and a compare-exchange.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: rounds 1500
#include <atomic>
#include <cstdio>
#include <thread>

struct box {
  int data = 0;
  std::atomic<int> flag{0};
};

enum class release_kind { store, fetch_add, compare_exchange };

void publish(box* b, int value, release_kind kind) {
  b->data = value;
  switch (kind) {
    case release_kind::store:
      b->flag.store(1, std::memory_order_release);
      break;
    case release_kind::fetch_add:
      b->flag.fetch_add(1, std::memory_order_release);
      break;
    case release_kind::compare_exchange: {
      int expected = 0;
      b->flag.compare_exchange_strong(expected, 1, std::memory_order_release,
                                      std::memory_order_relaxed);
      break;
    }
  }
}

int main() {
  long sum = 0;
  int rounds = 0;
  for (int i = 0; i < 1500; ++i) {
    auto* b = new box;
    std::thread writer(publish, b, i, static_cast<release_kind>(i % 3));
    while (b->flag.load(std::memory_order_acquire) == 0) {
    }
    sum += b->data;
    writer.join();
    delete b;
    ++rounds;
  }
  std::printf("rounds %d (sum %ld)\n", rounds, sum);
}
