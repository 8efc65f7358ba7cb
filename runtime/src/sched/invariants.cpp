// The fatal errors behind the scheduler's invariant checks; see invariants.hpp.
#include "sched/invariants.hpp"

#include <string>

#include "debug/fatal.hpp"

namespace goro::sched {

const char* g_status_name(g_status s) {
  switch (s) {
    case g_status::idle:
      return "idle";
    case g_status::runnable:
      return "runnable";
    case g_status::running:
      return "running";
    case g_status::waiting:
      return "waiting";
    case g_status::syscall:
      return "syscall";
    case g_status::dead:
      return "dead";
  }
  return "unknown";
}

void bad_g_status(const char* op, g_status seen) {
  debug::fatal(std::string(op) + ": bad g status " + g_status_name(seen));
}

void broken_invariant(const char* what) { debug::fatal(what); }

}  // namespace goro::sched
