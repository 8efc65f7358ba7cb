// The public entry points of <goro/runtime.hpp>: run(), go(), yield(), gomaxprocs(),
// num_goroutine(), panic() and blocking(), on top of the scheduler. Also the program's
// .debug_gdb_scripts entry (below): every goro program links this file.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>

#include "debug/fatal.hpp"
#include "debug/godebug.hpp"
#include "debug/leakcheck.hpp"
#include "debug/panic.hpp"
#include "debug/signals.hpp"
#include "goro/runtime.hpp"
#include "netpoll/netpoll.hpp"
#include "race/hooks.hpp"
#include "sched/invariants.hpp"
#include "sched/proc.hpp"
#include "sysmon/stack_guard.hpp"
#include "sysmon/sysmon.hpp"
#include "trace/hooks.hpp"

// gdb's `info goroutines` and `goroutine N bt` (runtime/gdb/goro-gdb.py), carried inline in the
// .debug_gdb_scripts section: gdb runs it when it loads the program, if it trusts the program's
// directory (its auto-load safe-path). Entry format: 4 (an inline Python script), the script's
// name ending in a newline, its text, a NUL.
#ifndef GORO_GDB_SCRIPT
#error "GORO_GDB_SCRIPT must name runtime/gdb/goro-gdb.py (runtime/CMakeLists.txt)"
#endif
asm(".pushsection \".debug_gdb_scripts\", \"MS\", @progbits, 1\n"
    ".byte 4\n"
    ".ascii \"goro-gdb.py\\n\"\n"
    ".incbin \"" GORO_GDB_SCRIPT
    "\"\n"
    ".byte 0\n"
    ".popsection\n");

namespace goro {
namespace {

struct main_call {
  int (*fn)(void*);
  void* closure;
};

main_call the_main;

struct leak_call {
  sched::G* self;
  int found;
};

int leak_check_from(sched::G* self) {
  leak_call call{self, 0};
  sched::on_system_stack(
      [](void* p) {
        auto* c = static_cast<leak_call*>(p);
        c->found = debug::leak_report(c->self);
      },
      &call);
  return call.found;
}

// Goroutine 1's body: run main_fn, then end the process the way a Go program ends when main
// returns (after the leak check, with GORODEBUG=leakcheck=1).
void main_goroutine(void*) {
  int code = the_main.fn(the_main.closure);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  trace::finish();
  if (debug::godebug().leakcheck && leak_check_from(sched::current_g()) > 0 && code == 0) {
    code = debug::godebug().leakcheck_exit;
  }
  debug::wait_for_report();
  _exit(race::fini(code));
}

[[noreturn]] void become_m0(sched::G* main_g) {
  using namespace sched;
  auto& s = sched::sched();
  M* m = new_m_struct();
  init_m_thread(m);
  P* p = nullptr;
  {
    runtime_lock_guard l(sched_lock);
    p = idle_p_get();
  }
  acquire_p(m, p);
  runq_put(p, main_g, true);
  // release: M0 holds its P and main is queued before wake_p, set_gomaxprocs or check_dead
  // (acquire) act on `started`.
  s.started.store(true, std::memory_order_release);
  wake_p();  // goroutines spawned before run() wait on the global queue
  schedule_loop(m);
}

}  // namespace

namespace detail {

static_assert(sizeof(sched::G::closure_storage) == kInlineClosureBytes);

spawn_slot spawn_reserve(std::size_t size, std::size_t align) {
  sched::G* g = sched::reserve_goroutine();
  if (size <= kInlineClosureBytes && align <= alignof(std::max_align_t))
    return {g, g->closure_storage};
  return {g, ::operator new(size)};  // operator new's alignment covers max_align_t
}

void spawn_cancel(spawn_slot slot) {
  auto* g = static_cast<sched::G*>(slot.g);
  if (slot.storage != g->closure_storage) ::operator delete(slot.storage);
  sched::unreserve_goroutine(g);
}

void spawn(spawn_slot slot, task_fn fn, std::size_t stack_bytes) {
  const bool crowded =
      sched::start_goroutine(static_cast<sched::G*>(slot.g), fn, slot.storage, stack_bytes,
                             reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
  // A go statement is a safe point, as any call is in Go. A goroutine that spawns in a loop and
  // never blocks yields once its time slice is over, so the goroutines it made run, finish and
  // return their Gs, instead of a million of them waiting at once (spawn's peak RSS).
  sysmon::preempt_point(crowded);
}

}  // namespace detail

#if GORO_RACE
// The instrumentation plugin replaces every call of this marker by its argument (runtime.hpp says
// why it exists); a unit built with GORO_RACE but without the plugin calls this.
extern "C" void* __goro_closure_fields(void* closure) noexcept { return closure; }
#endif

namespace detail {

void run_main(int (*main_fn)(void*), void* closure) {
  static std::atomic<bool> ran{false};
  // relaxed: the exchange's atomicity alone lets one caller through; nothing is published by it.
  if (ran.exchange(true, std::memory_order_relaxed) || sched::current_g() != nullptr) {
    debug::fatal_plain("goro::run called more than once");
  }
  sched::init_once();  // reads GORODEBUG too
  debug::install_panic_handler();
  debug::install_signal_handlers();
  netpoll::init();  // also the timer sleeper (proc.cpp), so always
  sysmon::start();
  the_main = {main_fn, closure};

  auto* g = new sched::G;
  {
    auto& s = sched::sched();
    sched::runtime_lock_guard l(sched::all_gs_lock);
    s.all_gs.push_back(g);
  }
  g->goid = 1;
  g->is_main = true;
  g->fn = main_goroutine;
  g->stack = stack::allocate(stack::kMainStackSize);
  // release: publishes goid, is_main and the rest to a dump's acquire (for_each_g).
  sched::change_status(g, {sched::g_status::idle}, sched::g_status::runnable,
                       std::memory_order_release, "run");
  sched::count_goroutine(nullptr, 1);
  race::go_start(nullptr, g, 0);
  trace::created(sched::current_m(), g, 0, 0);
  become_m0(g);
}

void run_blocking(task_fn fn, void* closure) {
  const race::call_site_scope site(reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
  // Outside a goroutine there is no P to hand off; inside another blocking() call, already none.
  // relaxed: g's own status, last written on this thread (by its M, or by enter_syscall).
  sched::G* g = sched::current_g();
  if (g == nullptr || g->status.load(std::memory_order_relaxed) == sched::g_status::syscall) {
    fn(closure);
    return;
  }
  sched::enter_syscall();
  sched::on_system_stack(fn, closure);
  sched::exit_syscall();
}

}  // namespace detail

void yield() {
  if (sched::current_g() == nullptr) return;
  sched::yield_current();
}

int gomaxprocs(int n) { return sched::set_gomaxprocs(n); }

int leakcheck() { return leak_check_from(sched::current_g()); }

int num_goroutine() {
  sched::init_once();
  return static_cast<int>(sched::goroutine_count());
}

void panic(std::string_view msg) { throw panic_error(std::string(msg)); }

}  // namespace goro

#if defined(GORO_SANITIZE)
// AddressSanitizer's fake stacks (detect_stack_use_after_return) assume one stack per thread; with
// goroutine stacks pooled and switched under it they would report nonsense. Off, whatever the
// toolchain's default. Defined here because this object is always linked (run() lives here).
extern "C" const char* __asan_default_options() { return "detect_stack_use_after_return=0"; }
#endif
