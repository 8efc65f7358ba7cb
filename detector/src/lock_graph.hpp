// The lock-order graph: one node per lock the program has taken, an edge A→B when some goroutine or
// thread took B while holding A. An edge that closes a cycle is a potential deadlock (two or more
// goroutines taking the same locks in different orders), found even in a run that did not
// deadlock. lock_order.cpp feeds it from the lock hooks; this file knows nothing of contexts.
//
// Identity: a node is named by a lock_id, (generation << 32) | slot. When a lock's memory is freed
// (sync_table.cpp drops its sync object) or the mutex is destroyed, its node is dropped and the
// slot's generation moves on, so a new lock at the same address gets a new id and inherits none of
// the old one's edges (ThreadSanitizer's classic false cycle through reused memory). Edges into a
// dropped node stay in their source's list until a walk meets them, and are ignored and unlinked
// then: their target's generation no longer matches.
//
// Bounds: at most kMaxLockNodes live nodes and kMaxLockEdges edges (both fixed tables, mapped once,
// committed as used). When either is full the stale edges are swept; if that frees nothing, the
// whole graph is forgotten (every generation moves on), as ThreadSanitizer's detector does: edges
// are lost, never invented. So a program with millions of locks uses a bounded amount of memory.
//
// Cycle search: a new edge A→B closes a cycle iff A is reachable from B; a breadth-first search
// from B finds the shortest such path (at most kMaxCycleEdges - 1 edges: longer cycles are not
// reported). It runs only when an edge is new; known edges are found by a hash table, and the
// callers cache the edges they have seen (lock_order.cpp), so a program that keeps taking its
// locks in the same orders takes this file's lock only the first time.
//
// Locking: one futex_lock guards everything below. It is a leaf: nothing takes another detector
// lock while holding it (the callers report after it is released).
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::race {

using lock_id = std::uint64_t;  // 0: none

constexpr int kMaxEdgeGates = 4;

// What an edge remembers of the acquisition that made it.
struct lock_edge_info {
  // Gate locks: the other locks the goroutine held for writing when it made the edge (the first
  // kMaxEdgeGates). When the same edge is made again by another goroutine or thread, the edge keeps
  // only the gates both held. A cycle whose every edge was made under one same gate lock cannot
  // deadlock (whoever takes its locks in those orders holds the gate, one at a time) and is not
  // reported: ThreadSanitizer reports it, a false report.
  lock_id gates[kMaxEdgeGates] = {};
  int n_gates = 0;
  std::uint32_t stack = 0;       // stack depot id: where `to` was acquired
  std::uint32_t held_stack = 0;  // ... where `from` had been acquired
  std::uint32_t rec_id = 0;      // the goroutine's or thread's record (history.hpp)
  std::int64_t goid = 0;
  bool is_thread = false;
  bool is_main = false;
  bool to_write = true;    // `to` was write-locked (false: a read lock)
  bool from_write = true;  // likewise `from`
  std::uint32_t create_stack = 0;
};

struct lock_cycle_edge {
  std::uintptr_t from_addr = 0;
  std::uintptr_t to_addr = 0;
  lock_id from = 0;
  lock_id to = 0;
  lock_edge_info info;
};

constexpr std::size_t kMaxCycleEdges = 16;

// A cycle, starting with its oldest edge; edge i's `to` is edge i+1's `from`, the last edge's `to`
// the first's `from`.
struct lock_cycle {
  std::size_t n = 0;
  lock_cycle_edge edges[kMaxCycleEdges];
};

// A new node for the lock at addr (the graph is forgotten first if the node table is full).
lock_id lock_node_new(std::uintptr_t addr);
// The lock's memory was freed or the mutex destroyed: its node and out-edges are dropped.
void lock_node_drop(lock_id id);
// Whether id names a node that was not dropped (nor forgotten with the graph). A racy read, exact
// for ids the caller obtained itself: generations only move forward.
bool lock_node_live(lock_id id);
// Records from→to (both live, distinct); for a known edge, narrows its gates to those also in
// info's. Returns true when the edge is new and closes a cycle with no gate common to all its
// edges, which is then written to `cycle`.
bool lock_edge_add(lock_id from, lock_id to, const lock_edge_info& info, lock_cycle& cycle);

// Statistics and tests.
std::size_t lock_node_count();
std::size_t lock_edge_count();
// Smaller tables (0: the defaults); forgets the graph.
void lock_graph_set_limits_for_testing(std::uint32_t nodes, std::uint32_t edges);

}  // namespace goro::race
