// The first frame of every goroutine. Built without unwind tables (see runtime/CMakeLists.txt): an
// exception escaping the goroutine's function finds no handler and no frame to unwind into, so
// std::terminate runs at the throw site and the panic report shows where it was thrown.
#include "sched/trampoline.hpp"

#include "sched/context.hpp"
#include "sched/g.hpp"
#include "sched/m.hpp"
#include "sched/proc.hpp"

namespace goro::sched {

void goroutine_entry(transfer_t from) {
  context_entered();
  G* g = arrived(from);
  g->fn(g->arg);
  goexit();
}

}  // namespace goro::sched
