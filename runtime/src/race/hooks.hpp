// Scheduler → race detector hooks (ARCHITECTURE.md, "Where the detector meets the runtime").
// In the plain runtime (GORO_RACE=0) each compiles to nothing; the race runtime links the
// detector's implementations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace goro::sched {
struct G;
}

namespace goro::race {

// One goroutine of a partial deadlock (sync/lock_wait_report.cpp), for the JSON line: parked in
// state `state`, waiting for the lock at `wanted` (`lock`: "sync.Mutex" or "sync.RWMutex"; `mode`:
// "lock", "write" or "read") until goroutine `waits_for` lets it go on; `wants` and `holds` are
// the two lines the text shows under its header.
struct deadlock_member {
  sched::G* g;
  const char* state;
  const void* wanted;
  const char* lock;
  const char* mode;
  std::int64_t waits_for;
  std::string wants;
  std::string holds;
};

// Passed to the happens-before hooks for a sync address that every hook reaches under one lock of
// the caller's (a channel's buffer slots, under the channel's lock): the detector then skips the
// sync object's own lock, a locked instruction per operation.
struct under_caller_lock_t {
  explicit under_caller_lock_t() = default;
};
inline constexpr under_caller_lock_t under_caller_lock{};

#if GORO_RACE
void go_start(sched::G* parent, sched::G* child, std::uintptr_t create_pc);
// The calling goroutine's stack, kept for a goroutine the runtime starts for it later (an
// after_func timer's callback): an id for created_at_next, 0 if there is none to keep.
std::uint32_t creation_stack_here();
// The next goroutine this thread starts was created at `stack` (creation_stack_here's id), not at
// the runtime's go statement that starts it; 0 keeps the go statement's stack.
void created_at_next(std::uint32_t stack);
// g ended: its history is closed, and the part of its stack it used and its G's inline closure,
// both about to be reused, are forgotten.
void go_end(sched::G* g);
// Switching goroutines in and out: race/switch_hooks.hpp (inline).
// A P's run queue hands out next1 after the goroutine it is popping, then next2: their detector
// state is fetched into the cache ahead of their switch in (run_queue::pop_front). Hints: either
// may be stale, stolen or running by now.
void warm_queued(const sched::G* next1, const sched::G* next2);
// An M's system stack [lo, hi) runs one goroutine's code after another's (blocking(), fatal
// reports), with no edge between them. Entering sets the goroutine's lowest-frame note aside and
// returns it; leaving forgets what its code left in the stack's shadow (the part it used) and
// restores the note.
std::uintptr_t system_stack_enter();
void system_stack_exit(std::uintptr_t lo, std::uintptr_t hi, std::uintptr_t saved);
// [addr, addr+size), in the current goroutine's frame, is open to a peer that may move a value into
// or out of it if the goroutine parks (a channel operation's value or destination, which the
// instrumentation leaves untracked as private to the goroutine). To the detector a variable's life
// begins there: the optimiser may have given the bytes the stack slot of a dead local, and what
// that local's accesses and death left in the shadow is not the peer's business.
void stack_slot_shared(const void* addr, std::size_t size);
// The program called into the runtime at pc (a channel operation), and the runtime may run the
// program's code on its behalf (an element type's move constructor or destructor): from enter to
// exit, that code's stacks show pc's frame as their caller, as an instrumented function's entry
// would have shown it (the runtime's own functions push no frame). Nested as calls are.
void call_site_enter(std::uintptr_t pc);
void call_site_exit();
// Happens-before on a sync address, as Go's race.go: the current goroutine acquires the clock
// stored at addr / releases (stores) its clock there / merges its clock into it.
void acquire(const void* addr);
void release(const void* addr);
void release_merge(const void* addr);
// acquire(addr) then release(addr), with nothing of the goroutine's in between (a buffer slot
// whose value the runtime copies).
void acquire_release(const void* addr);
// The same on behalf of another (parked) goroutine g (Go's raceacquireg / racereleaseg).
void acquire_g(sched::G* g, const void* addr);
void release_g(sched::G* g, const void* addr);
// The same, for an address only ever reached under the caller's lock (under_caller_lock_t).
void acquire(const void* addr, under_caller_lock_t);
void release(const void* addr, under_caller_lock_t);
void acquire_release(const void* addr, under_caller_lock_t);
void acquire_g(sched::G* g, const void* addr, under_caller_lock_t);
void release_g(sched::G* g, const void* addr, under_caller_lock_t);
// An unbuffered hand-off between the running goroutine and the parked goroutine peer, done by the
// running one: at handoff_begin each acquires the other's past (so the value's move, which comes
// next, is ordered after the peer's past and before its future); handoff_end closes the running
// goroutine's part, so its later events are not covered. Go's racesync, without a sync object in
// between.
void handoff_begin(sched::G* peer);
void handoff_end();
// Plain reads/writes of runtime-owned memory that user code may race on (e.g. a channel's close is
// a write, send/len/cap are reads), attributed to the current goroutine at the caller's pc.
void read_range(const void* addr, std::size_t size, std::uintptr_t pc);
void write_range(const void* addr, std::size_t size, std::uintptr_t pc);
// The libc calls the calling thread makes from here until the matching end (goro::net's read() and
// send() of the user's buffer) are checked by the detector's interposers as the program's calls at
// pc, its call site; libc_call_site_begin returns the site it replaces.
std::uintptr_t libc_call_site_begin(std::uintptr_t pc);
void libc_call_site_end(std::uintptr_t saved);
// Lock order (the detector's lock-order inversion check): the current goroutine took the lock at
// `lock` (write: the write lock; try_lock: by a call that could not block) at pc, its caller's
// return address; it is about to release it.
void lock_acquired(const void* lock, bool write, bool try_lock, std::uintptr_t pc);
void lock_released(const void* lock);
// A partial deadlock was reported (`text`, as printed; fatal: the program exits next): written
// to GORACE json_path as a "partial_deadlock" line. The members stay parked meanwhile.
void partial_deadlock(const deadlock_member* members, int n, bool fatal, const std::string& text);
// The program ends with exit_code: prints "Found N data race(s)" if there were races (and "Found
// M lock-order inversion(s)" if there were any) and returns the status to exit with (GORACE
// exitcode, 66, if either was found; else exit_code).
int fini(int exit_code);
#else
inline void go_start(sched::G*, sched::G*, std::uintptr_t) {}
inline std::uint32_t creation_stack_here() { return 0; }
inline void created_at_next(std::uint32_t) {}
inline void go_end(sched::G*) {}
inline void warm_queued(const sched::G*, const sched::G*) {}
inline std::uintptr_t system_stack_enter() { return 0; }
inline void system_stack_exit(std::uintptr_t, std::uintptr_t, std::uintptr_t) {}
inline void stack_slot_shared(const void*, std::size_t) {}
inline void call_site_enter(std::uintptr_t) {}
inline void call_site_exit() {}
inline void acquire(const void*) {}
inline void release(const void*) {}
inline void release_merge(const void*) {}
inline void acquire_release(const void*) {}
inline void acquire_g(sched::G*, const void*) {}
inline void release_g(sched::G*, const void*) {}
inline void acquire(const void*, under_caller_lock_t) {}
inline void release(const void*, under_caller_lock_t) {}
inline void acquire_release(const void*, under_caller_lock_t) {}
inline void acquire_g(sched::G*, const void*, under_caller_lock_t) {}
inline void release_g(sched::G*, const void*, under_caller_lock_t) {}
inline void handoff_begin(sched::G*) {}
inline void handoff_end() {}
inline void read_range(const void*, std::size_t, std::uintptr_t) {}
inline void write_range(const void*, std::size_t, std::uintptr_t) {}
inline std::uintptr_t libc_call_site_begin(std::uintptr_t) { return 0; }
inline void libc_call_site_end(std::uintptr_t) {}
inline void lock_acquired(const void*, bool, bool, std::uintptr_t) {}
inline void lock_released(const void*) {}
inline void partial_deadlock(const deadlock_member*, int, bool, const std::string&) {}
inline int fini(int exit_code) { return exit_code; }
#endif

// RAII for libc_call_site_begin/end.
class libc_call_site {
 public:
  explicit libc_call_site(std::uintptr_t pc) : saved_(libc_call_site_begin(pc)) {}
  ~libc_call_site() { libc_call_site_end(saved_); }
  libc_call_site(const libc_call_site&) = delete;
  libc_call_site& operator=(const libc_call_site&) = delete;

 private:
  std::uintptr_t saved_;
};

// call_site_enter(pc) for a scope, if `shown`: a runtime function that calls back into the
// program's code (Once's function, blocking's call, a channel element's move or destructor) shows
// its caller's frame in that code's race reports.
class call_site_scope {
 public:
  explicit call_site_scope(std::uintptr_t pc, bool shown = true) : shown_(shown) {
    if (shown_) call_site_enter(pc);
  }
  ~call_site_scope() {
    if (shown_) call_site_exit();
  }
  call_site_scope(const call_site_scope&) = delete;
  call_site_scope& operator=(const call_site_scope&) = delete;

 private:
  bool shown_;
};

}  // namespace goro::race
