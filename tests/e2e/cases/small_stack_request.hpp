// The goroutine_small_stack_request* cases' program: goroutines started from a thread of the
// program's own, each asking for a 4 KiB stack and formatting a line with the C library.
#pragma once

#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <thread>

inline int format_lines_on_small_stack_requests() {
  return goro::run([] {
    constexpr int kGoroutines = 1000;
    std::string lines[kGoroutines];
    goro::WaitGroup wg;
    wg.add(kGoroutines);
    std::thread starter([&lines, &wg] {
      for (int i = 0; i < kGoroutines; ++i) {
        goro::go_with_stack(4096, [&lines, &wg, i] {
          char buf[128];
          std::snprintf(buf, sizeof buf, "goroutine %d: %.3f", i, i / 7.0);
          lines[i] = buf;
          wg.done();
        });
      }
    });
    starter.join();
    wg.wait();
    int formatted = 0;
    for (const std::string& line : lines) formatted += line.rfind("goroutine ", 0) == 0 ? 1 : 0;
    std::printf("%d goroutines formatted %d lines on 4 KiB stack requests\n", kGoroutines,
                formatted);
    return 0;
  });
}
