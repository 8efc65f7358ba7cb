// Lock-order tracking per context (design in lock_order.hpp): the held-lock list, the edges it
// makes, the caches that keep the common case off the graph's lock.
#include "lock_order.hpp"

#include "base.hpp"
#include "context.hpp"
#include "history.hpp"
#include "lock_graph.hpp"
#include "report.hpp"
#include "stack_depot.hpp"
#include "sync_table.hpp"

namespace goro::race {

namespace {

// Innermost frames kept for an acquisition stack (half what a race report shows: the lock's
// callers, not the whole program).
constexpr std::uint32_t kLockFrames = 32;
constexpr std::uint32_t kEdgeCache = 16;  // edges this context knows are in the graph
constexpr std::uint32_t kStackCache = 4;  // acquisition sites whose depot id is known

struct held_lock {
  sync_object* obj;
  lock_id id;
  std::uint32_t stack;         // depot id of where it was taken
  std::uint32_t foreign_seen;  // obj->foreign_unlocks when it was taken
  std::uint32_t depth;         // times taken (a recursive mutex, a second read lock)
  bool write;
};

}  // namespace

struct lock_state {
  int n = 0;
  held_lock held[kMaxHeldLocks];
  // Edges known to be in the graph, direct-mapped. Node ids never repeat (generations move on), so
  // an entry can only become useless, never wrong.
  lock_id cache_from[kEdgeCache] = {};
  lock_id cache_to[kEdgeCache] = {};
  std::uint64_t stack_hash[kStackCache] = {};
  std::uint32_t stack_id[kStackCache] = {};
  // The last acquisition stack, compared word for word before anything is hashed: a loop that
  // takes a lock takes it at the same stack every time (the mutex benchmark: 34 ns per lock and
  // unlock with the hash on every lock, measured before this was added).
  std::uintptr_t last_pcs[kLockFrames] = {};
  std::uint32_t last_n = 0;
  std::uint32_t last_id = 0;
};

namespace {

// A context has a lock_state only while it holds locks: the last release hands it back to the
// thread's spare (or frees it), so a million goroutines that hold nothing cost nothing, and a loop
// that locks and unlocks moves the same state between the thread and the context. The caches go
// with it: what they hold is true for every context (edges in the graph, depot ids).
GORO_TLS lock_state* t_spare;

lock_state* state_of(context* c) {
  if (GORO_LIKELY(c->locks != nullptr)) return c->locks;
  if (t_spare != nullptr) {
    c->locks = t_spare;
    t_spare = nullptr;
  } else {
    c->locks = new (internal_calloc(sizeof(lock_state))) lock_state;
  }
  return c->locks;
}

void give_back(context* c) {
  lock_state* st = c->locks;
  c->locks = nullptr;
  st->n = 0;
  if (t_spare == nullptr) {
    t_spare = st;
  } else {
    internal_free(st, sizeof(lock_state));
  }
}

// The current stack: pc, then the shadow call stack's return addresses, innermost first.
std::uint32_t acquisition_stack(context* c, lock_state* st, std::uintptr_t pc) {
  std::uintptr_t pcs[kLockFrames];
  const std::size_t n = shadow_stack_pcs(c, pc, pcs, kLockFrames);
  if (n == 0) return 0;
  // Plain loops, not memcmp/memcpy: the detector interposes those and would check these
  // accesses as the program's.
  if (n == st->last_n) {
    std::size_t i = 0;
    while (i < n && pcs[i] == st->last_pcs[i]) ++i;
    if (i == n) return st->last_id;
  }
  for (std::size_t i = 0; i < n; ++i) st->last_pcs[i] = pcs[i];
  st->last_n = static_cast<std::uint32_t>(n);
  const std::uint64_t hash = stack_hash(pcs, n);
  const std::uint32_t k = static_cast<std::uint32_t>(hash >> 7) & (kStackCache - 1);
  if (st->stack_hash[k] != hash) {
    st->stack_hash[k] = hash;
    st->stack_id[k] = depot_put(pcs, n, hash);
  }
  st->last_id = st->stack_id[k];
  return st->last_id;
}

// The live graph node of the lock whose sync object is s, created on first use (and again after
// the graph was forgotten).
lock_id node_of(sync_object* s) {
  lock_id id = s->lock_node.load(std::memory_order_relaxed);  // relaxed: see sync_object
  if (GORO_LIKELY(lock_node_live(id))) return id;
  const lock_id fresh = lock_node_new(s->addr);
  // relaxed: see sync_object. Losing the race: another context made the node; ours goes.
  if (s->lock_node.compare_exchange_strong(id, fresh, std::memory_order_relaxed)) return fresh;
  lock_node_drop(fresh);
  return id;
}

// Whether the entry still stands for a lock its context holds.
bool valid(const held_lock& h) {
  // relaxed: see sync_object.
  return h.obj->lock_node.load(std::memory_order_relaxed) == h.id && lock_node_live(h.id) &&
         h.obj->foreign_unlocks.load(std::memory_order_relaxed) == h.foreign_seen;
}

void remove_at(lock_state* st, int i) {
  for (int j = i + 1; j < st->n; ++j) st->held[j - 1] = st->held[j];
  --st->n;
}

std::uint32_t cache_slot(lock_id from, lock_id to) {
  const std::uint64_t h = (from * 0x9e3779b97f4a7c15ull) ^ (to * 0xc2b2ae3d27d4eb4full);
  return static_cast<std::uint32_t>(h >> 40) & (kEdgeCache - 1);
}

// Records held → to, taken at `stack`; reports the cycle it closes, if any.
void add_edge(context* c, lock_state* st, const held_lock& held, lock_id to, bool write,
              std::uint32_t stack) {
  const std::uint32_t k = cache_slot(held.id, to);
  if (st->cache_from[k] == held.id && st->cache_to[k] == to) return;
  lock_edge_info info;
  for (int i = 0; i < st->n && info.n_gates < kMaxEdgeGates; ++i) {
    const held_lock& g = st->held[i];
    if (&g != &held && g.write && valid(g)) info.gates[info.n_gates++] = g.id;
  }
  info.stack = stack;
  info.held_stack = held.stack;
  info.to_write = write;
  info.from_write = held.write;
  if (c->rec != nullptr) {
    info.rec_id = c->rec->id;
    info.goid = c->rec->goid;
    info.is_thread = c->rec->is_thread;
    info.is_main = c->rec->is_main;
    info.create_stack = c->rec->create_stack;
  }
  lock_cycle cycle;
  const bool closed = lock_edge_add(held.id, to, info, cycle);
  st->cache_from[k] = held.id;
  st->cache_to[k] = to;
  if (closed) report_lock_order(c, cycle);
}

}  // namespace

void lock_order_acquired(context* c, const void* lock, bool write, bool try_lock,
                         std::uintptr_t pc) {
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(lock));
  const lock_id id = node_of(s);
  lock_state* st = state_of(c);
  // Taken again while held: counted, no edge. A stale entry of the same lock goes first.
  for (int i = st->n - 1; i >= 0; --i) {
    held_lock& h = st->held[i];
    if (h.obj != s) continue;
    if (h.id == id && valid(h)) {
      ++h.depth;
      return;
    }
    remove_at(st, i);
  }
  const std::uint32_t stack = acquisition_stack(c, st, pc);
  if (!try_lock) {
    for (int i = 0; i < st->n;) {
      if (!valid(st->held[i])) {
        remove_at(st, i);
        continue;
      }
      add_edge(c, st, st->held[i], id, write, stack);
      ++i;
    }
  }
  if (st->n == kMaxHeldLocks) return;
  // relaxed: see sync_object.
  st->held[st->n++] =
      held_lock{s, id, stack, s->foreign_unlocks.load(std::memory_order_relaxed), 1, write};
}

void lock_order_released(context* c, const void* lock) {
  sync_object* s = sync_find(reinterpret_cast<std::uintptr_t>(lock));
  if (s == nullptr) return;
  lock_state* st = c->locks;
  if (st != nullptr) {
    for (int i = st->n - 1; i >= 0; --i) {
      held_lock& h = st->held[i];
      if (h.obj != s) continue;
      const bool mine = valid(h);
      if (mine && --h.depth > 0) return;
      remove_at(st, i);
      if (st->n == 0) give_back(c);
      if (mine) return;
      break;
    }
  }
  // Not taken by c (or c's entry was stale): whoever took it holds an entry that no longer stands
  // for a held lock. relaxed: see sync_object.
  s->foreign_unlocks.fetch_add(1, std::memory_order_relaxed);
}

void lock_order_destroyed(const void* lock) {
  sync_object* s = sync_find(reinterpret_cast<std::uintptr_t>(lock));
  if (s != nullptr) lock_order_object_freed(s);
}

void lock_order_object_freed(sync_object* s) {
  // relaxed: see sync_object; the object is being freed, nobody else should be using it.
  const lock_id id = s->lock_node.exchange(0, std::memory_order_relaxed);
  if (id != 0) lock_node_drop(id);
  s->foreign_unlocks.store(0, std::memory_order_relaxed);
}

void lock_order_context_end(context* c) {
  if (c->locks != nullptr) give_back(c);
  // A plain thread is exiting (its context ends on its own thread): its spare would be lost.
  if (c->kind == context_kind::thread && t_spare != nullptr) {
    internal_free(t_spare, sizeof(lock_state));
    t_spare = nullptr;
  }
}

int lock_order_held_count(const context* c) { return c->locks != nullptr ? c->locks->n : 0; }

}  // namespace goro::race
