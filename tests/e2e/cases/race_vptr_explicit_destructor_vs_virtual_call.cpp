// The vptr store of a destructor alone, without any free: an object lives in static storage
// (placement new); one thread makes a virtual call on it, another thread later ends its lifetime
// with an explicit destructor call (which rewrites the vtable pointer) with no synchronisation ->
// one race on the vtable pointer.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_vptr_explicit_destructor_vs_virtual_call\.cpp:41\b
// CHECK: Previous
// CHECK-RE: race_vptr_explicit_destructor_vs_virtual_call\.cpp:36\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <new>
#include <thread>

#include "race_steps_threads.hpp"

struct Task {
  virtual ~Task() { asm volatile("" ::: "memory"); }
  virtual int priority() const { return 0; }
};

struct UrgentTask : Task {
  ~UrgentTask() override { asm volatile("" ::: "memory"); }
  int priority() const override { return 9; }
};

alignas(UrgentTask) unsigned char storage[sizeof(UrgentTask)];
Task* task;
int seen;

int main() {
  task = new (storage) UrgentTask;
  std::thread caller([] {
    seen = task->priority();  // access 1
    reach(1);
  });
  std::thread finisher([] {
    await(1);
    task->~Task();  // access 2
  });
  caller.join();
  finisher.join();
  std::printf("priority %d\n", seen);
}
