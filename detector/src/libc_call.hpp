// A libc call checked as the program's accesses: what read(), strlen(), pthread_mutex_init() and
// their kind read or write of the program's memory is checked as instrumented code's accesses are,
// under a frame of its own (the libc function) on top of the caller's stack, so that a report
// reads
//   Write at 0x... by thread T2:
//     read
//         .../detector/src/fd.cpp:142 +0x...
//     worker(int)
//         /src/app.cpp:31 +0x...
// as Go's names syscall.Read above the program's frames. The frame is a real enter/exit pair in the
// history, so the previous access of a later report is restored through it too.
//
// The caller: the interposer's return address, or the call site in the program that the runtime
// named for a call it makes on the program's behalf (goro::net reads and writes the user's buffer
// with read() and send(): race/hooks.hpp, libc_call_site), since the runtime's own frames are not
// on the shadow stack.
#pragma once

#include <cstddef>
#include <cstdint>

#include "access.hpp"
#include "context.hpp"
#include "detector.hpp"

namespace goro::race {

// The program's call site for a libc call made by the interposer that calls this (inline, so
// __builtin_return_address is the interposer's).
#define GORO_LIBC_CALLER                  \
  (::goro::race::tls.libc_caller_pc != 0  \
       ? ::goro::race::tls.libc_caller_pc \
       : reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)))

// The arguments of libc_call's constructor in the interposer fn.
#define GORO_LIBC_HERE(fn) reinterpret_cast<const void*>(&fn), GORO_LIBC_CALLER

// The length of the string s, stopping at max: what the string functions' checks measure with,
// without calling the strlen they stand in front of.
inline std::size_t string_length(const char* s, std::size_t max = SIZE_MAX) {
  std::size_t n = 0;
  while (n < max && s[n] != '\0') ++n;
  return n;
}

class libc_call {
 public:
  // fn: the interposer (its address names the frame); caller: GORO_LIBC_CALLER.
  // Nothing before the detector is up: its start-up calls libc itself.
  libc_call(const void* fn, std::uintptr_t caller)
      : c_(detector_initialized() ? current() : nullptr) {
    if (c_ == nullptr) return;
    // The caller's buffers may be on its stack, below anything an instrumented frame showed: a
    // recycled goroutine stack must forget down to here (runtime_hooks.cpp, stack reuse).
    note_sp(c_, reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)));
    // +1: a frame's pc is a return address, symbolised one byte back; this names fn's first byte.
    pc_ = reinterpret_cast<std::uintptr_t>(fn) + 1;
    trace_event(c_, c_->rec, ev::make(ev::enter, caller & ev::kPcMask));
    push_frame(c_, caller);
  }
  ~libc_call() {
    if (c_ == nullptr) return;
    trace_event(c_, c_->rec, ev::make(ev::exit, 0));
    if (c_->depth > 0) --c_->depth;
  }
  libc_call(const libc_call&) = delete;
  libc_call& operator=(const libc_call&) = delete;

  bool active() const { return c_ != nullptr; }
  void reads(const void* p, std::size_t n) const { range(p, n, true); }
  void writes(const void* p, std::size_t n) const { range(p, n, false); }
  void range(const void* p, std::size_t n, bool read) const {
    if (c_ != nullptr && p != nullptr) {
      access_range(c_, reinterpret_cast<std::uintptr_t>(p), n, read, pc_);
    }
  }

 private:
  context* c_;
  std::uintptr_t pc_ = 0;
};

}  // namespace goro::race
