// A channel operation's value and destination live in the caller's frame, where the optimiser may
// put them in the stack slot of a local that died before (here one whose address escaped, so the
// detector marked its death). The parked goroutine's peer moves the std::string in or out of that
// slot: a new variable's life, not a use after return, and no race with whoever wrote the dead
// local. Both directions: main's receive destination and the goroutine's sent value. The false
// "stack use after return" came in 18 of 20 runs at -O1 before the runtime cleared such a slot on
// parking. The select exchanges at the end park the same way (their buffers were not seen to share
// a dead local's slot, but the runtime clears them too).
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// RUNS: 10 10
// CHECK-NOT: WARNING
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>

struct request {
  std::string path;
  int id;
};

// Lets a local's address escape (so the detector tracks its life). Atomic: both goroutines call it.
std::atomic<const request*> last_seen;
[[gnu::noinline]] void note(const request* r) { last_seen.store(r, std::memory_order_relaxed); }

int main() {
  return goro::run([] {
    auto c = goro::make_chan<std::string>();
    auto back = goro::make_chan<std::string>();
    goro::go([c, back] {
      c.send(std::string(40, 'a'));
      {
        request r{"/sent", 2};
        note(&r);
      }
      back.send(std::string(40, 'b'));  // parks until main receives: main moves out of its slot
      {
        request r{"/selected", 3};
        note(&r);
      }
      goro::select(goro::send_case(back, std::string(40, 'c')));  // the same, in a select
      c.send(std::string(40, 'd'));  // main's select below waits for this one
    });
    {
      request r{"/index", 1};
      note(&r);
    }
    std::printf("%zu\n", c.recv().size());  // parks until the goroutine moves into its slot
    goro::yield();
    std::printf("%zu\n", back.recv().size());
    goro::yield();
    {
      request r{"/again", 4};
      note(&r);
    }
    goro::select(
        goro::recv_case(back, [](std::string s, bool) { std::printf("%zu\n", s.size()); }));
    {
      request r{"/last", 5};
      note(&r);
    }
    goro::select(goro::recv_case(c, [](std::string s, bool) { std::printf("%zu\n", s.size()); }));
  });
}
