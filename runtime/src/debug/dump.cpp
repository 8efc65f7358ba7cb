// Goroutine dumps; see dump.hpp.
#include "debug/dump.hpp"

#include <cinttypes>
#include <cstdio>

#include "debug/fatal.hpp"
#include "debug/traceback.hpp"
#include "sched/sched.hpp"

namespace goro::debug {
namespace {

// acquire (here and in append_goroutine): pairs with park's release of `waiting`, so the reason
// and park_pc/park_fp recorded before it are visible. A dump is still a best-effort snapshot.
const char* state_text(sched::G* g) {
  switch (g->status.load(std::memory_order_acquire)) {
    case sched::g_status::idle:
    case sched::g_status::runnable:
      return "runnable";
    case sched::g_status::running:
      return "running";
    case sched::g_status::waiting:
      return sched::wait_reason_text(g->reason);
    case sched::g_status::syscall:
      return "syscall";
    case sched::g_status::dead:
      return "dead";
  }
  return "unknown";
}

}  // namespace

void append_goroutine(std::string& out, sched::G* g, const std::uintptr_t* pcs, std::size_t n) {
  char header[96];
  const bool here = pcs != nullptr;
  std::snprintf(header, sizeof header, "goroutine %" PRId64 " [%s]:\n", g->goid,
                here ? "running" : state_text(g));
  out += header;
  std::uintptr_t walked[kTracebackSlots];
  if (!here) {
    auto status = g->status.load(std::memory_order_acquire);
    if (status == sched::g_status::running) {
      out += "\tgoroutine running on other thread; stack unavailable\n";
    } else if (g->park_fp != 0 && !g->stack.empty()) {
      n = walk_frame_pointers(g->park_pc, g->park_fp, g->stack.lo, g->stack.hi, walked,
                              kTracebackSlots);
      pcs = walked;
    }
  }
  if (n > 0) append_traceback(out, pcs, n);
  if (!g->is_main && g->create_pc != 0) append_created_by(out, g->create_pc, g->parent_goid);
}

void write_other_goroutines(sched::G* skip) { write_goroutines_except(&skip, 1); }

void write_goroutines_except(sched::G* const* skip, std::size_t n) {
  std::string out;
  sched::for_each_g([&](sched::G* g) {
    for (std::size_t i = 0; i < n; ++i) {
      if (g == skip[i]) return;
    }
    out += '\n';
    append_goroutine(out, g, nullptr, 0);
    if (out.size() > 64 * 1024) {
      write_stderr(out);
      out.clear();
    }
  });
  write_stderr(out);
}

}  // namespace goro::debug
