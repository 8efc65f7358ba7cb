// What the programs of the stress corpus share: how a program reports the bug it caught, and a
// call the optimiser keeps that holds preemption safe points. README.md describes the corpus.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>

namespace stress {

// Prints "BUG: <what>" on stderr and ends the process with status 1, from any goroutine.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "BUG: %s\n", what);
  std::fflush(stderr);
  std::_Exit(1);
}

// opaque()'s trip count. volatile: the loop can be neither unrolled nor removed.
inline volatile int g_opaque_rounds = 2;

// Returns x, through a call that is never inlined and a loop that is never unrolled. goro c++ puts
// a safe point in the prologue of every function but a small leaf, and on every loop back-edge,
// so a seeded schedule may switch goroutines here (and in the prologue of whoever calls it). The
// default scheduler switches only when a goroutine blocks, or when sysmon preempts one that has
// run for 10 ms, which none of these programs comes near: it never does.
GORO_NOINLINE inline int opaque(int x) {
  for (int i = 0; i < g_opaque_rounds; ++i) asm volatile("" : "+r"(x));
  return x;
}

}  // namespace stress
