// The stack depot (stack_depot.hpp): an open-addressing hash table from stack hash to id, and an
// id-indexed array of stored stacks. One lock; the caller caches the last id it got (a loop of go
// statements asks for the same stack each time), so the lock is taken once per distinct site in the
// common case.
#include "stack_depot.hpp"

#include <cstring>

#include "base.hpp"

namespace goro::race {
namespace {

struct entry {
  std::uint64_t hash;
  std::uint32_t n;
  std::uintptr_t pcs[1];  // really n
};

futex_lock g_mu;
std::uint32_t* g_slots = nullptr;  // guarded by g_mu: ids, open addressing by hash
std::uint32_t g_slots_cap = 0;     // power of two
entry** g_entries = nullptr;       // guarded by g_mu: id -> entry; id 0 unused
std::uint32_t g_count = 0;
std::uint32_t g_entries_cap = 0;

bool same(const entry* e, std::uint64_t hash, const std::uintptr_t* pcs, std::size_t n) {
  if (e->hash != hash || e->n != n) return false;
  // A plain loop, not memcmp: the detector interposes memcmp (as bcmp), which would check both
  // arrays as the program's memory, in the history of whichever goroutine is spawning.
  std::size_t i = 0;
  while (i < n && e->pcs[i] == pcs[i]) ++i;
  return i == n;
}

void rehash(std::uint32_t cap) {
  auto* slots = static_cast<std::uint32_t*>(internal_calloc(sizeof(std::uint32_t) * cap));
  for (std::uint32_t id = 1; id <= g_count; ++id) {
    std::uint32_t i = static_cast<std::uint32_t>(g_entries[id]->hash) & (cap - 1);
    while (slots[i] != 0) i = (i + 1) & (cap - 1);
    slots[i] = id;
  }
  internal_free(g_slots, sizeof(std::uint32_t) * g_slots_cap);
  g_slots = slots;
  g_slots_cap = cap;
}

}  // namespace

std::uint64_t stack_hash(const std::uintptr_t* pcs, std::size_t n) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= pcs[i];
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  return h | 1;  // never 0: 0 means "no cached hash"
}

std::uint32_t depot_put(const std::uintptr_t* pcs, std::size_t n, std::uint64_t hash) {
  if (n == 0) return 0;
  lock_guard<futex_lock> l(g_mu);
  if (g_slots_cap == 0) rehash(1024);
  std::uint32_t i = static_cast<std::uint32_t>(hash) & (g_slots_cap - 1);
  for (; g_slots[i] != 0; i = (i + 1) & (g_slots_cap - 1)) {
    if (same(g_entries[g_slots[i]], hash, pcs, n)) return g_slots[i];
  }
  const std::uint32_t id = ++g_count;
  if (id >= g_entries_cap) {
    const std::uint32_t cap = g_entries_cap == 0 ? 1024 : g_entries_cap * 2;
    constexpr std::size_t kSlot = sizeof(entry*);  // NOLINT(bugprone-sizeof-expression): by design
    auto* entries = static_cast<entry**>(internal_calloc(kSlot * cap));
    if (g_entries_cap > 0) std::memcpy(entries, g_entries, kSlot * g_entries_cap);
    internal_free(g_entries, kSlot * g_entries_cap);
    g_entries = entries;
    g_entries_cap = cap;
  }
  auto* e = static_cast<entry*>(internal_alloc(sizeof(entry) + sizeof(std::uintptr_t) * n));
  e->hash = hash;
  e->n = static_cast<std::uint32_t>(n);
  std::memcpy(e->pcs, pcs, sizeof(std::uintptr_t) * n);
  g_entries[id] = e;
  g_slots[i] = id;
  if (g_count * 2 > g_slots_cap) rehash(g_slots_cap * 2);
  return id;
}

const std::uintptr_t* depot_get(std::uint32_t id, std::size_t& n) {
  lock_guard<futex_lock> l(g_mu);
  if (id == 0 || id > g_count) {
    n = 0;
    return nullptr;
  }
  n = g_entries[id]->n;
  return g_entries[id]->pcs;  // entries are never freed
}

}  // namespace goro::race
