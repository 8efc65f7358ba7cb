// Fatal errors and unrecovered panics: Go's messages on stderr, then _exit(2). See fatal.hpp. In a
// seeded schedule the report ends with the GORODEBUG setting that replays the run.
//
// Only the first thread to fail reports; any other that fails meanwhile waits for the exit, so two
// reports never interleave. Reports are built off the goroutine's stack (on_system_stack) because
// symbolization needs far more than a goroutine's 64 KiB.
#include "debug/fatal.hpp"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "debug/dump.hpp"
#include "debug/traceback.hpp"
#include "sched/sched.hpp"

namespace goro::debug {
namespace {

std::atomic<bool> reporting{false};

// Set by a signal handler (signal_report_coming); a lock-free store, so async-signal-safe.
std::atomic<bool> signal_report_pending{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// Warnings being written (begin_warning/end_warning): counted, not ordered, so relaxed.
std::atomic<int> warnings_in_flight{0};

// The thread writing the report, so that a fatal error while writing it ends the process instead
// of waiting for itself.
thread_local bool t_reporting = false;

// Returns only for the first caller; later ones sleep until the first one exits the process.
void claim_report() {
  if (t_reporting) {
    static constexpr char kNested[] = "fatal error: fatal error while writing a report\n";
    ssize_t ignored = ::write(2, kNested, sizeof kNested - 1);
    (void)ignored;
    _exit(2);
  }
  // acq_rel: more than needed; only the exchange's atomicity matters (one reporter), and the losers
  // never read what the winner writes.
  if (reporting.exchange(true, std::memory_order_acq_rel)) {
    for (;;) pause();
  }
  t_reporting = true;
}

// Built on the failing goroutine's stack, which may have overflowed: only plain values there. A
// std::string's growth may run the program's own instrumented copy of a member (a translation unit
// compiled as C++20 instantiates them), whose stack check would find the overflow again and end in
// "fatal error while writing a report". Strings are built on the system stack, in write_report.
struct report {
  std::string_view label;                    // "fatal error: ", "panic: " or empty, before head
  std::string_view head;                     // the first line
  std::string (*describe_head)() = nullptr;  // instead of head: called on the system stack
  std::string_view detail;                   // optional second line
  sched::G* g;                               // the failing goroutine, if any
  const std::uintptr_t* pcs;
  std::size_t n;
  bool all;  // dump every other goroutine too
};

void write_report(void* arg) {
  auto* r = static_cast<report*>(arg);
  flush_stdio_best_effort();
  std::string out(r->label);
  out += r->describe_head != nullptr ? r->describe_head() : std::string(r->head);
  out += '\n';
  if (!r->detail.empty()) {
    out += r->detail;
    out += '\n';
  }
  if (r->g != nullptr) {
    out += '\n';
    append_goroutine(out, r->g, r->pcs, r->n);
  } else if (r->n > 0) {
    out += '\n';
    append_traceback(out, r->pcs, r->n);
  }
  write_stderr(out);
  if (r->all) write_other_goroutines(r->g);
  write_stderr(sched::seeded_schedule_line());
  _exit(2);
}

}  // namespace

void write_stderr(std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(2, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void flush_stdio_best_effort() {
  for (FILE* f : {stdout, stderr}) {
    if (ftrylockfile(f) == 0) {
      fflush_unlocked(f);
      funlockfile(f);
    }
  }
}

void fatal_plain(std::string_view msg) {
  claim_report();
  flush_stdio_best_effort();
  write_stderr("fatal error: ");
  write_stderr(msg);
  write_stderr("\n");
  _exit(2);
}

void fatal(std::string_view msg) {
  std::uintptr_t pcs[kTracebackSlots];
  std::size_t n = current_stack(pcs, kTracebackSlots, 1);
  claim_report();
  report r{"fatal error: ", msg, nullptr, {}, sched::current_g(), pcs, n, true};
  sched::on_system_stack(write_report, &r);
  _exit(2);
}

void fatal_deadlock() {
  claim_report();
  report r{"fatal error: ",
           "all goroutines are asleep - deadlock!",
           nullptr,
           {},
           nullptr,
           nullptr,
           0,
           true};
  write_report(&r);  // called on a scheduler stack already
  _exit(2);
}

void begin_report() { claim_report(); }

void fatal_report(std::string_view text, sched::G* const* shown, std::size_t n) {
  flush_stdio_best_effort();
  write_stderr(text);
  write_goroutines_except(shown, n);
  write_stderr(sched::seeded_schedule_line());
  _exit(2);
}

void begin_warning() { warnings_in_flight.fetch_add(1, std::memory_order_relaxed); }

void end_warning() { warnings_in_flight.fetch_sub(1, std::memory_order_relaxed); }

void wait_for_report() {
  // relaxed (both loads): only the values matter; a report that starts just after them is cut
  // short by the exit, as one that starts after the exit would be.
  while (warnings_in_flight.load(std::memory_order_relaxed) > 0) {
    timespec ts{0, 1'000'000};
    nanosleep(&ts, nullptr);
  }
  if ((reporting.load(std::memory_order_relaxed) && !t_reporting) ||
      signal_report_pending.load(std::memory_order_relaxed)) {
    for (;;) pause();
  }
}

// relaxed: only the value matters; the reporter's exit is what the waiter waits for.
void signal_report_coming() { signal_report_pending.store(true, std::memory_order_relaxed); }

void fatal_stack_overflow(sched::G* g) {
  claim_report();
  char head[96];
  std::snprintf(head, sizeof head, "fatal error: stack overflow in goroutine %" PRId64, g->goid);
  report r{{}, head, nullptr, {}, nullptr, nullptr, 0, true};
  sched::on_system_stack(write_report, &r);
  _exit(2);
}

void die_with_panic(std::string_view msg, std::string_view detail, const std::uintptr_t* pcs,
                    std::size_t n) {
  claim_report();
  report r{"panic: ", msg, nullptr, detail, sched::current_g(), pcs, n, false};
  sched::on_system_stack(write_report, &r);
  _exit(2);
}

void die_with_panic(std::string (*describe)(), const std::uintptr_t* pcs, std::size_t n) {
  claim_report();
  report r{"panic: ", {}, describe, {}, sched::current_g(), pcs, n, false};
  sched::on_system_stack(write_report, &r);
  _exit(2);
}

void die_with_fault(std::uintptr_t addr, std::string_view detail, const std::uintptr_t* pcs,
                    std::size_t n) {
  claim_report();
  char head[96];
  std::snprintf(head, sizeof head, "unexpected fault address %#" PRIxPTR "\nfatal error: fault",
                addr);
  report r{{}, head, nullptr, detail, sched::current_g(), pcs, n, true};
  sched::on_system_stack(write_report, &r);
  _exit(2);
}

}  // namespace goro::debug
