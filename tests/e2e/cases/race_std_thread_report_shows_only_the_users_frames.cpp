// Two std::threads race: each stack shows the thread's function and nothing of std::thread's
// machinery (the std::invoke layers, _State_impl::_M_run, the return into libstdc++'s unnamed
// thread routine), and each "created at" starts at main's line, as Go's reports show goroutines.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: main::$_1::operator()() const
// CHECK-RE: race_std_thread_report_shows_only_the_users_frames\.cpp:39\b
// CHECK-RE: ^$
// CHECK: Previous write at
// CHECK: main::$_0::operator()() const
// CHECK-RE: race_std_thread_report_shows_only_the_users_frames\.cpp:34\b
// CHECK-RE: ^$
// CHECK-RE: ^Thread T\d+ \((running|finished)\) created at:$
// CHECK-RE: ^  main$
// CHECK-RE: race_std_thread_report_shows_only_the_users_frames\.cpp:37\b
// CHECK-RE: ^$
// CHECK-RE: ^Thread T\d+ \((running|finished)\) created at:$
// CHECK-RE: ^  main$
// CHECK-RE: race_std_thread_report_shows_only_the_users_frames\.cpp:33\b
// CHECK: Found 1 data race(s)
// CHECK-NOT: ??
// CHECK-NOT: std::
#include <thread>

#include "race_steps_threads.hpp"

int shared;

int main() {
  std::thread first([] {
    shared = 1;
    reach(1);
  });
  std::thread second([] {
    await(1);
    shared = 2;
  });
  second.join();
  first.join();
}
