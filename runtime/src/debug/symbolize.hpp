// Symbolization: a return address becomes a function name, source file, line and offset, the way
// goroutine dumps, panics and race reports print it. One symbolizer for all three (see
// symbolize.cpp for where names come from and why the results are cached forever).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace goro::debug {

// One symbolized frame.
//
// Example:
//   frame f = symbolize(pc);  // {"increment(int*)", "/src/racy.cpp", 9, pc, 0x2c}
struct frame {
  std::string function;       // demangled, e.g. "main::$_0::operator()() const"; "??" if unknown
  std::string file;           // source file; "" without debug info
  int line = 0;               // 0 without debug info
  std::uintptr_t pc = 0;      // the return address as walked
  std::uintptr_t offset = 0;  // pc - start of the (outermost) function; 0 if the start is unknown
};

// The frame for a return address: the outermost function containing pc - 1 (the call instruction),
// with the line of that call inside it. Cached per pc, thread-safe, allocates on a miss; not
// async-signal-safe.
frame symbolize(std::uintptr_t pc);

// Every frame at pc, inlined ones expanded: innermost first, the function symbolize() reports last.
// All share pc and offset; each has its own line (an outer frame's line is where the inner one was
// inlined). Never empty. The reference stays valid for the life of the process: the cache never
// evicts.
const std::vector<frame>& symbolize_inlined(std::uintptr_t pc);

// Asks llvm-symbolizer-14 about pc directly, bypassing libbacktrace and the cache: symbolize()'s
// fallback, exposed for tests. Empty when the tool is missing or knows nothing about pc.
std::vector<frame> symbolize_with_llvm_symbolizer(std::uintptr_t pc);

}  // namespace goro::debug
