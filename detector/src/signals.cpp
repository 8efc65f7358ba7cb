// Signal handlers run with the detector's hooks switched off on their thread.
//
// A handler interrupts whatever its thread was doing, the detector included, and the detector is
// not reentrant: an atomic's hook holds the location's sync-object lock while it performs the
// operation, so a handler using the same atomic (the usual flag set on SIGINT) would spin on that
// lock forever, and the history ring and shadow call stack would be written from two places at
// once. TSan defers a signal that arrives inside its runtime until the runtime is left; here the
// handler runs at once with the hooks passing through (its atomics are still performed, which is
// all the program sees), so its own accesses are not checked.
//
// sigaction and signal are interposed: a program handler is installed behind run_handler, which
// brackets it with the thread's ignore count; asking for the current disposition reports the
// program's handler, never the wrapper. A handler that leaves by longjmp skips the bracket's end
// and leaves its thread unchecked from then on.
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>

#include <atomic>

#include "context.hpp"

namespace goro::race {
namespace {

using sigaction_fn = int (*)(int, const struct sigaction*, struct sigaction*);

// The program's handler for each signal, as it asked for it. relaxed would do for the flag; the
// handler pointer is published with release before the wrapper is installed (acquire in
// run_handler).
struct program_handler {
  std::atomic<void*> fn{nullptr};
  std::atomic<bool> siginfo{false};
};
program_handler g_handlers[NSIG];

sigaction_fn libc_sigaction() {
  // relaxed: every thread computes the same value; a race only repeats the lookup.
  static std::atomic<sigaction_fn> fn{nullptr};
  sigaction_fn f = fn.load(std::memory_order_relaxed);
  if (f == nullptr) {
    f = reinterpret_cast<sigaction_fn>(dlsym(RTLD_NEXT, "sigaction"));
    fn.store(f, std::memory_order_relaxed);
  }
  return f;
}

void run_handler(int sig, siginfo_t* info, void* ucontext) {
  program_handler& h = g_handlers[sig];
  // acquire: pairs with sigaction's release store of fn; the relaxed flag load below then sees
  // the flag stored before it.
  void* fn = h.fn.load(std::memory_order_acquire);
  if (fn == nullptr) return;
  ++tls.ignore;
  if (h.siginfo.load(std::memory_order_relaxed)) {
    reinterpret_cast<void (*)(int, siginfo_t*, void*)>(fn)(sig, info, ucontext);
  } else {
    reinterpret_cast<void (*)(int)>(fn)(sig);
  }
  --tls.ignore;
}

void* handler_of(const struct sigaction& sa) {
  return (sa.sa_flags & SA_SIGINFO) != 0 ? reinterpret_cast<void*>(sa.sa_sigaction)
                                         : reinterpret_cast<void*>(sa.sa_handler);
}

// A function to call, not SIG_DFL or SIG_IGN.
bool is_function(void* fn) {
  return fn != reinterpret_cast<void*>(SIG_DFL) && fn != reinterpret_cast<void*>(SIG_IGN);
}

}  // namespace
}  // namespace goro::race

using goro::race::g_handlers;

extern "C" int sigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  const goro::race::sigaction_fn real = goro::race::libc_sigaction();
  if (real == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  if (sig <= 0 || sig >= NSIG) return real(sig, act, old);  // libc's own error
  // relaxed: kept only to restore on failure; concurrent sigaction calls on one signal are the
  // program's own race (libc's last one wins too).
  void* const previous_fn = g_handlers[sig].fn.load(std::memory_order_relaxed);
  const bool previous_siginfo = g_handlers[sig].siginfo.load(std::memory_order_relaxed);
  struct sigaction wrapped;
  const struct sigaction* install = act;
  if (act != nullptr) {
    void* fn = goro::race::handler_of(*act);
    if (goro::race::is_function(fn)) {
      // relaxed: published by the release store of fn that follows.
      g_handlers[sig].siginfo.store((act->sa_flags & SA_SIGINFO) != 0, std::memory_order_relaxed);
      // release: run_handler, finding the wrapper installed, sees this handler and its flag.
      g_handlers[sig].fn.store(fn, std::memory_order_release);
      wrapped = *act;
      wrapped.sa_flags |= SA_SIGINFO;
      wrapped.sa_sigaction = goro::race::run_handler;
      install = &wrapped;
    }
  }
  const int r = real(sig, install, old);
  if (r != 0) {
    // Restored as installed above: the flag relaxed, published by fn's release store.
    g_handlers[sig].siginfo.store(previous_siginfo, std::memory_order_relaxed);
    g_handlers[sig].fn.store(previous_fn, std::memory_order_release);
    return r;
  }
  if (old != nullptr && (old->sa_flags & SA_SIGINFO) != 0 &&
      old->sa_sigaction == goro::race::run_handler) {
    // The disposition the program installed, not the wrapper.
    if (previous_siginfo) {
      old->sa_sigaction = reinterpret_cast<void (*)(int, siginfo_t*, void*)>(previous_fn);
    } else {
      old->sa_flags &= ~SA_SIGINFO;
      old->sa_handler = reinterpret_cast<void (*)(int)>(previous_fn);
    }
  }
  return 0;
}

// BSD semantics, as glibc's signal: the handler stays installed and interrupted calls restart.
extern "C" sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  struct sigaction old {};
  if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
  return (old.sa_flags & SA_SIGINFO) != 0 ? reinterpret_cast<sighandler_t>(old.sa_sigaction)
                                          : old.sa_handler;
}
