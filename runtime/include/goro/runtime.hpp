// Goroutines: starting the runtime, spawning, yielding, GOMAXPROCS, panics and blocking syscalls.
//
// Example:
//   #include <goro/goro.hpp>
//   int main() {
//     return goro::run([] {
//       goro::WaitGroup wg;
//       wg.add(1);
//       goro::go([&] { std::puts("hello from a goroutine"); wg.done(); });
//       wg.wait();
//     });
//   }
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "goro/config.hpp"

namespace goro {

// The exception a Go panic becomes: `catch (const goro::panic_error&)` plays Go's recover.
// what() is exactly the panic message ("send on closed channel", or the text given to goro::panic).
class panic_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

using task_fn = void (*)(void* closure);

// Spawning in two steps, so that the closure is built in place: spawn_reserve() takes a goroutine
// and storage for a closure of the given size (inside the goroutine's own record when it fits in
// kInlineClosureBytes, so a go statement usually allocates nothing); spawn() starts it running
// fn(storage), where fn runs the closure and destroys it. stack_bytes == 0 means the default
// (GORO_STACK_SIZE). spawn() is not inlined: its return address is the go statement's location
// shown in "created by" lines. spawn_cancel() returns a reservation whose closure could not be
// built.
inline constexpr std::size_t kInlineClosureBytes = 64;
struct spawn_slot {
  void* g;
  void* storage;
};
spawn_slot spawn_reserve(std::size_t size, std::size_t align);
void spawn_cancel(spawn_slot slot);
GORO_NOINLINE void spawn(spawn_slot slot, task_fn fn, std::size_t stack_bytes);

// Starts the scheduler with main_fn(closure) as goroutine 1; ends the process when it returns.
[[noreturn]] void run_main(int (*main_fn)(void* closure), void* closure);

// Runs fn(closure) as a blocking system call on the thread's system stack; the P is handed off if
// the call lasts.
void run_blocking(task_fn fn, void* closure);

// Race build: the go statement's operands travel to the new goroutine as Go's runtime copies a go
// statement's arguments, out of the detector's sight. The spawner builds the closure in a local
// (its reads of the operands stay checked) and copies it into the goroutine's storage; a goroutine
// whose closure is not read-only (below) runs a copy of it on its own stack, so that its reads of
// the captures are private too. Only for trivially copyable closures: copying any other kind runs
// user code, which stays instrumented.
#if defined(GORO_RACE) && GORO_RACE
template <class T>
inline constexpr bool kCopyClosureUnseen = std::is_trivially_copyable_v<T>;
#else
template <class T>
inline constexpr bool kCopyClosureUnseen = false;
#endif

// Out of line so that the copy stays one uninstrumented memcpy (inlined, the optimiser would turn
// it into plain stores of the caller's, which the instrumentation sees).
GORO_NOINSTR GORO_NOINLINE inline void copy_closure_unseen(GORO_NOESCAPE void* to,
                                                           GORO_NOESCAPE const void* from,
                                                           std::size_t bytes) noexcept {
  __builtin_memcpy(to, from, bytes);
}

// Race build: a goroutine's closure is memory no one else can reach, so its accesses go unchecked,
// as Go's race build leaves a closure's fields alone (written once, by the go statement, before the
// goroutine exists). Code reaches such memory through __goro_closure_fields(p), an identity whose
// result the instrumentation plugin recognises: it exempts every plain load and store through that
// pointer (not through a pointer loaded from it: what a capture points to stays checked) and then
// replaces the call by p (instrument/pass/closures.cpp). Two places use it:
//   - the go statement builds the closure in its fresh storage, which no other goroutine can name
//     before spawn() hands it over (closure_storage);
//   - the goroutine runs it, when nothing can write it meanwhile (kClosureReadOnly): the callable
//     has a single call operator and it is const (or is a function or member pointer), and it
//     takes the arguments as they would come from a const closure, so that no parameter binds to
//     an argument by non-const reference and no non-const member function runs on one. A mutable
//     lambda, or an `auto&&` parameter, may write its capture or argument and lend its address to
//     another goroutine: those closures stay checked (closure_fields).
// The race runtime also defines the function, for a unit compiled with GORO_RACE but without the
// plugin.
#if defined(GORO_RACE) && GORO_RACE
extern "C" void* __goro_closure_fields(void* closure) noexcept __attribute__((const));

template <class M>
inline constexpr bool kConstMember = false;
template <class R, class C, class... A>
inline constexpr bool kConstMember<R (C::*)(A...) const> = true;
template <class R, class C, class... A>
inline constexpr bool kConstMember<R (C::*)(A...) const noexcept> = true;
// Whether every call of an F object runs a const member: true for non-class callables; for a
// class, only when &F::operator() names one function (no overloads, no template) that is const.
template <class F, class = void>
inline constexpr bool kOnlyConstCalls = !std::is_class_v<F>;
template <class F>
inline constexpr bool kOnlyConstCalls<F, std::void_t<decltype(&F::operator())>> =
    kConstMember<decltype(&F::operator())>;

template <class F, class... Args>
inline constexpr bool kClosureReadOnly =
    std::conjunction_v<std::bool_constant<kOnlyConstCalls<std::decay_t<F>>>,
                       std::is_invocable<const std::decay_t<F>&, const std::decay_t<Args>&...>>;

// The closure of type C at p, for the goroutine that runs callable F with Args.
template <class C, class F, class... Args>
C* closure_fields(void* p) {
  if constexpr (kClosureReadOnly<F, Args...>) {
    return static_cast<C*>(__goro_closure_fields(p));
  } else {
    return static_cast<C*>(p);
  }
}
// A go statement's fresh closure storage p, for building the closure in.
inline void* closure_storage(void* p) { return __goro_closure_fields(p); }
#else
template <class F, class... Args>
inline constexpr bool kClosureReadOnly = false;
template <class C, class F, class... Args>
C* closure_fields(void* p) {
  return static_cast<C*>(p);
}
inline void* closure_storage(void* p) { return p; }
#endif

// Decay-copies the callable and its arguments (as Go evaluates a go statement's operands) into one
// object that the goroutine owns and destroys when it finishes (the runtime frees its storage).
template <class F, class... Args>
struct closure {
  std::decay_t<F> fn;
  std::tuple<std::decay_t<Args>...> args;

  static void invoke(void* self) {
    // A read-only closure's reads are unchecked wherever it lies: no copy needed.
    if constexpr (kCopyClosureUnseen<closure> && !kClosureReadOnly<F, Args...>) {
      alignas(closure) unsigned char local[sizeof(closure)];
      copy_closure_unseen(local, self, sizeof(closure));
      auto* c = std::launder(reinterpret_cast<closure*>(local));
      std::apply(c->fn, std::move(c->args));  // trivially destructible: nothing to destroy
    } else {
      auto* c = closure_fields<closure, F, Args...>(self);
      struct destroy_after {
        closure* c;
        ~destroy_after() { c->~closure(); }
      } guard{c};
      std::apply(c->fn, std::move(c->args));
    }
  }
};

// Always inlined, and never ending in a tail call to spawn(): spawn's return address must lie in
// the function that contains the go statement, at every optimisation level.
template <class F, class... Args>
__attribute__((always_inline)) inline void spawn_closure(std::size_t stack_bytes, F&& f,
                                                         Args&&... args) {
  using closure_type = closure<F, Args...>;
  spawn_slot slot = spawn_reserve(sizeof(closure_type), alignof(closure_type));
  if constexpr (kCopyClosureUnseen<closure_type>) {
    try {
      const closure_type built{std::forward<F>(f), {std::forward<Args>(args)...}};
      copy_closure_unseen(slot.storage, &built, sizeof(closure_type));
    } catch (...) {
      spawn_cancel(slot);
      throw;
    }
  } else {
    try {
      ::new (closure_storage(slot.storage))
          closure_type{std::forward<F>(f), {std::forward<Args>(args)...}};
    } catch (...) {
      spawn_cancel(slot);
      throw;
    }
  }
  spawn(slot, &closure_type::invoke, stack_bytes);
  asm volatile("" ::: "memory");  // keeps the call out of tail position
}

}  // namespace detail

// Starts the runtime and runs main_fn as goroutine 1. The calling thread's work before run()
// happens-before goroutine 1. When main_fn returns, stdio is flushed, the race summary is printed
// (race build) and the process ends with _exit: 66 if races were found, else main_fn's int (or 0).
// Other goroutines are abandoned, as in Go. May be called once per process.
template <class F>
[[noreturn]] int run(F&& main_fn) {
  using fn_type = std::decay_t<F>;
  fn_type fn(std::forward<F>(main_fn));
  detail::run_main(
      [](void* p) -> int {
        auto& f = *detail::closure_fields<fn_type, fn_type>(p);  // unchecked reads, as go()'s
        if constexpr (std::is_void_v<std::invoke_result_t<fn_type&>>) {
          f();
          return 0;
        } else {
          return static_cast<int>(f());
        }
      },
      &fn);
}

// Starts f(args...) in a new goroutine. The arguments are decay-copied now, as Go evaluates them.
template <class F, class... Args>
__attribute__((always_inline)) inline void go(F&& f, Args&&... args) {
  detail::spawn_closure(0, std::forward<F>(f), std::forward<Args>(args)...);
}

// Like go(), with a stack of at least `bytes` instead of the default. 0, or any size the default
// meets, gets the default.
template <class F, class... Args>
__attribute__((always_inline)) inline void go_with_stack(std::size_t bytes, F&& f, Args&&... args) {
  detail::spawn_closure(bytes, std::forward<F>(f), std::forward<Args>(args)...);
}

// runtime.Gosched: lets other goroutines run; this one stays runnable.
void yield();

// Queries (n <= 0) or sets the number of Ps; returns the previous setting.
int gomaxprocs(int n = 0);

// The number of goroutines that exist (running, runnable or blocked).
int num_goroutine();

// The leak check a test makes at its end (GORODEBUG=leakcheck=1 makes it when main returns): writes
// on stderr every goroutine still alive other than the caller, grouped by where it was created (the
// go statement's file:line) and how it waits, with one stack per group, and marks as "leaked" those
// the runtime can prove will never be woken (docs/guide.md says which). Returns how many goroutines
// it reported; prints nothing when there are none.
//
// Example:
//   TEST(Server, StopsItsWorkers) {
//     goro::run([] {
//       start_and_stop_server();
//       EXPECT_EQ(goro::leakcheck(), 0);
//       return 0;
//     });
//   }
int leakcheck();

// Throws goro::panic_error(msg). Uncaught, it prints "panic: msg" and the goroutine's stack,
// exit 2.
[[noreturn]] void panic(std::string_view msg);

// Runs f() (a blocking system call, a C library call that may block) without holding up other
// goroutines, as Go runs a system call: the goroutine keeps its thread, and if f lasts longer than
// one look of the runtime's monitor (20 us to 10 ms) while other goroutines could run, its P is
// handed to another thread meanwhile. A short call costs a few stores and two stack switches. f
// runs on the thread's own system stack (256 KiB), not the goroutine's, so C library calls that
// need deep stacks (getaddrinfo, printf of long doubles) are safe here. Returns f's result;
// rethrows its exception. Outside a goroutine it simply calls f. f runs outside the scheduler, so
// it must not wait on goroutine operations (a channel, a held Mutex, a WaitGroup, sleep): such a
// wait is a fatal error ("goroutine waits inside goro::blocking (<state>): ..."); operations that
// do not wait (try_send, an uncontended lock) are fine.
template <class F>
auto blocking(F&& f) -> std::invoke_result_t<F&> {
  using result = std::invoke_result_t<F&>;
  struct call {
    F& f;
    std::exception_ptr error;
    std::conditional_t<std::is_void_v<result>, char, std::optional<result>> value;
  } c{f, nullptr, {}};
  detail::run_blocking(
      [](void* p) {
        auto& c = *static_cast<call*>(p);
        try {
          if constexpr (std::is_void_v<result>) {
            c.f();
          } else {
            c.value.emplace(c.f());
          }
        } catch (...) {
          c.error = std::current_exception();
        }
      },
      &c);
  if (c.error) std::rethrow_exception(c.error);
  if constexpr (!std::is_void_v<result>) return std::move(*c.value);
}

}  // namespace goro
