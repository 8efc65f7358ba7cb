// The constructor's side: one thread constructs an object (the constructor writes the vtable
// pointer) and publishes the pointer with a relaxed store; another thread loads the pointer and
// makes a virtual call, with nothing ordering the call after the construction -> one race on the
// vtable pointer. The object is deleted by main after the joins.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_vptr_virtual_call_on_unpublished_new_object\.cpp:39\b
// CHECK: Previous
// CHECK-RE: race_vptr_virtual_call_on_unpublished_new_object\.cpp:33\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

struct Codec {
  virtual ~Codec() = default;
  virtual int id() const { return 0; }
};

struct GzipCodec : Codec {
  int id() const override { return 31; }
};

std::atomic<Codec*> published{nullptr};
int seen;

int main() {
  std::thread maker([] {
    Codec* c = new GzipCodec;  // access 1
    published.store(c, std::memory_order_relaxed);
    reach(1);
  });
  std::thread user([] {
    await(1);
    seen = published.load(std::memory_order_relaxed)->id();  // access 2
  });
  maker.join();
  user.join();
  delete published.load();
  std::printf("id %d\n", seen);
}
