// The machine-level context switch: Boost.Context's fcontext (a register save/restore, a few ns), with
// the AddressSanitizer fiber annotations that let ASan follow a thread from one stack to another.
#pragma once

#include <boost/context/detail/fcontext.hpp>
#include <cstddef>

#if defined(GORO_SANITIZE)
#include <sanitizer/asan_interface.h>
#endif

namespace goro::sched {

using fcontext = boost::context::detail::fcontext_t;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;
using boost::context::detail::transfer_t;

// Jumps to `to`, passing data; returns when something jumps back here. `to_lo`/`to_size` describe the
// stack being entered (used only by ASan builds).
inline transfer_t switch_to(fcontext to, void* data, const void* to_lo, std::size_t to_size) {
#if defined(GORO_SANITIZE)
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, to_lo, to_size);
  transfer_t t = jump_fcontext(to, data);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  return t;
#else
  (void)to_lo;
  (void)to_size;
  return jump_fcontext(to, data);
#endif
}

// The first code a new context runs must report its arrival to ASan (no previous fake stack).
inline void context_entered() {
#if defined(GORO_SANITIZE)
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

}  // namespace goro::sched
