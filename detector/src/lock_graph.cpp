// The lock-order graph (design in lock_graph.hpp): a node table indexed by slot, an edge pool with
// a free list, each node's out-edges linked through the pool, and a hash table of (from, to) pairs
// chained through the pool too, so "is this edge known" is one bucket walk.
#include "lock_graph.hpp"

#include <sys/mman.h>

#include <atomic>

#include "base.hpp"

namespace goro::race {
namespace {

constexpr std::uint32_t kDefaultNodes = 1u << 16;  // 40 B each: 2.5 MiB of address space
constexpr std::uint32_t kDefaultEdges = 1u << 18;  // 80 B each: 20 MiB, committed as used

// The tables are mapped zeroed and never constructed (so only the pages in use are committed):
// every field's initial value is zero.
struct node {
  // Moves on when the node is dropped or the graph forgotten; read without the lock by
  // lock_node_live (relaxed: see there).
  std::atomic<std::uint32_t> gen;
  bool in_use;
  std::uintptr_t addr;
  std::uint32_t out;  // first out-edge (pool index; 0: none)
  // Breadth-first search state, valid when visit == g_stamp.
  std::uint32_t visit;
  std::uint32_t via;  // the edge the search reached this node by
  std::uint32_t depth;
};

struct edge {
  lock_id from = 0;
  lock_id to = 0;
  std::uint32_t next_out = 0;   // the source's next out-edge; the free list's link when free
  std::uint32_t next_hash = 0;  // the bucket's next edge
  std::uint64_t serial = 0;     // creation order: a reported cycle starts with its oldest edge
  lock_edge_info info;
};

futex_lock g_mu;  // guards everything below
node* g_nodes = nullptr;
edge* g_edges = nullptr;             // index 0 unused
std::uint32_t* g_buckets = nullptr;  // edge hash: pool index of the first edge, 0: none
std::uint32_t* g_free_slots = nullptr;
std::uint32_t* g_queue = nullptr;  // the search's queue of slots
std::uint32_t g_node_cap = 0, g_edge_cap = 0, g_bucket_mask = 0;
std::uint32_t g_nodes_used = 1;  // slots ever handed out (a prefix; slot 0 unused: id 0 is none)
std::uint32_t g_free_n = 0;      // free slots below g_nodes_used
std::uint32_t g_edges_used = 0;  // pool indexes ever handed out, 1-based
std::uint32_t g_free_edge = 0;   // free list head
std::size_t g_live_nodes = 0, g_live_edges = 0;
std::uint64_t g_serial = 0;
std::uint32_t g_stamp = 0;
// The tables' sizes as allocated (set_limits may lower the caps in use without reallocating).
std::uint32_t g_alloc_nodes = 0, g_alloc_edges = 0;

std::uint32_t slot_of(lock_id id) { return static_cast<std::uint32_t>(id); }
std::uint32_t gen_of(lock_id id) { return static_cast<std::uint32_t>(id >> 32); }

bool live_locked(lock_id id) {
  const std::uint32_t s = slot_of(id);
  // relaxed: g_mu is held.
  return s < g_nodes_used && g_nodes[s].in_use &&
         g_nodes[s].gen.load(std::memory_order_relaxed) == gen_of(id);
}

// Zeroed memory, committed by the kernel page by page as it is touched.
template <class T>
T* map_zeroed(std::size_t count) {
  void* p =
      mmap(nullptr, sizeof(T) * count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("cannot map the lock-order graph");
  return static_cast<T*>(p);
}

void ensure_tables(std::uint32_t nodes, std::uint32_t edges) {
  if (g_nodes != nullptr) return;
  g_alloc_nodes = nodes;
  g_alloc_edges = edges;
  g_nodes = map_zeroed<node>(nodes);
  g_edges = map_zeroed<edge>(edges + 1);
  std::uint32_t buckets = 1;
  while (buckets < edges) buckets <<= 1;
  g_buckets = map_zeroed<std::uint32_t>(buckets);
  g_bucket_mask = buckets - 1;
  g_free_slots = map_zeroed<std::uint32_t>(nodes);
  g_queue = map_zeroed<std::uint32_t>(nodes);
  g_node_cap = nodes;
  g_edge_cap = edges;
}

std::uint32_t bucket_of(lock_id from, lock_id to) {
  std::uint64_t h = from * 0x9e3779b97f4a7c15ull ^ to;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return static_cast<std::uint32_t>(h) & g_bucket_mask;
}

std::uint32_t hash_find(lock_id from, lock_id to) {
  for (std::uint32_t e = g_buckets[bucket_of(from, to)]; e != 0; e = g_edges[e].next_hash) {
    if (g_edges[e].from == from && g_edges[e].to == to) return e;
  }
  return 0;
}

void hash_remove(std::uint32_t e) {
  std::uint32_t* link = &g_buckets[bucket_of(g_edges[e].from, g_edges[e].to)];
  while (*link != e) link = &g_edges[*link].next_hash;
  *link = g_edges[e].next_hash;
}

// Unlinks e (already out of its source's list) from the hash and returns it to the pool.
void free_edge(std::uint32_t e) {
  hash_remove(e);
  g_edges[e].next_out = g_free_edge;
  g_free_edge = e;
  --g_live_edges;
}

// Every node dropped and every edge freed: the generations move on, so ids held anywhere (sync
// objects, held-lock lists, the callers' edge caches) stop matching.
void forget_all() {
  for (std::uint32_t s = 1; s < g_nodes_used; ++s) {
    node& n = g_nodes[s];
    if (n.in_use) n.gen.fetch_add(1, std::memory_order_relaxed);  // relaxed: g_mu is held
    n.in_use = false;
    n.out = 0;
  }
  g_nodes_used = 1;
  g_free_n = 0;
  // A loop, not memset: the detector interposes memset and would check it as the program's.
  for (std::uint32_t b = 0; b <= g_bucket_mask; ++b) g_buckets[b] = 0;
  g_edges_used = 0;
  g_free_edge = 0;
  g_live_nodes = 0;
  g_live_edges = 0;
}

// Drops the out-edges of slot s whose target is gone.
void sweep_node(std::uint32_t s) {
  std::uint32_t* link = &g_nodes[s].out;
  while (*link != 0) {
    const std::uint32_t e = *link;
    if (live_locked(g_edges[e].to)) {
      link = &g_edges[e].next_out;
    } else {
      *link = g_edges[e].next_out;
      free_edge(e);
    }
  }
}

// A pool index for a new edge, or 0 if the graph had to be forgotten to make room.
std::uint32_t alloc_edge() {
  if (g_free_edge == 0 && g_edges_used == g_edge_cap) {
    for (std::uint32_t s = 1; s < g_nodes_used; ++s) {
      if (g_nodes[s].in_use) sweep_node(s);
    }
    if (g_free_edge == 0) {
      forget_all();
      return 0;
    }
  }
  std::uint32_t e;
  if (g_free_edge != 0) {
    e = g_free_edge;
    g_free_edge = g_edges[e].next_out;
  } else {
    e = ++g_edges_used;
  }
  ++g_live_edges;
  return e;
}

// The shortest path from `start` to `target` (at most kMaxCycleEdges - 1 edges), as the pool index
// of its last edge (walk back through the nodes' `via`), or 0.
std::uint32_t search(lock_id start, lock_id target) {
  if (++g_stamp == 0) {
    for (std::uint32_t s = 0; s < g_nodes_used; ++s) g_nodes[s].visit = 0;
    g_stamp = 1;
  }
  std::uint32_t head = 0, tail = 0;
  g_queue[tail++] = slot_of(start);
  node& first = g_nodes[slot_of(start)];
  first.visit = g_stamp;
  first.via = 0;
  first.depth = 0;
  while (head < tail) {
    const std::uint32_t s = g_queue[head++];
    const std::uint32_t depth = g_nodes[s].depth + 1;
    std::uint32_t* link = &g_nodes[s].out;
    while (*link != 0) {
      const std::uint32_t e = *link;
      const lock_id to = g_edges[e].to;
      if (!live_locked(to)) {  // its target was dropped: unlink it now
        *link = g_edges[e].next_out;
        free_edge(e);
        continue;
      }
      link = &g_edges[e].next_out;
      if (to == target) return e;
      node& n = g_nodes[slot_of(to)];
      if (n.visit == g_stamp || depth >= kMaxCycleEdges - 1) continue;
      n.visit = g_stamp;
      n.via = e;
      n.depth = depth;
      g_queue[tail++] = slot_of(to);
    }
  }
  return 0;
}

void fill(lock_cycle_edge& out, std::uint32_t e) {
  const edge& ed = g_edges[e];
  out.from = ed.from;
  out.to = ed.to;
  out.from_addr = g_nodes[slot_of(ed.from)].addr;
  out.to_addr = g_nodes[slot_of(ed.to)].addr;
  out.info = ed.info;
}

}  // namespace

lock_id lock_node_new(std::uintptr_t addr) {
  lock_guard<futex_lock> l(g_mu);
  ensure_tables(kDefaultNodes, kDefaultEdges);
  std::uint32_t s;
  if (g_free_n > 0) {
    s = g_free_slots[--g_free_n];
  } else {
    if (g_nodes_used == g_node_cap) forget_all();
    s = g_nodes_used++;
  }
  node& n = g_nodes[s];
  n.in_use = true;
  n.addr = addr;
  n.out = 0;
  n.visit = 0;
  ++g_live_nodes;
  // relaxed: g_mu is held.
  return (static_cast<lock_id>(n.gen.load(std::memory_order_relaxed)) << 32) | s;
}

void lock_node_drop(lock_id id) {
  lock_guard<futex_lock> l(g_mu);
  if (g_nodes == nullptr || !live_locked(id)) return;
  const std::uint32_t s = slot_of(id);
  node& n = g_nodes[s];
  for (std::uint32_t e = n.out; e != 0;) {
    const std::uint32_t next = g_edges[e].next_out;
    free_edge(e);
    e = next;
  }
  n.out = 0;
  n.in_use = false;
  // relaxed: g_mu is held; a lock-free reader (lock_node_live) only needs to see some value.
  n.gen.fetch_add(1, std::memory_order_relaxed);
  g_free_slots[g_free_n++] = s;
  --g_live_nodes;
}

bool lock_node_live(lock_id id) {
  const std::uint32_t s = slot_of(id);
  // relaxed: the tables exist before any id does (the caller got id from lock_node_new, under
  // g_mu). A stale generation can only say "live" for a node just dropped, and lock_edge_add checks
  // again under g_mu.
  return id != 0 && g_nodes != nullptr && s < g_alloc_nodes &&
         g_nodes[s].gen.load(std::memory_order_relaxed) == gen_of(id);
}

namespace {

bool has_gate(const lock_edge_info& info, lock_id gate) {
  for (int i = 0; i < info.n_gates; ++i) {
    if (info.gates[i] == gate) return true;
  }
  return false;
}

// Keeps in `into` only the gates `other` has too.
void narrow_gates(lock_edge_info& into, const lock_edge_info& other) {
  int n = 0;
  for (int i = 0; i < into.n_gates; ++i) {
    if (has_gate(other, into.gates[i])) into.gates[n++] = into.gates[i];
  }
  into.n_gates = n;
}

// Whether one lock was held (for writing) at the making of every edge of path[0, n).
bool gated(const std::uint32_t* path, std::size_t n) {
  const lock_edge_info& first = g_edges[path[0]].info;
  for (int i = 0; i < first.n_gates; ++i) {
    bool everywhere = true;
    for (std::size_t j = 1; j < n && everywhere; ++j) {
      everywhere = has_gate(g_edges[path[j]].info, first.gates[i]);
    }
    if (everywhere) return true;
  }
  return false;
}

// Whether edge e (from → to) closes an ungated cycle; if so, writes it to `cycle`. g_mu held.
bool close_cycle(std::uint32_t e, lock_id from, lock_id to, lock_cycle& cycle) {
  const std::uint32_t last = search(to, from);
  if (last == 0) return false;
  // The path to → … → from, walked back from its last edge, then the new edge from → to.
  std::uint32_t path[kMaxCycleEdges];
  std::size_t n = 0;
  path[n++] = e;
  std::uint32_t back[kMaxCycleEdges];
  std::size_t nb = 0;
  for (std::uint32_t x = last; x != 0 && nb < kMaxCycleEdges - 1;
       x = g_nodes[slot_of(g_edges[x].from)].via) {
    back[nb++] = x;
    if (g_edges[x].from == to) break;
  }
  while (nb > 0) path[n++] = back[--nb];
  if (gated(path, n)) return false;
  std::size_t oldest = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (g_edges[path[i]].serial < g_edges[path[oldest]].serial) oldest = i;
  }
  cycle.n = n;
  for (std::size_t i = 0; i < n; ++i) fill(cycle.edges[i], path[(oldest + i) % n]);
  return true;
}

}  // namespace

bool lock_edge_add(lock_id from, lock_id to, const lock_edge_info& info, lock_cycle& cycle) {
  lock_guard<futex_lock> l(g_mu);
  if (g_nodes == nullptr || from == to || !live_locked(from) || !live_locked(to)) return false;
  std::uint32_t e = hash_find(from, to);
  if (e != 0) {
    // Known: only a gate lost can make a cycle through it reportable now.
    const int gates_before = g_edges[e].info.n_gates;
    narrow_gates(g_edges[e].info, info);
    if (g_edges[e].info.n_gates == gates_before) return false;
    return close_cycle(e, from, to, cycle);
  }
  e = alloc_edge();
  if (e == 0) return false;  // the graph was forgotten: from and to are gone
  edge& ed = g_edges[e];
  ed.from = from;
  ed.to = to;
  ed.serial = ++g_serial;
  ed.info = info;
  const std::uint32_t b = bucket_of(from, to);
  ed.next_hash = g_buckets[b];
  g_buckets[b] = e;
  ed.next_out = g_nodes[slot_of(from)].out;
  g_nodes[slot_of(from)].out = e;
  return close_cycle(e, from, to, cycle);
}

std::size_t lock_node_count() {
  lock_guard<futex_lock> l(g_mu);
  return g_live_nodes;
}

std::size_t lock_edge_count() {
  lock_guard<futex_lock> l(g_mu);
  return g_live_edges;
}

void lock_graph_set_limits_for_testing(std::uint32_t nodes, std::uint32_t edges) {
  lock_guard<futex_lock> l(g_mu);
  ensure_tables(kDefaultNodes, kDefaultEdges);
  forget_all();
  g_node_cap = nodes == 0 || nodes > g_alloc_nodes ? g_alloc_nodes : nodes;
  g_edge_cap = edges == 0 || edges > g_alloc_edges ? g_alloc_edges : edges;
}

}  // namespace goro::race
