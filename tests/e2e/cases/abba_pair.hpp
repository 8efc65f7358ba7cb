// The partial_deadlock_* cases' cycle: two goroutines each lock one Mutex, wait until both hold
// theirs, then lock the other's. Neither can ever go on; the rest of the program can.
#pragma once

#include <goro/goro.hpp>
#include <memory>
#include <mutex>

inline void start_abba_pair(goro::Mutex& a, goro::Mutex& b) {
  auto both_hold = std::make_shared<goro::WaitGroup>();
  both_hold->add(2);
  goro::go([&a, &b, both_hold] {
    std::lock_guard first(a);
    both_hold->done();
    both_hold->wait();
    std::lock_guard second(b);
  });
  goro::go([&a, &b, both_hold] {
    std::lock_guard first(b);
    both_hold->done();
    both_hold->wait();
    std::lock_guard second(a);
  });
}
