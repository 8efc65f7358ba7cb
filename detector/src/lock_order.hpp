// Lock-order tracking per goroutine and per plain thread: the locks each one holds, with where it
// took them, and the edges of the lock-order graph (lock_graph.hpp) they make; a new edge that
// closes a cycle is reported as a lock-order inversion (report_lock_order.cpp).
//
// What makes an edge: taking lock B with a blocking call (goro::Mutex::lock, RWMutex::lock or
// lock_shared, pthread_mutex_lock, pthread_rwlock_*lock, std::mutex, ...) while holding A makes
// A→B for every A held. A lock taken by a successful try_lock (or a timed lock) gets no incoming
// edge, since such a call cannot wait forever, but once held it is the source of edges to locks
// taken after it. Taking again a lock one already holds (a recursive pthread mutex, or a second
// read lock) makes no edge; it is counted and released as many times.
//
// Gates: each edge also carries the other locks held for writing when it was made; a cycle all of
// whose edges were made under one same gate cannot deadlock and is not reported (lock_graph.hpp).
//
// Held-lock list: a small fixed array per context (kMaxHeldLocks), lent to the context while it
// holds locks (from a per-thread spare) and handed back when it holds none. Locks taken while it is
// full are not recorded (edges are lost, never invented). Go lets one goroutine unlock a Mutex
// another locked: the unlocker does not find the lock in its own list, and counts a "foreign
// unlock" on the lock's sync object instead. An entry whose lock has seen a foreign unlock since it
// was taken (or whose node was dropped: memory freed, mutex destroyed) is stale: it makes no edges
// and is dropped when met. A goroutine that ends holding locks leaves no entries behind.
//
// Cost when no lock is held: a sync-object lookup through the meta shadow, a hash of the shadow
// call stack (its depot id cached per context), an append. Edges already seen by this context are
// found in a per-context cache and take no lock; only a new edge takes the graph's lock.
#pragma once

#include <cstdint>

namespace goro::race {

struct context;
struct sync_object;

constexpr int kMaxHeldLocks = 16;

// The lock at `lock` was taken by c (the running context) at pc: write (false: a read lock),
// try_lock (a call that could not block). Called after the lock is held.
void lock_order_acquired(context* c, const void* lock, bool write, bool try_lock,
                         std::uintptr_t pc);
// ... is about to be released by c.
void lock_order_released(context* c, const void* lock);
// The mutex at `lock` is destroyed (pthread_mutex_destroy): its node and edges are dropped.
void lock_order_destroyed(const void* lock);
// The sync object's memory was freed (sync_table.cpp): its lock node, if any, is dropped.
void lock_order_object_freed(sync_object* s);
// c's life ended (goroutine end, thread exit): its held-lock list is forgotten.
void lock_order_context_end(context* c);
// Locks c holds according to its list (tests).
int lock_order_held_count(const context* c);

}  // namespace goro::race
