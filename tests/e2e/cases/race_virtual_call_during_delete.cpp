// The classic "object destroyed while another thread calls a virtual method": the destructor's
// store of the base class's vtable pointer races with the virtual call's load of it. Reported as
// a data race on vptr.
// RUN-FLAGS: -race
// OPT: -O1 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE on vptr (ctor/dtor vs virtual call)
// CHECK: Write at
// CHECK: Previous read at
// CHECK-RE: race_virtual_call_during_delete\.cpp:29\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

struct shape {
  virtual ~shape() { std::printf("shape gone\n"); }
  virtual long area() const { return 0; }
};

// No fields: the only memory both threads touch is the vtable pointer.
struct square : shape {
  ~square() override { std::printf("square gone\n"); }
  long area() const override { return 9; }
};

// Not inlined: the call stays virtual.
__attribute__((noinline)) long measure(const shape* s) { return s->area(); }

shape* g_shape;
long g_area;

int main() {
  shape* s = new square;
  g_shape = s;
  std::thread caller([] {
    g_area = measure(g_shape);  // the vptr read (in measure)
    reach(1);
  });
  std::thread deleter([] {
    await(1);
    delete g_shape;
  });
  caller.join();
  deleter.join();
  std::printf("%ld\n", g_area);
}
