// A close racing a send: main asks two replicas, keeps the first answer and closes the channel;
// a replica sends only if nobody has answered yet, but checks that before it encodes its answer.
//
// Bad interleaving: a replica sees "not answered yet" and is switched out in encode(); the other
// replica answers, main takes that answer and closes the channel, and the first replica then
// sends on the closed channel.
// Detected by: the runtime's panic, "panic: send on closed channel" (exit 2). Plain build.
// Default schedule: the replica started last runs first (runnext) and answers; its send readies
// main into runnext, ahead of the other replica, so main marks the request answered and closes
// before the other replica checks. At GOMAXPROCS=2 the other replica may start on the second P,
// but its check and its send are a few instructions apart.
// Clean twin (-DCLEAN_TWIN): the channel has room for every replica's answer and is never closed.
//
// DETECT: panic
#include <atomic>

#include "stress.hpp"

std::atomic<bool> g_answered{false};

GORO_NOINLINE int encode(int id) { return stress::opaque(id * 100); }

void replica(int id, goro::chan<int> answers, goro::WaitGroup* wg) {
  // acquire/release with main's store: only a hint to save work, in both versions.
  if (!g_answered.load(std::memory_order_acquire)) {
    const int answer = encode(id);
    answers.send(answer);  // room for both answers: never blocks
  }
  wg->done();
}

int main() {
  return goro::run([] {
    auto answers = goro::make_chan<int>(2);
    goro::WaitGroup wg;
    wg.add(2);
    goro::go(replica, 1, answers, &wg);
    goro::go(replica, 2, answers, &wg);
    const int first = answers.recv();
    g_answered.store(true, std::memory_order_release);
#ifndef CLEAN_TWIN
    answers.close();  // "no more answers wanted": but a replica may be past its check
#endif
    wg.wait();
    return first % 100;
  });
}
