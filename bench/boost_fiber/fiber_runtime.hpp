// The Boost.Fiber counterpart of goro::run / goro::go / goro::WaitGroup, so that each
// bench_fiber_<name> program reads like its goro and Go twins.
//
// Scheduling: with GOMAXPROCS=P > 1, P threads (main plus P-1 workers) each install Boost's
// work_stealing algorithm for P threads, the library's multi-thread scheduler that corresponds to
// Go's per-P run queues with stealing; with P = 1 the main thread keeps the default round_robin
// scheduler. work_stealing is used with its default, suspend = false: an idle thread spins looking
// for work instead of sleeping on a condition variable. The main function runs on the main thread's
// own context, which Boost never migrates; spawned fibers may run on, and be stolen by, any thread.
//
// Stacks: every spawned fiber gets a 64 KiB fixedsize_stack (malloc'd), the same size as goro's
// default GORO_STACK_SIZE. Boost's protected stacks (mmap + guard page each) cannot hold a million
// fibers under the default vm.max_map_count of 65530.
//
// Example:
//   fiber_bench::run([&] {
//     fiber_bench::wait_group wg;
//     wg.add(1);
//     fiber_bench::go([&] { wg.done(); });
//     wg.wait();
//   });
#pragma once

#include <atomic>
#include <boost/fiber/all.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <utility>

namespace fiber_bench {

inline constexpr std::size_t stack_bytes = 64 * 1024;

// $GOMAXPROCS, else the hardware's thread count: the same rule goro and Go apply.
inline int procs_from_env() {
  if (const char* env = std::getenv("GOMAXPROCS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

// Starts a detached fiber running f (Go's `go f()`).
template <class F>
void go(F&& f) {
  boost::fibers::fiber(std::allocator_arg, boost::fibers::fixedsize_stack(stack_bytes),
                       std::forward<F>(f))
      .detach();
}

// Go's sync.WaitGroup: done() is one atomic decrement unless it releases the waiter, whom it
// notifies under the mutex so that a wait() between its check and its sleep cannot miss the wake.
class wait_group {
 public:
  void add(int64_t n) { count_.fetch_add(n, std::memory_order_relaxed); }

  void done() {
    // acq_rel: the last done() must see every other done()'s writes and publish them to wait().
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<boost::fibers::mutex> lock(mu_);
      zero_.notify_all();
    }
  }

  void wait() {
    std::unique_lock<boost::fibers::mutex> lock(mu_);
    // acquire: pairs with the last done()'s release.
    zero_.wait(lock, [this] { return count_.load(std::memory_order_acquire) == 0; });
  }

 private:
  std::atomic<int64_t> count_{0};
  boost::fibers::mutex mu_;
  boost::fibers::condition_variable zero_;
};

// Runs main_fn on the main thread's fiber scheduler with procs_from_env() threads, then ends the
// process with status 0 as goro::run and Go's main do: fibers still alive are abandoned, never
// resumed after main_fn's caller is gone. Objects that fibers may touch after main_fn returns
// belong in main()'s frame, which outlives this call.
template <class F>
[[noreturn]] void run(F&& main_fn) {
  const int procs = procs_from_env();
  // Never notified: the worker threads' main contexts sleep here while their schedulers run fibers.
  // They are locals of a function that never returns, so they outlive every worker.
  boost::fibers::mutex park_mu;
  boost::fibers::condition_variable park_cv;
  if (procs > 1) {
    for (int i = 1; i < procs; ++i) {
      std::thread([&park_mu, &park_cv, procs] {
        boost::fibers::use_scheduling_algorithm<boost::fibers::algo::work_stealing>(procs);
        std::unique_lock<boost::fibers::mutex> lock(park_mu);
        park_cv.wait(lock, [] { return false; });
      }).detach();
    }
    // Returns once all procs threads have registered (work_stealing's constructor waits on a
    // barrier).
    boost::fibers::use_scheduling_algorithm<boost::fibers::algo::work_stealing>(procs);
  }
  main_fn();
  std::fflush(nullptr);
  std::_Exit(0);
}

}  // namespace fiber_bench
