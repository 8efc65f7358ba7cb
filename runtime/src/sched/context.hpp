// The machine-level context switch: Boost.Context's fcontext (a register save/restore, a few ns),
// with the sanitizer fiber annotations that let AddressSanitizer follow a thread from one stack to
// another (GORO_SANITIZE builds) and ThreadSanitizer keep one logical thread per goroutine
// (GORO_SANITIZE_THREAD builds).
#pragma once

#include <boost/context/detail/fcontext.hpp>
#include <cstddef>
#include <cstdint>

#if defined(GORO_SANITIZE)
#include <sanitizer/asan_interface.h>
#endif
#if defined(GORO_SANITIZE_THREAD)
#include <sanitizer/tsan_interface.h>
#endif

namespace goro::sched {

using fcontext = boost::context::detail::fcontext_t;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;
using boost::context::detail::transfer_t;

// What the sanitizers need to know about the context being entered: its stack (ASan) and its
// ThreadSanitizer fiber. Plain builds ignore it.
struct switch_target {
  const void* stack_lo;
  std::size_t stack_size;
  void* tsan_fiber;
};

// Jumps to `to`, passing data; returns when something jumps back here.
inline transfer_t switch_to(fcontext to, void* data, const switch_target& target) {
#if defined(GORO_SANITIZE_THREAD)
  // flags 0: the switch synchronises the two fibers, as the hand-over through this M's scheduler
  // stack does.
  __tsan_switch_to_fiber(target.tsan_fiber, 0);
#endif
#if defined(GORO_SANITIZE)
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, target.stack_lo, target.stack_size);
  transfer_t t = jump_fcontext(to, data);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  return t;
#else
  (void)target;
  return jump_fcontext(to, data);
#endif
}

// The first code a new context runs must report its arrival to ASan (no previous fake stack).
inline void context_entered() {
#if defined(GORO_SANITIZE)
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

// A goroutine's frames are abandoned mid-call when it exits (goexit switches away for good), so
// AddressSanitizer's poison for their redzones outlives them. A function's prologue writes only
// the non-zero shadow of its own frame and relies on the rest being clean, so a stack must be
// cleared before another goroutine runs on it, or that stale poison reads as an overflow there.
inline void forget_stack_poison(std::uintptr_t lo, std::size_t size) {
#if defined(GORO_SANITIZE)
  __asan_unpoison_memory_region(reinterpret_cast<const void*>(lo), size);
#else
  (void)lo;
  (void)size;
#endif
}

}  // namespace goro::sched
