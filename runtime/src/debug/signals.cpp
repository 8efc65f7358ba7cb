// Signal handlers; see signals.hpp.
//
// The SIGQUIT handler itself only writes the signal's details to a pipe (async-signal-safe); a
// dedicated thread reads it and writes the dump, since symbolizing allocates. The fault handler
// runs on the M's alternate signal stack (an overflowing goroutine has no stack left) and reports
// there: the process is ending, so the allocation it does is an accepted risk.
#include "debug/signals.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "debug/dump.hpp"
#include "debug/fatal.hpp"
#include "debug/traceback.hpp"
#include "sched/os_thread.hpp"
#include "sched/sched.hpp"

namespace goro::debug {
namespace {

struct quit_event {
  std::uintptr_t pc;
  int code;
  int m_id;
};

int quit_pipe[2] = {-1, -1};

// A thread the signal interrupted may go on to end the process before the reporter has written
// the dump (a blocking sleep returns early, main returns): the handler says a report is coming,
// and both ways out, goro::run's end and exit() (this handler), wait for the reporter's _exit(2).
void wait_at_exit() { wait_for_report(); }

void on_sigquit(int, siginfo_t* info, void* uc_raw) {
  signal_report_coming();
  auto* uc = static_cast<ucontext_t*>(uc_raw);
  sched::M* m = sched::current_m();
  quit_event e{static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]), info->si_code,
               m != nullptr ? m->id : -1};
  // The system call itself, here and in the reader: the race build interposes read and write, and
  // would take the reporter for a program's thread (the program's first thread became "T2").
  long ignored = syscall(SYS_write, quit_pipe[1], &e, sizeof e);
  (void)ignored;
}

void* quit_reporter(void*) {
  quit_event e{};
  while (syscall(SYS_read, quit_pipe[0], &e, sizeof e) != static_cast<long>(sizeof e)) {
  }
  begin_report();  // one report at a time: a fatal error already being written wins
  char head[128];
  std::snprintf(head, sizeof head, "SIGQUIT: quit\nPC=%#" PRIxPTR " m=%d sigcode=%d\n", e.pc,
                e.m_id < 0 ? 0 : e.m_id, e.code);
  flush_stdio_best_effort();
  write_stderr(head);
  write_other_goroutines(nullptr);
  _exit(2);
}

#if !defined(GORO_SANITIZE) && !defined(GORO_SANITIZE_THREAD)
void restore_default_and_return(int sig) {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigaction(sig, &sa, nullptr);
}

void on_fault(int sig, siginfo_t* info, void* uc_raw) {
  auto* uc = static_cast<ucontext_t*>(uc_raw);
  auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  auto pc = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  auto fp = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]);
  // The faulting instruction itself, not a return address: one past it makes the symbolizer's step
  // back land on it (at its start, it could land in the instruction before, inlined from another
  // function: the runtime's closure call, whose frames the traceback hides).
  const std::uintptr_t walk_pc = pc + 1;
  sched::G* g = sched::current_g();
  if (g != nullptr && stack::is_overflow_address(g->stack, addr)) {
    char head[96];
    std::snprintf(head, sizeof head, "stack overflow in goroutine %" PRId64, g->goid);
    // The faulting frame's fp is usually intact: walk what can be walked.
    std::uintptr_t pcs[kTracebackSlots];
    std::size_t n =
        walk_frame_pointers(walk_pc, fp, g->stack.lo, g->stack.hi, pcs, kTracebackSlots);
    std::string out = "fatal error: ";
    out += head;
    out += "\n\n";
    append_goroutine(out, g, pcs, n);
    flush_stdio_best_effort();
    write_stderr(out);
    write_other_goroutines(g);
    _exit(2);
  }
  // As Go: a fault in the first page is a nil dereference, a panic; one elsewhere in a goroutine
  // (a wild or dangling pointer) is a fatal "unexpected fault address". A plain thread's fault
  // away from 0 is not the runtime's to report.
  if (addr >= 4096 && g == nullptr) {
    restore_default_and_return(sig);  // the fault repeats and the process dies as usual
    return;
  }
  std::uintptr_t pcs[kTracebackSlots];
  std::size_t n = g != nullptr ? walk_frame_pointers(walk_pc, fp, g->stack.lo, g->stack.hi, pcs,
                                                     kTracebackSlots)
                               : 0;
  char detail[160];
  std::snprintf(detail, sizeof detail,
                "[signal %s: %s code=0x%x addr=0x%" PRIxPTR " pc=0x%" PRIxPTR "]",
                sig == SIGSEGV ? "SIGSEGV" : "SIGBUS",
                sig == SIGSEGV ? "segmentation violation" : "bus error", info->si_code, addr, pc);
  if (addr >= 4096) die_with_fault(addr, detail, pcs, n);
  die_with_panic("runtime error: invalid memory address or nil pointer dereference", detail, pcs,
                 n);
}
#endif

}  // namespace

void install_signal_handlers() {
  if (pipe(quit_pipe) == 0) {
    sched::start_detached_thread(quit_reporter, nullptr);
    std::atexit(wait_at_exit);
    struct sigaction sa {};
    sa.sa_sigaction = on_sigquit;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGQUIT, &sa, nullptr);
  }
#if !defined(GORO_SANITIZE) && !defined(GORO_SANITIZE_THREAD)
  struct sigaction sa {};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
#endif
}

}  // namespace goro::debug
