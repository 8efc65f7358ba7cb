// goro vet's waitgroup-add check: WaitGroup::add inside the goroutine it counts (lines marked
// "want"), and twins that add before goro::go or count their own goroutines.
#include <goro/goro.hpp>

struct pool {
  goro::WaitGroup running;
  void start() {
    goro::go([this] {
      running.add(1);  // want: goro-waitgroup-add
      running.done();
    });
    running.wait();
  }
};

void adds_too_late() {
  goro::WaitGroup wg;
  for (int i = 0; i < 4; i++) {
    goro::go([&wg] {
      wg.add(1);  // want: goro-waitgroup-add
      wg.done();
    });
  }
  wg.wait();
}

// Clean twins.

void adds_before_go() {
  goro::WaitGroup wg;
  for (int i = 0; i < 4; i++) {
    wg.add(1);
    goro::go([&wg] { wg.done(); });
  }
  wg.wait();
}

void counts_its_own() {
  goro::WaitGroup outer;
  outer.add(1);
  goro::go([&outer] {
    goro::WaitGroup inner;
    for (int i = 0; i < 2; i++) {
      inner.add(1);
      goro::go([&inner] { inner.done(); });
    }
    inner.wait();
    outer.done();
  });
  outer.wait();
}

void counts_its_children() {
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&wg] {
    wg.add(1);  // counted itself already: this one is for the child
    goro::go([&wg] { wg.done(); });
    wg.done();
  });
  wg.wait();
}

int main() { return 0; }
