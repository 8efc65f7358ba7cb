// Clean twin of race_vptr_virtual_call_on_unpublished_new_object and of the delete races: the
// maker constructs the object and publishes it with a release store; the user loads it with
// acquire, calls it, and reports back with a release store; the maker deletes it only after an
// acquire load of that report.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: id 31
#include <atomic>
#include <cstdio>
#include <thread>

struct Codec {
  virtual ~Codec() { asm volatile("" ::: "memory"); }
  virtual int id() const { return 0; }
};

struct GzipCodec : Codec {
  ~GzipCodec() override { asm volatile("" ::: "memory"); }
  int id() const override { return 31; }
};

std::atomic<Codec*> published{nullptr};
std::atomic<bool> used{false};
int seen;

int main() {
  std::thread maker([] {
    Codec* c = new GzipCodec;
    published.store(c, std::memory_order_release);
    while (!used.load(std::memory_order_acquire)) std::this_thread::yield();
    delete c;
  });
  std::thread user([] {
    Codec* c;
    while (!(c = published.load(std::memory_order_acquire))) std::this_thread::yield();
    seen = c->id();
    used.store(true, std::memory_order_release);
  });
  maker.join();
  user.join();
  std::printf("id %d\n", seen);
}
