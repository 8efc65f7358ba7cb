// A stale handoff: main sends a buffer to the consumer, then refills the same buffer for the next
// message if the consumer has already taken the first off the channel. Taking a buffer is not
// being done with it.
//
// Bad interleaving: main is switched out in note_sent(), after its send and before it looks at
// the consumer's count; the consumer receives the buffer, counts it and starts reading; main sees
// the count and rewrites the buffer the consumer is reading.
// Detected by: the race detector (race build, -race): main's writes race with the consumer's
// reads of the buffer, exit 66. When main finds the count at zero it fills a fresh buffer, and
// nothing is reported.
// Default schedule: the consumer has not run when main looks (at GOMAXPROCS=1 it runs only when
// main blocks; at 2 it waits in main's runnext slot or run queue for an idle P to wake up and
// steal it). The race build's yield before a channel operation can only come before main's send,
// when the consumer then parks in its receive and has not counted anything yet when main looks.
// Clean twin (-DCLEAN_TWIN): main always fills a fresh buffer; the consumer owns what it got.
//
// DETECT: race
#include <atomic>

#include "stress.hpp"

struct Buffer {
  int words[8];
};

std::atomic<int> g_taken{0};  // buffers the consumer has received

GORO_NOINLINE void note_sent(int n) { stress::opaque(n); }

void fill(Buffer* b, int seed) {
  for (int i = 0; i < 8; ++i) b->words[i] = seed + i;
}

void consumer(goro::chan<Buffer*> buffers, goro::chan<int> sums) {
  for (int n = 0; n < 2; ++n) {
    const Buffer* b = buffers.recv();
    // release: pairs with main's acquire load; our reads below come after it, unordered.
    g_taken.fetch_add(1, std::memory_order_release);
    int sum = 0;
    for (int w : b->words) sum += w;
    sums.send(sum);
  }
}

int main() {
  return goro::run([] {
    auto buffers = goro::make_chan<Buffer*>(2);
    auto sums = goro::make_chan<int>(2);
    goro::go(consumer, buffers, sums);
    auto* first = new Buffer;
    fill(first, 0);
    buffers.send(first);
    note_sent(1);
#ifdef CLEAN_TWIN
    auto* second = new Buffer;
#else
    Buffer* second = g_taken.load(std::memory_order_acquire) > 0 ? first : new Buffer;
#endif
    fill(second, 100);
    buffers.send(second);
    const int total = sums.recv() + sums.recv();
    return total == 28 + 828 ? 0 : 1;  // a race found makes the exit status 66 whatever this says
  });
}
