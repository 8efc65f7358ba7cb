// The sync-object table behind the meta shadow (design in sync_table.hpp).
#include "sync_table.hpp"

#include <new>

#include "context.hpp"
#include "lock_order.hpp"
#include "shadow.hpp"
#include "slots.hpp"

namespace goro::race {

sync_object* g_sync_blocks[kSyncMaxBlocks];

namespace {

spin_lock g_alloc_mu;
std::uint32_t g_next = 1;         // guarded by g_alloc_mu; index 0 means "none"
std::uint32_t* g_free = nullptr;  // guarded by g_alloc_mu
std::uint32_t g_free_n = 0, g_free_cap = 0;
std::atomic<std::size_t> g_live{0};  // relaxed: a statistic

std::uint32_t alloc_index() {
  lock_guard<spin_lock> l(g_alloc_mu);
  g_live.fetch_add(1, std::memory_order_relaxed);  // relaxed: a statistic
  if (g_free_n > 0) return g_free[--g_free_n];
  const std::uint32_t idx = g_next++;
  if ((idx >> kSyncBlockShift) >= kSyncMaxBlocks) die("too many sync objects");
  sync_object*& block = g_sync_blocks[idx >> kSyncBlockShift];
  if (block == nullptr) {
    block = static_cast<sync_object*>(internal_calloc(sizeof(sync_object) * kSyncBlockObjects));
    for (std::uint32_t i = 0; i < kSyncBlockObjects; ++i) new (&block[i]) sync_object;
  }
  return idx;
}

void free_index(std::uint32_t idx) {
  sync_object* o = sync_object_at(idx);
  lock_order_object_freed(o);
  {
    lock_guard<spin_lock> l(o->mu);
    o->clock.release_to_empty();
    o->clock.gen = 0;
  }
  o->addr = 0;
  o->next = 0;
  lock_guard<spin_lock> l(g_alloc_mu);
  g_live.fetch_sub(1, std::memory_order_relaxed);  // relaxed: a statistic
  if (g_free_n == g_free_cap) {
    const std::uint32_t cap = g_free_cap == 0 ? 1024 : g_free_cap * 2;
    auto* f = static_cast<std::uint32_t*>(internal_alloc(sizeof(std::uint32_t) * cap));
    for (std::uint32_t i = 0; i < g_free_n; ++i) f[i] = g_free[i];
    internal_free(g_free, sizeof(std::uint32_t) * g_free_cap);
    g_free = f;
    g_free_cap = cap;
  }
  g_free[g_free_n++] = idx;
}

}  // namespace

void lock_for(context* c, sync_object* s) {
  s->mu.lock();
  if (GORO_LIKELY(s->clock.gen <= c->gen)) return;
  s->mu.unlock();
  slot_reattach(c, *tls.vc);  // a new generation: forget the old clock and slot, take a new one
  s->mu.lock();
}

sync_object* sync_create(std::uintptr_t addr) {
  // The search again: another thread may have created the object since sync_find looked.
  std::uint32_t* cell = meta_of(addr);
  std::uint32_t head = __atomic_load_n(cell, __ATOMIC_ACQUIRE);  // acquire: as sync_find
  std::uint32_t mine = 0;
  for (;;) {
    for (std::uint32_t idx = head; idx != 0;) {
      sync_object* o = sync_object_at(idx);
      if (o->addr == addr) {
        if (mine != 0) free_index(mine);
        return o;
      }
      idx = o->next;
    }
    if (mine == 0) {
      mine = alloc_index();
      sync_object_at(mine)->addr = addr;
      // relaxed: a hint for sync_free_range, which may miss an object created concurrently with
      // the free of its own memory (a use-after-free in the program).
      __atomic_store_n(summary_of(addr), 1, __ATOMIC_RELAXED);
    }
    sync_object_at(mine)->next = head;
    // acq_rel: release publishes the new object (block pointer, address, link); acquire, on
    // failure, makes the objects another thread pushed visible for the next search.
    if (__atomic_compare_exchange_n(cell, &head, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      return sync_object_at(mine);
    }
  }
}

void sync_free_range(std::uintptr_t addr, std::size_t size) {
  const std::uintptr_t end = addr + size;
  std::uintptr_t chunk = addr >> kSummaryShift;
  const std::uintptr_t last_chunk = (end - 1) >> kSummaryShift;
  for (; chunk <= last_chunk; ++chunk) {
    // relaxed: see sync_create.
    if (__atomic_load_n(summary_of(chunk << kSummaryShift), __ATOMIC_RELAXED) == 0) continue;
    std::uintptr_t lo = chunk << kSummaryShift;
    std::uintptr_t hi = lo + (std::uintptr_t{1} << kSummaryShift);
    if (lo < addr) lo = addr & ~std::uintptr_t{7};
    if (hi > end) hi = end;
    for (std::uintptr_t a = lo; a < hi; a += 8) {
      std::uint32_t* cell = meta_of(a);
      // relaxed peek, then acq_rel exchange: the exchange takes the object (only one freer wins)
      // and sees its creation.
      if (__atomic_load_n(cell, __ATOMIC_RELAXED) == 0) continue;
      for (std::uint32_t idx = __atomic_exchange_n(cell, 0, __ATOMIC_ACQ_REL); idx != 0;) {
        const std::uint32_t next = sync_object_at(idx)->next;
        free_index(idx);
        idx = next;
      }
    }
  }
}

// relaxed: a statistic.
std::size_t sync_object_count() { return g_live.load(std::memory_order_relaxed); }

}  // namespace goro::race
