// Small portability macros shared by the public headers. Nothing here is part of the API users call.
#pragma once

// Functions of goro's public headers that touch only runtime-owned memory are excluded from race
// instrumentation: the plugin tags them before inlining so their inlined copies stay uninstrumented.
#if defined(__clang__)
#define GORO_NOINSTR __attribute__((annotate("goro.noinstr")))
#else
#define GORO_NOINSTR
#endif

// Out-of-line runtime entry points whose return address identifies the user's call site.
#define GORO_NOINLINE __attribute__((noinline))
