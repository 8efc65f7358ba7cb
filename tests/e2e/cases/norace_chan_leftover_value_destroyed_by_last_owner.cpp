// A value left in a channel's buffer is destroyed by whoever drops the last handle. Here that is
// not the goroutine that sent it, and nothing else orders the two: dropping a handle is a release
// (as std::shared_ptr's count is), so the send happens before the destruction. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>
#include <string>

// Orders events in time without a happens-before edge (relaxed atomics create none).
std::atomic<bool> sender_gone{false};

// Captured before the channel, so it is destroyed after the sender's handle.
struct says_when_gone {
  ~says_when_gone() {
    if (armed) sender_gone.store(true, std::memory_order_relaxed);
  }
  says_when_gone() = default;
  says_when_gone(says_when_gone&& other) noexcept : armed(other.armed) { other.armed = false; }
  bool armed = true;
};

int main() {
  return goro::run([] {
    auto c = goro::make_chan<std::string>(1);
    goro::go([guard = says_when_gone{}, c] {
      c.send(std::string(100, 'x'));  // stays in the buffer: nobody receives it
    });
    while (!sender_gone.load(std::memory_order_relaxed)) goro::yield();
    c = goro::chan<std::string>();  // the last handle: destroys the string the sender moved in
  });
}
