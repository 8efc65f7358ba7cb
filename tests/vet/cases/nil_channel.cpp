// goro vet's nil-channel check: operations that block forever or panic on a default-constructed
// channel never assigned (lines marked "want"), and twins where the handle is given a channel or
// only used where nil is legitimate.
#include <goro/goro.hpp>

int receives_from_nil() {
  goro::chan<int> c;
  return c.recv();  // want: goro-nil-channel
}

void sends_to_nil() {
  goro::chan<int> c{};
  c.send(1);  // want: goro-nil-channel
}

void closes_nil() {
  goro::chan<int> c;
  c.close();  // want: goro-nil-channel
}

int ranges_over_nil() {
  goro::chan<int> c;
  int sum = 0;
  for (int v : c) sum += v;  // want: goro-nil-channel
  return sum;
}

// Clean twins.

int assigned_later() {
  goro::chan<int> c;
  c = goro::make_chan<int>(1);
  c.send(1);
  return c.recv();
}

void make_channel(goro::chan<int>& into) { into = goro::make_chan<int>(1); }

int assigned_by_a_callee() {
  goro::chan<int> c;
  make_channel(c);
  c.send(1);
  return c.recv();
}

int assigned_by_a_goroutine() {
  goro::chan<int> c;
  goro::WaitGroup wg;
  wg.add(1);
  goro::go([&] {
    c = goro::make_chan<int>(1);
    wg.done();
  });
  wg.wait();
  c.send(1);
  return c.recv();
}

bool polls_nil() {
  goro::chan<int> c;
  return c.try_send(1) || c.try_recv().has_value() || c.len() > 0;
}

int disabled_select_case() {
  goro::chan<int> off;  // a nil channel disables its case, as in Go
  auto on = goro::make_chan<int>(1);
  on.send(1);
  return goro::select(goro::recv_case(off), goro::recv_case(on));
}

int main() { return 0; }
