// alloc (goro): memory allocated on one thread and freed on another. 4 producer goroutines build
// N messages between them, each a vector of 8 strings of 16..256 bytes grown by appending 8 bytes
// at a time (as parsing code grows its strings), and hand them over a channel of capacity 64 to 4
// consumers, which add up the lengths and free them. At GOMAXPROCS > 1 most messages are freed by
// another thread than the one that built them, and goroutines change threads as they block and
// are stolen. Check: the total length of all strings.
// Twin: bench/go/alloc/main.go (Boost.Fiber: n/a, the allocator is the subject, not the runtime).
#include <goro/goro.hpp>
#include <string>
#include <vector>

#include "bench_harness.hpp"

namespace {

constexpr int64_t kProducers = 4;
constexpr int64_t kConsumers = 4;
constexpr int64_t kStrings = 8;

int64_t length_of(int64_t message, int64_t string) {
  return 16 + (message * kStrings + string) % 241;
}

std::vector<std::string> build(int64_t message) {
  std::vector<std::string> strings;
  for (int64_t j = 0; j < kStrings; ++j) {
    const auto len = static_cast<std::size_t>(length_of(message, j));
    std::string s;
    while (s.size() < len) s.append("abcdefgh", std::min<std::size_t>(8, len - s.size()));
    strings.push_back(std::move(s));
  }
  return strings;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    bench::stopwatch timer;
    auto messages = goro::make_chan<std::vector<std::string>>(64);
    auto totals = goro::make_chan<int64_t>(kConsumers);
    goro::WaitGroup built;
    built.add(kProducers);
    for (int64_t p = 0; p < kProducers; ++p) {
      goro::go([p, n, messages, &built] {
        for (int64_t i = p; i < n; i += kProducers) messages.send(build(i));
        built.done();
      });
    }
    for (int64_t c = 0; c < kConsumers; ++c) {
      goro::go([messages, totals] {
        int64_t total = 0;
        for (const std::vector<std::string>& m : messages) {
          for (const std::string& s : m) total += static_cast<int64_t>(s.size());
        }
        totals.send(total);
      });
    }
    built.wait();
    messages.close();
    int64_t total = 0;
    for (int64_t c = 0; c < kConsumers; ++c) total += totals.recv();
    bench::report("alloc", total, timer.elapsed_ns());
    return 0;
  });
}
