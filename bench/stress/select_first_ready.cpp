// A select that assumes the first ready case wins: main sends a value, then closes quit, and the
// consumer expects to see the value before quit because data is listed first. When both are ready
// select picks one at random.
//
// Bad interleaving: the consumer is switched out in settle(), after saying "started" and before
// its first select; main sends (into the buffer) and closes quit, so both cases are ready when
// the consumer gets there, and half the time it takes quit and drops the value.
// Detected by: main's check of the consumer's total, "BUG: select took quit before the value sent
// first" (exit 1). Plain build.
// Default schedule: the send on "started" readies main into runnext and the consumer runs on into
// select and parks there; main's send then goes straight to the waiting consumer, before quit is
// closed (an idle P steals runnext only after 3 us).
// Clean twin (-DCLEAN_TWIN): once quit is closed the consumer drains what is left in data.
//
// DETECT: check
#include "stress.hpp"

GORO_NOINLINE void settle() { stress::opaque(0); }

void consumer(goro::chan<bool> started, goro::chan<int> data, goro::chan<bool> quit,
              goro::chan<int> total) {
  started.send(true);
  settle();
  int sum = 0;
  for (bool open = true; open;) {
    goro::select(goro::recv_case(data, [&](int v) { sum += v; }),
                 goro::recv_case(quit, [&] { open = false; }));
  }
#ifdef CLEAN_TWIN
  while (auto v = data.try_recv()) sum += *v;  // sent before quit was closed: still buffered
#endif
  total.send(sum);
}

int main() {
  return goro::run([] {
    auto started = goro::make_chan<bool>();
    auto data = goro::make_chan<int>(4);
    auto quit = goro::make_chan<bool>();
    auto total = goro::make_chan<int>();
    goro::go(consumer, started, data, quit, total);
    started.recv();
    data.send(5);
    quit.close();
    if (total.recv() != 5) stress::fail("select took quit before the value sent first");
  });
}
