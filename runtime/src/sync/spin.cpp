// Active spinning for the sync primitives; see spin.hpp. The numbers are Go's: 4 rounds of 30
// pauses (about 1 µs in all on current x86) is shorter than a park/ready round trip through another
// M, and long enough to outlast a typical critical section of a few dozen instructions.
#include "sync/spin.hpp"

#include <atomic>

#include "sched/sched.hpp"

namespace goro::sync {
namespace {

constexpr int kActiveSpinRounds = 4;
constexpr int kPausesPerRound = 30;

}  // namespace

bool can_spin(int iter) {
  if (iter >= kActiveSpinRounds || online_cpus() <= 1) return false;
  auto& s = sched::sched();
  // relaxed: a heuristic read; a stale count only makes us spin once too often or park too early.
  const int procs = s.gomaxprocs.load(std::memory_order_relaxed);
  const int idle = s.npidle.load(std::memory_order_relaxed);
  const int spinning = s.nmspinning.load(std::memory_order_relaxed);
  if (procs <= idle + spinning + 1) return false;  // nobody else is running goroutines
  sched::M* m = sched::current_m();
  if (m == nullptr || m->p == nullptr) return false;
  // Goroutines waiting on our own P would be delayed by the spin: park instead and let them run.
  // relaxed: a heuristic too; a goroutine put there a moment later is not made to wait long.
  return m->p->runq.empty() && m->p->runq.runnext.load(std::memory_order_relaxed) == nullptr;
}

void do_spin() {
  for (int i = 0; i < kPausesPerRound; ++i) cpu_relax();
}

}  // namespace goro::sync
