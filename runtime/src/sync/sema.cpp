// The sync package: Mutex, RWMutex, WaitGroup, Once and Cond on top of one semaphore table.
//
// Design, after Go's sync package and runtime/sema.go:
//
// Layering. The public objects are small and constant-initialised (a Mutex is an atomic state word
// plus a 32-bit semaphore count, 8 bytes, no destructor: a global Mutex needs no static
// initialisation). Their uncontended paths are one or two atomic read-modify-writes on their own
// words (a Mutex lock or unlock: one, inlined). Only when a goroutine must wait do they call into
// this file: semacquire(&sema) parks the goroutine until a matching semrelease(&sema). Cond alone
// uses its own ticket list (notify_list.cpp), because it must wake waiters in the order they
// arrived even though a waiter takes its ticket before it can queue itself.
//
// The table. Waiters are not kept in the objects but in a fixed table of 251 buckets (a prime, so
// address patterns do not crowd one bucket), indexed by the semaphore's address. Each bucket has a
// runtime lock (sched/runtime_lock.hpp), a count of its waiters (`nwait`, read without the lock),
// and a treap of the distinct addresses waited on (ordered by address, heap-ordered by a random
// priority, so O(log n) even if thousands of Mutexes collide in one bucket: Go issue 17953). Each
// treap node is the first waiter for its address and heads a FIFO list of the others. Waiter
// records live on the parked goroutine's own stack, which stays intact while it is parked: blocking
// never allocates.
//
// No lost wake-ups (a Dekker handshake, every access seq_cst): a waiter increments nwait and then
// tries the count once more before it parks; a releaser increments the count and then reads nwait.
// In the single total order of these four operations, either the waiter sees the count or the
// releaser sees the waiter and takes the bucket lock, which the waiter holds from its last try
// until it is off its stack (park's unlock callback releases it on the scheduler stack). A waiter
// can therefore never be readied before it has finished parking.
//
// Mutex modes (mutex.cpp). Normal mode: a woken waiter competes with newly arriving goroutines,
// which usually win (they are running already, and may have spun for ~1 µs on a multicore machine
// while another P is busy); the loser is queued at the front. Throughput is best this way: the lock
// moves between running goroutines without a context switch. Once a waiter has waited more than
// 1 ms it switches the Mutex to starvation mode: unlock hands the lock (the semaphore count)
// straight to the first waiter and gives it the P (semrelease with handoff), newcomers queue at the
// back without trying, and the last waiter, or one that waited less than 1 ms, returns to normal
// mode. RWMutex (rwmutex.cpp) prefers writers: a writer subtracts 2^30 from the reader count, so
// new readers queue behind it, and waits only for the readers that were already inside. WaitGroup
// packs counter and waiter count into one 64-bit word so that "counter hit zero" and "who must be
// woken" are decided by one atomic operation.
//
// Invariants. A waiter record is in at most one list, and only the goroutine that removed it from
// the treap (under the bucket lock) may touch it, and only until it calls ready(): after that the
// waiter may run, return, and its stack frame is gone. A waiter that finds `handed_off` set owns
// the count without retrying. nwait equals the number of records in the bucket whenever the lock is
// free. A releaser touches the count once, then only the bucket: the object holding the count may
// be freed as soon as a goroutine takes the count and returns (a WaitGroup on the stack of a
// function that returns right after wait()).
//
// Lock order: a sema bucket lock (or a notify list's lock) → sched.lock. In fact neither of the
// former is ever held while taking the latter: ready() is called after the bucket lock is dropped,
// because waking a goroutine may wake an M. No two bucket locks are ever held at once, and the
// sync primitives hold none while they run user code.
//
// Rejected: a waiter list inside each object, under its own lock (a 40-byte std::mutex per Mutex,
// and the lock word would share a cache line with the state word); a plain list of addresses per
// bucket instead of the treap (linear in the number of distinct contended addresses in a bucket);
// an out-of-line fast path for Mutex: on the `mutex` benchmark (4 goroutines x 1M lock/increment/
// unlock) at GOMAXPROCS=1 it took 70 ms against 49 ms inlined (Go 1.19: 57 ms), so the header
// inlines one CAS for lock and one fetch_sub for unlock, and the race build, which must call the
// detector anyway, goes out of line. The bucket lock spins ~1 µs before sleeping, as Go's runtime
// lock does; without the spin (glibc's std::mutex behaviour) the benchmark showed no difference
// beyond the noise of a shared 2-vCPU machine; it stays because buckets are held for tens of ns,
// far less than a futex sleep and wake-up.
#include "sync/sema.hpp"

#include <atomic>
#include <cstdint>

#include "debug/fatal.hpp"
#include "sched/runtime_lock.hpp"
#include "sched/sched.hpp"
#include "sync/lock_wait.hpp"

namespace goro::sync {
namespace {

constexpr std::size_t kBuckets = 251;
constexpr std::size_t kCacheLine = 64;

// One goroutine waiting on one address. Lives in semacquire's frame.
struct sema_waiter {
  sched::G* g = nullptr;
  const std::uint32_t* addr = nullptr;
  // Treap links; valid only while this record is the tree node for its address.
  sema_waiter* parent = nullptr;
  sema_waiter* left = nullptr;   // smaller addresses
  sema_waiter* right = nullptr;  // larger addresses
  std::uint32_t priority = 0;    // heap order: a parent's priority is <= its children's
  // The queue of further waiters on the same address: `next` links them in order; `tail` (kept in
  // the tree node only) is the last one, for O(1) appends.
  sema_waiter* next = nullptr;
  sema_waiter* tail = nullptr;
  // Set by a releasing handoff before ready(): the count was taken on this waiter's behalf.
  bool handed_off = false;
};

bool address_less(const std::uint32_t* a, const std::uint32_t* b) {
  return reinterpret_cast<std::uintptr_t>(a) < reinterpret_cast<std::uintptr_t>(b);
}

struct alignas(kCacheLine) sema_bucket {
  std::atomic<std::uint32_t> lock{0};   // sched::runtime_lock word
  std::atomic<std::uint32_t> nwait{0};  // records in the treap; see the handshake above
  sema_waiter* root = nullptr;          // guarded by lock

  // Makes x take its parent's place (one rotation), keeping the address order.
  void rotate_up(sema_waiter* x) {
    sema_waiter* p = x->parent;
    sema_waiter* gp = p->parent;
    if (p->left == x) {
      p->left = x->right;
      if (x->right != nullptr) x->right->parent = p;
      x->right = p;
    } else {
      p->right = x->left;
      if (x->left != nullptr) x->left->parent = p;
      x->left = p;
    }
    p->parent = x;
    x->parent = gp;
    replace_child(gp, p, x);
  }

  // Points whatever pointed at `old` (gp's child link, or the root) at `now`.
  void replace_child(sema_waiter* gp, sema_waiter* old, sema_waiter* now) {
    if (gp == nullptr) {
      root = now;
    } else if (gp->left == old) {
      gp->left = now;
    } else {
      gp->right = now;
    }
  }

  // Puts `now` into the tree where `old` is (same address), taking over its links.
  void substitute(sema_waiter* old, sema_waiter* now) {
    now->priority = old->priority;
    now->parent = old->parent;
    now->left = old->left;
    now->right = old->right;
    if (now->left != nullptr) now->left->parent = now;
    if (now->right != nullptr) now->right->parent = now;
    replace_child(old->parent, old, now);
    old->parent = old->left = old->right = nullptr;
  }

  void enqueue(const std::uint32_t* addr, sema_waiter* w, bool lifo) {
    w->addr = addr;
    w->parent = w->left = w->right = w->next = w->tail = nullptr;
    w->handed_off = false;
    sema_waiter* parent = nullptr;
    sema_waiter** link = &root;
    while (sema_waiter* t = *link) {
      if (t->addr == addr) {
        if (lifo) {  // w becomes the tree node; t heads w's queue
          substitute(t, w);
          w->next = t;
          w->tail = t->tail != nullptr ? t->tail : t;
          t->tail = nullptr;
        } else {
          sema_waiter* last = t->tail != nullptr ? t->tail : t;
          last->next = w;
          t->tail = w;
        }
        return;
      }
      parent = t;
      link = address_less(addr, t->addr) ? &t->left : &t->right;
    }
    // A new address: a leaf with a random priority, rotated up to restore the heap order.
    // The low bit is set so that no priority is 0 (not needed, but cheap to rule out).
    w->priority = static_cast<std::uint32_t>(sched::fast_rand(sched::current_m())) | 1u;
    w->parent = parent;
    *link = w;
    while (w->parent != nullptr && w->parent->priority > w->priority) rotate_up(w);
  }

  // Removes and returns the first waiter on addr, or nullptr.
  sema_waiter* dequeue(const std::uint32_t* addr) {
    sema_waiter* s = root;
    while (s != nullptr && s->addr != addr) s = address_less(addr, s->addr) ? s->left : s->right;
    if (s == nullptr) return nullptr;
    if (sema_waiter* t = s->next) {  // the next waiter on addr takes s's place in the tree
      substitute(s, t);
      t->tail = t->next != nullptr ? s->tail : nullptr;
    } else {
      // Rotate s down (its higher-priority child up) until it is a leaf, then cut it off.
      while (s->left != nullptr || s->right != nullptr) {
        sema_waiter* c = s->left;
        if (c == nullptr || (s->right != nullptr && s->right->priority < c->priority)) c = s->right;
        rotate_up(c);
      }
      replace_child(s->parent, s, nullptr);
      s->parent = nullptr;
    }
    s->next = s->tail = nullptr;
    return s;
  }

  int count(const std::uint32_t* addr) const {
    const sema_waiter* s = root;
    while (s != nullptr && s->addr != addr) s = address_less(addr, s->addr) ? s->left : s->right;
    int n = 0;
    for (; s != nullptr; s = s->next) ++n;
    return n;
  }
};

sema_bucket g_table[kBuckets];

sema_bucket& bucket_for(const std::uint32_t* addr) {
  // >> 3: objects are at least 8-byte aligned; the low bits would only cluster the indices.
  return g_table[(reinterpret_cast<std::uintptr_t>(addr) >> 3) % kBuckets];
}

// Takes one unit of the count if there is one. seq_cst: the load and CAS are the waiter's half of
// the handshake with semrelease (see the design note), and a successful take also acquires what
// the releaser published before its increment.
bool try_take(std::uint32_t* addr) {
  std::atomic_ref<std::uint32_t> count(*addr);
  std::uint32_t v = count.load(std::memory_order_seq_cst);
  while (v != 0) {
    if (count.compare_exchange_weak(v, v - 1, std::memory_order_seq_cst,
                                    std::memory_order_seq_cst)) {
      return true;
    }
  }
  return false;
}

// Takes up to n waiters on addr out of the bucket, in queue order, linked through `next`; the
// caller readies them. Touches only the bucket, never *addr: once the count is up, a goroutine
// that had not parked yet may take it, return, and free the object holding addr.
sema_waiter* dequeue_waiters(sema_bucket& b, const std::uint32_t* addr, std::uint32_t n) {
  // seq_cst: the releaser's half of the handshake, after its increment of the count.
  if (b.nwait.load(std::memory_order_seq_cst) == 0) return nullptr;  // nobody parked here
  sema_waiter* head = nullptr;
  sema_waiter* tail = nullptr;
  sched::lock_word(b.lock);
  // Under the lock nwait is exact (it changes only under the lock): relaxed suffices. It may be 0
  // now if the waiters took the count before parking. The waiters found may also belong to a new
  // object at a recycled address: they wake, find no count, and queue again.
  for (std::uint32_t i = 0; i < n && b.nwait.load(std::memory_order_relaxed) != 0; ++i) {
    sema_waiter* w = b.dequeue(addr);
    if (w == nullptr) break;  // the other waiters in this bucket wait on other addresses
    // seq_cst: keeps nwait's changes in the handshake's single order. A releaser that reads the
    // lower value skips only this record, already being readied; a later waiter sees its count.
    b.nwait.fetch_sub(1, std::memory_order_seq_cst);
    if (tail != nullptr) {
      tail->next = w;
    } else {
      head = w;
    }
    tail = w;
  }
  sched::unlock_word(b.lock);
  return head;
}

// park's unlock callback: runs on the scheduler stack once the goroutine is off its stack. A
// goroutine waiting in a lock's slow path then looks for a wait-for cycle through itself; whether
// it does is read before the bucket is released, while nobody can wake it and change it.
bool release_bucket(sched::G* g, void* bucket) {
  const bool in_lock_wait = g->lock_wanted != nullptr;
  sched::unlock_word(static_cast<sema_bucket*>(bucket)->lock);
  if (in_lock_wait) lock_wait_parked(g);
  return true;
}

}  // namespace

void semacquire(std::uint32_t* addr, bool lifo, sched::wait_reason reason) {
  if (try_take(addr)) return;
  sched::G* g = sched::current_g();
  if (g == nullptr) debug::fatal("goroutine operation outside goro::run");

  sema_bucket& b = bucket_for(addr);
  sema_waiter w;
  w.g = g;
  for (;;) {
    sched::lock_word(b.lock);
    // seq_cst: announces us before the last try (the handshake); a releaser that incremented the
    // count before this increment is seen by try_take, one after it sees nwait > 0.
    b.nwait.fetch_add(1, std::memory_order_seq_cst);
    if (try_take(addr)) {
      // seq_cst: undoes the announcement in the same order; we never queued, so a releaser that
      // still saw us takes the lock and finds no record of ours.
      b.nwait.fetch_sub(1, std::memory_order_seq_cst);
      sched::unlock_word(b.lock);
      return;
    }
    b.enqueue(addr, &w, lifo);
    sched::park(reason, release_bucket, &b);
    // Woken by a semrelease that dequeued us. Without a handoff the count is up for grabs: another
    // goroutine may have taken it first, and then we queue again.
    if (w.handed_off || try_take(addr)) return;
  }
}

void semrelease(std::uint32_t* addr, bool handoff) {
  sema_bucket& b = bucket_for(addr);
  // seq_cst: the releaser's half of the handshake; also releases what the caller wrote before.
  std::atomic_ref<std::uint32_t>(*addr).fetch_add(1, std::memory_order_seq_cst);
  sema_waiter* w = dequeue_waiters(b, addr, 1);
  if (w == nullptr) return;
  // The waiter is still parked, so *addr is still alive: we may take the count on its behalf.
  const bool handed_off = handoff && try_take(addr);
  w->handed_off = handed_off;
  sched::G* g = w->g;
  sched::ready(g);  // from here on w may be gone
  // Direct handoff: ready() put the waiter in our P's runnext; yielding runs it at once, on our
  // time slice, instead of letting us take the lock straight back. Only worth it when starving: in
  // normal mode another goroutine might take the count meanwhile and the switch would be wasted.
  if (handed_off && sched::current_g() != nullptr) sched::yield_current();
}

void semrelease_n(std::uint32_t* addr, std::uint32_t n) {
  if (n == 0) return;
  sema_bucket& b = bucket_for(addr);
  // seq_cst: as in semrelease.
  std::atomic_ref<std::uint32_t>(*addr).fetch_add(n, std::memory_order_seq_cst);
  sema_waiter* w = dequeue_waiters(b, addr, n);
  while (w != nullptr) {
    sema_waiter* next = w->next;  // read before ready(): then w may be gone
    sched::ready(w->g);
    w = next;
  }
}

int sema_waiters(const std::uint32_t* addr) {
  sema_bucket& b = bucket_for(addr);
  sched::lock_word(b.lock);
  const int n = b.count(addr);
  sched::unlock_word(b.lock);
  return n;
}

}  // namespace goro::sync
