// The first frame of every goroutine. Built without unwind tables (see runtime/CMakeLists.txt): an
// exception escaping the goroutine's function finds no handler and no frame to unwind into, so
// std::terminate runs at the throw site and the panic report shows where it was thrown.
#include "sched/trampoline.hpp"

#include "sched/context.hpp"
#include "sched/g.hpp"
#include "sched/m.hpp"

namespace goro::sched {

void goroutine_entry(transfer_t from_scheduler) {
  context_entered();
  M* m = static_cast<M*>(from_scheduler.data);
  m->g0_context = from_scheduler.fctx;
  G* g = m->curg.load(std::memory_order_relaxed);  // relaxed: set by this M before the jump
  g->fn(g->arg);
  goexit();
}

}  // namespace goro::sched
