// A reader of an RWMutex waits for a Mutex whose holder waits, as a writer, for that reader to
// leave: a cycle through a read lock, reported with who reads the RWMutex.
// OPT: -O0 -O1
// EXIT: 2
// CHECK-RE: ^fatal error: partial deadlock: goroutines [0-9]+, [0-9]+ wait for each other's locks$
// CHECK-RE: ^\twants sync\.RWMutex 0x[0-9a-f]+ \(write\), read-locked by goroutine [0-9]+$
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

goro::RWMutex table;
goro::Mutex journal;

int main() {
  return goro::run([] {
    goro::WaitGroup both_hold;
    both_hold.add(2);
    goro::go([&] {  // reads the table, then wants the journal
      std::shared_lock read(table);
      both_hold.done();
      both_hold.wait();
      std::lock_guard j(journal);
    });
    goro::go([&] {  // holds the journal, then wants to write the table
      std::lock_guard j(journal);
      both_hold.done();
      both_hold.wait();
      std::lock_guard write(table);
    });
    for (int i = 0; i < 3000; ++i) goro::sleep(std::chrono::milliseconds(10));
    std::puts("not detected");
    return 0;
  });
}
