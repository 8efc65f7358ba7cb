// A three-stage pipeline over channels of different element types (int, std::string,
// std::unique_ptr), each stage ranging over its input until it is closed and closing its output.
// OPT: -O0 -O1 -O2
// ENV: GOMAXPROCS=2
// CHECK-STDOUT: squares: 1000 values, sum 332833500
// CHECK-STDOUT: longest: 998001 (6 digits)
// CHECK-NOT: panic
#include <cstdio>
#include <goro/goro.hpp>
#include <memory>
#include <string>

int main() {
  return goro::run([] {
    auto numbers = goro::make_chan<long>();
    auto texts = goro::make_chan<std::string>(16);
    auto boxes = goro::make_chan<std::unique_ptr<long>>(4);
    goro::go([numbers] {
      for (long i = 0; i < 1000; ++i) numbers.send(i);
      numbers.close();
    });
    goro::go([numbers, texts] {
      for (long v : numbers) texts.send(std::to_string(v * v));
      texts.close();
    });
    goro::go([texts, boxes] {
      for (std::string s : texts) boxes.send(std::make_unique<long>(std::stol(s)));
      boxes.close();
    });
    long count = 0, sum = 0, longest = 0;
    for (auto box : boxes) {
      ++count;
      sum += *box;
      if (*box > longest) longest = *box;
    }
    std::printf("squares: %ld values, sum %ld\n", count, sum);
    std::printf("longest: %ld (%zu digits)\n", longest, std::to_string(longest).size());
  });
}
