// The trace hooks the scheduler calls (trace.hpp has the design): an event about a goroutine,
// stamped with the timestamp counter and the recording thread's P, at one branch when tracing is
// off.
//
// One counter read per goroutine switch, not two. Reading the counter costs about 11 ns on the
// machines measured (AMD EPYC virtual machines), an eighth of a channel hand-off between two
// goroutines; a switch records the turn's end (park, yield, end) on the scheduler stack and, a
// moment later, the next goroutine's start. When the scheduler found that goroutine in its own P's
// queue straight after the turn ended, the start takes the end's timestamp: between the two there
// is only the P's timer check and a queue read, well under a microsecond, the resolution a trace
// viewer shows. Anything longer (looking at the global queue, the network, other Ps, sleeping)
// calls trace::left_local_queue() first, and the start reads the counter.
// Ordering: the start must not come before the goroutine's own latest event, which another thread
// may have stamped later than this thread's turn end (it readied the goroutine meanwhile): each G
// keeps the timestamp of its latest event, and a start earlier than that reads the counter.
#pragma once

#include <x86intrin.h>

#include <cstdint>

#include "sched/g.hpp"
#include "sched/m.hpp"
#include "sched/p.hpp"
#include "trace/trace.hpp"

namespace goro::trace {

inline int p_of(const sched::M* m) { return m != nullptr && m->p != nullptr ? m->p->id : -1; }

// `now` becomes the time of this thread's and g's latest event.
inline void note_stamp(std::uint64_t now, sched::G* g) {
  t_recorder.stamp = now;
  g->trace_stamp = now;
}

inline void stamp_and_append(std::uint64_t now, const sched::M* m, sched::G* g, ev kind,
                             std::uint8_t arg) {
  note_stamp(now, g);
  append(now, pack(g->goid, kind, p_of(m), arg));
}

// An event about g recorded on this thread (m: its M, or nullptr on a thread without one).
inline void record(const sched::M* m, sched::G* g, ev kind) {
  if (__builtin_expect(g_on, false)) stamp_and_append(__rdtsc(), m, g, kind, 0);
}

// g was created by the go statement at `pc` in goroutine `parent` (0: none).
inline void created(const sched::M* m, sched::G* g, std::int64_t parent, std::uintptr_t pc) {
  if (__builtin_expect(g_on, false)) {
    const std::uint64_t now = __rdtsc();
    note_stamp(now, g);
    const slot both[2] = {{now, pack(g->goid, ev::create, p_of(m), 0)},
                          {pc, static_cast<std::uint64_t>(parent)}};
    append_slow(both, 2);
  }
}

// g's turn on this M ended (park, yield, preemption, end), on the scheduler stack: the next start
// may share this event's timestamp.
inline void turn_ended(const sched::M* m, sched::G* g, ev kind, std::uint8_t arg = 0) {
  if (__builtin_expect(g_on, false)) {
    stamp_and_append(__rdtsc(), m, g, kind, arg);
    t_recorder.stamp_reusable = true;
  }
}

// The scheduler looks further than its own P's queue: the next start reads the counter.
inline void left_local_queue() {
  if (__builtin_expect(g_on, false)) t_recorder.stamp_reusable = false;
}

// g starts running on m.
inline void started(const sched::M* m, sched::G* g) {
  if (__builtin_expect(g_on, false)) {
    recorder& r = t_recorder;
    const bool reuse = r.stamp_reusable && r.stamp >= g->trace_stamp;
    r.stamp_reusable = false;
    stamp_and_append(reuse ? r.stamp : __rdtsc(), m, g, ev::start, 0);
  }
}

}  // namespace goro::trace
