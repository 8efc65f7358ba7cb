// goro vet's stack-capture check: goroutines that can outlive the locals they captured by
// reference (lines marked "want"), and twins that wait for them or capture by value.
#include <future>
#include <goro/goro.hpp>
#include <thread>

int global_hits;

struct counter {
  int hits = 0;
  goro::WaitGroup wg;

  void start_and_forget() {
    goro::go([this] { hits++; });  // want: goro-stack-capture
  }
  void start_and_wait() {
    wg.add(1);
    goro::go([this] {
      hits++;
      wg.done();
    });
    wg.wait();
  }
};

struct snapshot {
  int hits = 0;
  void report_later() {
    goro::go([*this] { global_hits = hits; });
  }
};

void forgets_implicit() {
  int hits = 0;
  goro::go([&] { hits++; });  // want: goro-stack-capture
}

void forgets_explicit() {
  int hits = 0;
  goro::go([&hits] { hits++; });  // want: goro-stack-capture
}

void forgets_with_stack() {
  int hits = 0;
  goro::go_with_stack(1 << 20, [&hits] { hits++; });  // want: goro-stack-capture
}

void forgets_parameter(int limit) {
  goro::go([&limit] { global_hits = limit; });  // want: goro-stack-capture
}

void waits_on_one_path(bool careful) {
  int hits = 0;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&hits, &wg] {  // want: goro-stack-capture, goro-stack-capture
    hits++;
    wg.done();
  });
  if (careful) wg.wait();
}

void returns_before_waiting(bool quick) {
  int hits = 0;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&hits, &wg] {  // want: goro-stack-capture, goro-stack-capture
    hits++;
    wg.done();
  });
  if (quick) return;
  wg.wait();
}

void gives_up_waiting() {
  int result = 0;
  auto done = goro::make_chan<bool>(1);
  goro::go([&] {  // want: goro-stack-capture, goro-stack-capture (result, done)
    result = 42;
    done.send(true);
  });
  goro::select(goro::recv_case(done), goro::recv_case(goro::after(std::chrono::seconds(1))));
}

void spawns_a_named_lambda() {
  int hits = 0;
  auto task = [&hits] { hits++; };  // want: goro-stack-capture
  goro::go(task);
}

void waits_on_the_other_condition(bool parallel) {
  int hits = 0;
  goro::WaitGroup wg;
  if (parallel) {
    wg.add(1);
    goro::go([&hits, &wg] {  // want: goro-stack-capture, goro-stack-capture
      hits++;
      wg.done();
    });
  }
  if (!parallel) wg.wait();
}

void ping(int n);
void pong(int n) {
  [&] { ping(n - 1); }();
}
void ping(int n) {
  if (n > 0) pong(n);
}

void calls_recursive_helpers() {  // looking for a wait in them ends
  int hits = 0;
  goro::go([&hits] { hits++; });  // want: goro-stack-capture
  ping(3);
}

void scope_ends_before_wait() {
  goro::WaitGroup wg;
  {
    int hits = 0;
    wg.add(1);
    goro::go([&hits, &wg] {  // want: goro-stack-capture
      hits++;
      wg.done();
    });
  }
  wg.wait();
}

// Clean twins.

void waits_for_waitgroup() {
  int hits = 0;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    hits++;
    wg.done();
  });
  wg.wait();
}

void waits_for_channel() {
  int hits = 0;
  auto done = goro::make_chan<bool>();
  goro::go([&] {
    hits++;
    done.send(true);
  });
  done.recv();
}

void waits_in_select(goro::chan<bool> cancel) {
  int hits = 0;
  auto done = goro::make_chan<bool>();
  goro::go([&] {
    hits++;
    done.close();
  });
  goro::select(goro::recv_case(done), goro::recv_case(cancel));
}

template <class F>
struct at_scope_exit {
  F f;
  ~at_scope_exit() { f(); }
};
template <class F>
at_scope_exit(F) -> at_scope_exit<F>;

void waits_in_a_scope_guard() {
  int hits = 0;
  goro::WaitGroup wg;
  at_scope_exit deferred{[&] { wg.wait(); }};
  wg.add(1);
  goro::go([&] {
    hits++;
    wg.done();
  });
}

void waits_in_a_lambda_called_at_once() {
  int hits = 0;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    hits++;
    wg.done();
  });
  [&] { wg.wait(); }();
}

class pool {
 public:
  ~pool() { shutdown(); }
  void spawn() {
    wg_.add(1);
    goro::go([this] {
      for (int job : jobs_) sum_ += job;
      wg_.done();
    });
  }
  void shutdown() {
    jobs_.close();
    wg_.wait();
  }

 private:
  int sum_ = 0;
  goro::chan<int> jobs_ = goro::make_chan<int>(8);
  goro::WaitGroup wg_;
};

void drains_results() {
  int base = 10;
  auto results = goro::make_chan<int>(4);
  goro::go([&] {
    for (int i = 0; i < 4; i++) results.send(base + i);
    results.close();
  });
  for (int v : results) global_hits += v;
}

void waits_in_a_loop() {
  int squares[8] = {};
  auto done = goro::make_chan<int>(8);
  for (int i = 0; i < 8; ++i) {
    goro::go([&, i] {
      squares[i] = i * i;
      done.send(i);
    });
  }
  for (int i = 0; i < 8; ++i) done.recv();  // taken to run at least once
}

void waits_on_the_same_condition(bool parallel) {
  int hits = 0;
  goro::WaitGroup wg;
  if (parallel) {
    wg.add(1);
    goro::go([&] {
      hits++;
      wg.done();
    });
  } else {
    hits++;
  }
  if (parallel) wg.wait();
}

void finish(goro::chan<bool> done) { done.recv(); }

void waits_in_a_helper() {
  int hits = 0;
  auto done = goro::make_chan<bool>();
  goro::go([&] {
    hits++;
    done.send(true);
  });
  finish(done);
}

void joins_thread() {
  int hits = 0;
  std::thread t([&] { hits++; });
  goro::go([&] { hits++; });
  t.join();
}

void waits_for_future() {
  int hits = 0;
  std::promise<void> done;
  goro::go([&] {
    hits++;
    done.set_value();
  });
  done.get_future().wait();
}

void captures_by_value() {
  int hits = 0;
  goro::go([=]() mutable { hits++; });
  goro::go([hits] { global_hits = hits; });
}

void captures_a_reference(int& hits) {
  goro::go([&hits] { hits++; });
}

void captures_a_static() {
  static int hits = 0;
  goro::go([&] { hits++; });
}

void serves_forever() {
  auto requests = goro::make_chan<int>(8);
  int served = 0;
  goro::go([&] {
    for (int r : requests) served += r;
  });
  for (;;) requests.send(1);
}

int main() {
  return goro::run([] {
    int ticks = 0;
    goro::go([&] { ticks++; });  // goro::run ends the process when this lambda returns
    return 0;
  });
}
