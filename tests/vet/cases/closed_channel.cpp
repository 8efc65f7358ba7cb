// goro vet's closed-channel check: a send or a second close after close() on the same channel
// later in the same block (lines marked "want"), and twins that only receive after it, or use
// another channel.
#include <goro/goro.hpp>

void sends_after_close() {
  auto c = goro::make_chan<int>(2);
  c.send(1);
  c.close();
  c.send(2);  // want: goro-closed-channel
}

void tries_after_close() {
  auto c = goro::make_chan<int>(2);
  c.close();
  c.try_send(2);  // want: goro-closed-channel
}

void closes_twice() {
  auto c = goro::make_chan<int>();
  c.close();
  c.close();  // want: goro-closed-channel
}

void sends_conditionally_after_close(bool more) {
  auto c = goro::make_chan<int>(2);
  c.close();
  if (more) {
    c.send(3);  // want: goro-closed-channel
  }
}

struct stream {
  goro::chan<int> out = goro::make_chan<int>(1);
  void finish() {
    out.close();
    out.send(0);  // want: goro-closed-channel
  }
};

// Clean twins.

int drains_after_close() {
  auto c = goro::make_chan<int>(2);
  c.send(1);
  c.close();
  int sum = 0;
  for (int v : c) sum += v;
  return sum + c.recv();
}

void replaces_after_close() {
  auto c = goro::make_chan<int>(1);
  c.close();
  c = goro::make_chan<int>(1);
  c.send(1);
}

void closes_in_a_branch(bool done) {
  auto c = goro::make_chan<int>(1);
  if (done) c.close();
  c.try_send(1);
}

void closes_another(goro::chan<int> a, goro::chan<int> b) {
  a.close();
  b.send(1);
}

int main() { return 0; }
