// Sync objects: the clocks that happens-before edges pass through, one per sync address (a mutex, a
// channel slot, a WaitGroup, an atomic variable that was release-stored).
//
// Found through the meta shadow (shadow.hpp): one 32-bit index per 8 bytes of application memory,
// the head of a list of the objects in those 8 bytes (usually one; an RWMutex has two semaphores in
// one word, and they must stay separate objects), so a lookup is a shift, a load and an address
// compare. Freeing memory finds the objects that lived in it by scanning its meta cells (skipping
// 64 KiB chunks whose summary byte says no object was ever created there). Objects live in a table
// of fixed blocks and are recycled through a free list; they are never unmapped, so a racing lookup
// of a freed object reads a stale but valid object.
//
// Rejected: a concurrent hash map keyed by address (TBB's concurrent_hash_map). Dropping the
// objects of a freed range needs either a scan of the whole map or a second index by address range;
// and each lookup hashes and takes a bucket lock. The meta shadow costs 4 bytes of address space
// per 8 bytes, committed only where sync objects live (and read as the shared zero page elsewhere).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "base.hpp"
#include "clock.hpp"
#include "shadow.hpp"

namespace goro::race {

struct sync_object {
  spin_lock mu;
  sync_clock clock;         // guarded by mu
  std::uintptr_t addr = 0;  // set before the object is published in its list, then immutable
  std::uint32_t next = 0;   // the next object of the same meta cell, likewise
  // Lock-order tracking (lock_order.hpp), for objects that are locks: the lock's graph node (0:
  // none yet), set once per life by compare-and-swap, and the unlocks made by a goroutine that had
  // not taken the lock. relaxed is enough for both: the node id is only compared and passed to the
  // graph, which rechecks it under its own lock; a foreign unlock counted late only delays marking
  // the locker's entry stale (lock_order.cpp).
  std::atomic<std::uint64_t> lock_node{0};
  std::atomic<std::uint32_t> foreign_unlocks{0};
};

// Locks s for an operation by the running context c, first bringing c up to the generation of s's
// clock if a global reset happened that c has not noticed yet (else c would acquire nothing from a
// release made after the reset, or overwrite it with a clock of the old generation).
void lock_for(struct context* c, sync_object* s);

// The objects live in blocks of kSyncBlockObjects; g_sync_blocks[i] is written once, under the
// table's lock, before any index in block i is published (by the meta cell's release CAS), and read
// after an acquire load of a meta cell.
constexpr int kSyncBlockShift = 12;
constexpr std::uint32_t kSyncBlockObjects = 1u << kSyncBlockShift;
constexpr std::uint32_t kSyncMaxBlocks = 1u << 20;
extern sync_object* g_sync_blocks[kSyncMaxBlocks];

inline sync_object* sync_object_at(std::uint32_t idx) {
  return &g_sync_blocks[idx >> kSyncBlockShift][idx & (kSyncBlockObjects - 1)];
}

// The object at addr, or nullptr if none was ever created there (an acquire of nothing is a no-op).
// Inline: every synchronisation looks its object up, and nearly always finds it first in its list.
inline sync_object* sync_find(std::uintptr_t addr) {
  // acquire: pairs with the publishing CAS, so the object's block pointer, address and link are
  // visible.
  for (std::uint32_t idx = __atomic_load_n(meta_of(addr), __ATOMIC_ACQUIRE); idx != 0;) {
    sync_object* o = sync_object_at(idx);
    if (o->addr == addr) return o;
    idx = o->next;
  }
  return nullptr;
}
// The object at addr, created (out of line) if there is none.
sync_object* sync_create(std::uintptr_t addr);
inline sync_object* sync_find_or_create(std::uintptr_t addr) {
  sync_object* o = sync_find(addr);
  return GORO_LIKELY(o != nullptr) ? o : sync_create(addr);
}
// Memory [addr, addr+size) was freed or recycled: its objects are dropped.
void sync_free_range(std::uintptr_t addr, std::size_t size);
// Live objects (tests).
std::size_t sync_object_count();

}  // namespace goro::race
