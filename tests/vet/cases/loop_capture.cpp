// goro vet's loop-capture check: a loop variable captured by reference in goro::go inside the
// loop (lines marked "want"), and twins that capture by value or wait inside the iteration.
#include <goro/goro.hpp>
#include <string>
#include <vector>

void use(int) {}
void use(const std::string&) {}

void shares_index() {
  goro::WaitGroup wg;
  for (int i = 0; i < 4; i++) {
    wg.add(1);
    goro::go([&] {  // want: goro-loop-capture (i; wg outlives the loop and is waited for)
      use(i);
      wg.done();
    });
  }
  wg.wait();
}

void shares_element(const std::vector<std::string>& names) {
  goro::WaitGroup wg;
  for (std::string name : names) {
    wg.add(1);
    goro::go([&name, &wg] {  // want: goro-loop-capture
      use(name);
      wg.done();
    });
  }
  wg.wait();
}

void shares_body_local() {
  goro::WaitGroup wg;
  int n = 0;
  while (n < 4) {
    int twice = 2 * n++;
    wg.add(1);
    goro::go([&twice, &wg] {  // want: goro-loop-capture
      use(twice);
      wg.done();
    });
  }
  wg.wait();
}

// Clean twins.

void copies_index() {
  goro::WaitGroup wg;
  for (int i = 0; i < 4; i++) {
    wg.add(1);
    goro::go([i, &wg] {
      use(i);
      wg.done();
    });
  }
  wg.wait();
}

void passes_index() {
  goro::WaitGroup wg;
  for (int i = 0; i < 4; i++) {
    wg.add(1);
    goro::go(
        [&wg](int k) {
          use(k);
          wg.done();
        },
        i);
  }
  wg.wait();
}

void waits_each_iteration() {
  for (int i = 0; i < 4; i++) {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      use(i);
      wg.done();
    });
    wg.wait();
  }
}

void refers_to_elements(const std::vector<std::string>& names) {
  goro::WaitGroup wg;
  for (const std::string& name : names) {
    wg.add(1);
    goro::go([&name, &wg] {
      use(name);
      wg.done();
    });
  }
  wg.wait();
}

// Inside a macro's argument (a test framework's), where every token expands at one place: the
// variables declared before the loop are not the loop's.
#define INSIDE(...) __VA_ARGS__
void inside_a_macro() {
  INSIDE({
    goro::WaitGroup wg;
    int base = 1;
    for (int i = 0; i < 4; i++) {
      wg.add(1);
      goro::go([&wg, &base, i] {
        use(base + i);
        wg.done();
      });
    }
    for (int j = 0; j < 4; j++) {
      wg.add(1);
      goro::go([&wg, &j] {  // want: goro-loop-capture
        use(j);
        wg.done();
      });
    }
    wg.wait();
  });
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (int i = 0; i < 4; i++) {
      wg.add(1);
      goro::go([&i, &wg] {  // want: goro-loop-capture (goro::run's lambda is no exception)
        use(i);
        wg.done();
      });
    }
    wg.wait();
    return 0;
  });
}
