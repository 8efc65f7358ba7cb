// Small portability macros shared by the public headers. Nothing here is part of the API users
// call.
#pragma once

// Functions of goro's public headers that touch only runtime-owned memory are excluded from race
// instrumentation: the plugin tags them before inlining so their inlined copies stay
// uninstrumented.
#if defined(__clang__)
#define GORO_NOINSTR __attribute__((annotate("goro.noinstr")))
#else
#define GORO_NOINSTR
#endif

// A pointer parameter of a runtime entry point that the runtime uses only until the call returns
// (a value being sent, storage a received value is built in). Besides telling the optimiser, it
// lets the race instrumentation see that a local passed there is still private to its goroutine,
// as Go's compiler never instruments the temporaries of `c <- v`: the runtime's copy of the value
// and the happens-before edges it records stand for the transfer.
#if defined(__clang__)
#define GORO_NOESCAPE __attribute__((noescape))
#else
#define GORO_NOESCAPE
#endif

// A handle whose one field is a pointer to runtime-owned state (goro::chan) is passed and returned
// in a register although its copies and destructor count references: the called function owns
// and destroys its parameter. Passed in memory, each by-value chan parameter (a goroutine's
// channel argument, most often) was a temporary in the caller's frame that the race build checked
// when it was built, read and destroyed, and announced live and dead; Go checks no goroutine's
// arguments. Race build, callgrind, GOMAXPROCS=1: skynet -11.6% instructions, select -9.6%. GCC
// has no such attribute and passes the handle in memory: every unit of one program that includes
// goro/chan.hpp must be built by the same compiler (the linker keeps one copy of each inline
// function that takes or returns a chan, whichever compiler made it). The goro library's own
// entry points take and return none, so a library built by GCC (./dev check-gcc) serves
// programs built by GCC.
#if defined(__clang__)
#define GORO_TRIVIAL_ABI [[clang::trivial_abi]]
#else
#define GORO_TRIVIAL_ABI
#endif

// Out-of-line runtime entry points whose return address identifies the user's call site.
#define GORO_NOINLINE __attribute__((noinline))
