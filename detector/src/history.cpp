// Event rings and records: allocation, growth under the budget, checkpoints, and replay (the format
// in history.hpp).
#include "history.hpp"

#include <cstring>
#include <new>

#include "context.hpp"
#include "shadow.hpp"

namespace goro::race {
namespace {

// The rings' growth past their first kInitialEvents, live and finished together, stays under this;
// a ring that would pass it stops growing, and finished goroutines' rings are evicted oldest first.
// 512 MiB is 1024 goroutines at the default history_size's full 512 KiB (few grow that far: a ring
// doubles only when it fills). The first rings are a fixed 256 bytes per goroutine, live or among
// the kMaxFinished finished ones.
constexpr std::size_t kRingBudget = std::size_t{512} << 20;

// The records table, id -> record: chunks of kChunkIds entries that never move once made, so a
// record is entered without the records lock (its id is its creator's alone until it is evicted)
// and looked up under it (eviction, which clears entries, holds it).
constexpr int kChunkBits = 16;
constexpr std::uint32_t kChunkIds = 1u << kChunkBits;
constexpr std::uint32_t kChunks = 1u << (32 - kChunkBits);
// acquire/release: a chunk's entries are zero before its pointer is seen; a record's fields are
// written before its entry is.
std::atomic<std::atomic<record*>*> g_chunks[kChunks];

futex_lock g_records_mu;      // guards everything below
std::uint32_t g_next_id = 1;  // 0 means "no record"
// Ids given back, taken last first. Room for every id ever given, so giving back never allocates.
std::uint32_t* g_free_ids = nullptr;
std::uint32_t g_free_n = 0, g_free_cap = 0;
// Finished records, oldest first: g_dead_n of them from g_dead_first on, in a ring of pointers.
// A hand-over adds at most kRecordBatch to at most kMaxFinished and evicts back down, so the ring
// never fills. Pointers, not a list linked through the records: the records evicted next are
// known without reading the ones before them, which a linked list made each eviction wait for
// (each finished kMaxFinished lives ago, cold).
constexpr std::uint32_t kDeadRing = 2048;
static_assert(kMaxFinished + kRecordBatch <= kDeadRing && (kDeadRing & (kDeadRing - 1)) == 0);
record* g_dead[kDeadRing];
std::uint32_t g_dead_first = 0;
std::uint32_t g_dead_n = 0;
// The bytes of all rings beyond their first kInitialEvents (counted_bytes). relaxed: budget
// accounting; an overshoot by a few rings is harmless.
std::atomic<std::size_t> g_ring_bytes{0};
std::size_t counted_bytes(std::uint32_t events) {
  return sizeof(std::uint64_t) * (events - kInitialEvents);
}
std::uint32_t g_max_events = 32768u << 1;  // history_size 1 (Go's default)
// Evicted records kept for record_new, each with its ring when that is a first ring (a bigger one
// is freed): a goroutine's start and the eviction of an older one then allocate and free nothing,
// where they made and freed a record and a ring each (about 200 instructions a goroutine of 3,900
// in spawn's race build). Beyond kSpareRecords they are freed. A stack of pointers, not a list
// linked through the records, for the reason g_dead is a ring: taking a batch reads none of them.
constexpr std::uint32_t kSpareRecords = 4096;
record* g_spares[kSpareRecords];
std::uint32_t g_spare_n = 0;

// Per thread: ids taken from the shared pool kRecordBatch at a time, and the records of goroutines
// that ended here, handed to the shared list of finished ones kRecordBatch at a time. A goroutine
// is usually created on one thread and ends on another: with one lock per start and per end, the
// two threads met on the records lock at every goroutine (spawn at GOMAXPROCS=2 spent a quarter of
// its time in record_new and record_finish).
struct thread_records {
  std::uint32_t ids[kRecordBatch];
  std::uint32_t nids;
  record* finished[kRecordBatch];  // oldest first
  std::uint32_t nfinished;
  record* spares[kRecordBatch];  // taken from g_spares with the ids, used last first
  std::uint32_t nspare;
};
constinit GORO_TLS thread_records t_records{};

// Room in g_free_ids for `need` ids. Under the records lock.
void reserve_free_ids(std::uint32_t need) {
  if (need <= g_free_cap) return;
  std::uint32_t n = g_free_cap == 0 ? 1024 : g_free_cap;
  while (n < need) n *= 2;
  auto* fresh = static_cast<std::uint32_t*>(internal_alloc(sizeof(std::uint32_t) * n));
  for (std::uint32_t i = 0; i < g_free_n; ++i) fresh[i] = g_free_ids[i];
  internal_free(g_free_ids, sizeof(std::uint32_t) * g_free_cap);
  g_free_ids = fresh;
  g_free_cap = n;
}

std::atomic<record*>* table_entry(std::uint32_t id) {
  std::atomic<record*>* chunk = g_chunks[id >> kChunkBits].load(std::memory_order_acquire);
  return chunk != nullptr ? &chunk[id & (kChunkIds - 1)] : nullptr;
}

// Fresh ids [from, to): the chunks that hold them exist. Under the records lock.
void make_chunks_locked(std::uint32_t from, std::uint32_t to) {
  for (std::uint32_t k = from >> kChunkBits; k <= (to - 1) >> kChunkBits; ++k) {
    if (g_chunks[k].load(std::memory_order_relaxed) != nullptr)
      continue;  // relaxed: made under the lock we hold
    auto* chunk = static_cast<std::atomic<record*>*>(
        internal_calloc(sizeof(std::atomic<record*>) * kChunkIds));
    g_chunks[k].store(chunk, std::memory_order_release);
  }
}

void refill_ids(thread_records& t) {
  lock_guard<futex_lock> l(g_records_mu);
  while (t.nspare < kRecordBatch && g_spare_n > 0) t.spares[t.nspare++] = g_spares[--g_spare_n];
  while (t.nids < kRecordBatch && g_free_n > 0) t.ids[t.nids++] = g_free_ids[--g_free_n];
  if (t.nids == 0) {
    if (g_next_id > UINT32_MAX - kRecordBatch) die("too many goroutine records");
    make_chunks_locked(g_next_id, g_next_id + kRecordBatch);
    reserve_free_ids(g_next_id + kRecordBatch);
    // Highest first: the ids are taken from the end, so they are given in increasing order.
    for (std::uint32_t i = kRecordBatch; i > 0; --i) t.ids[t.nids++] = g_next_id + i - 1;
    g_next_id += kRecordBatch;
  }
}

void free_ring(record* r) {
  if (r->ring == nullptr) return;
  const std::uint32_t cap = r->mask + 1;
  internal_free(r->ring, sizeof(std::uint64_t) * cap);
  // relaxed: see g_ring_bytes.
  if (cap > kInitialEvents) g_ring_bytes.fetch_sub(counted_bytes(cap), std::memory_order_relaxed);
  r->ring = nullptr;
}

// r is no longer anyone's (evicted, or a thread's spare at its exit): kept for record_new while
// there is room, else freed. Under the records lock.
void spare_or_free_locked(record* r) {
  if (g_spare_n < kSpareRecords) {
    if (r->ring != nullptr && r->mask + 1 != kInitialEvents) free_ring(r);
    g_spares[g_spare_n++] = r;
    return;
  }
  free_ring(r);
  r->~record();
  internal_free(r, sizeof(record));
}

// A fresh record, from this thread's spares if it has one: made anew in place, keeping its first
// ring (written over from position 0; nothing reads past the position). A spare that waited in
// g_spares since its eviction is cold: each take fetches the next one.
record* take_record(thread_records& t) {
  if (t.nspare == 0) return new (internal_calloc(sizeof(record))) record;
  record* r = t.spares[--t.nspare];
  if (t.nspare > 0) __builtin_prefetch(t.spares[t.nspare - 1], 1);
  std::uint64_t* const ring = r->ring;
  // The last pc of the record's previous life: the base of the next life's first access (the
  // ring's first checkpoint records it). Goroutines of one go statement run the same code, so a
  // spawning loop's next goroutine mostly accesses within the reach of a pc delta from it; from 0
  // every goroutine's first access cost a pc event too (spawn: 30 instructions a goroutine).
  const std::uintptr_t prev_pc = r->prev_pc;
  r->~record();
  new (r) record;
  r->prev_pc = prev_pc;
  if (ring != nullptr) {
    r->ring = ring;
    r->mask = kInitialEvents - 1;
    r->half_mask = kInitialEvents / 2 - 1;
  }
  return r;
}

void evict_oldest_locked() {
  record* r = g_dead[g_dead_first];
  g_dead_first = (g_dead_first + 1) % kDeadRing;
  --g_dead_n;
  table_entry(r->id)->store(nullptr, std::memory_order_relaxed);  // relaxed: readers hold the lock
  g_free_ids[g_free_n++] = r->id;
  spare_or_free_locked(r);
  // The records evicted next finished kMaxFinished goroutine lives ago and are likely out of the
  // nearest caches, and a hand-over evicts a batch of them back to back. Each eviction fetches
  // the record kFetchAhead places on, and the table entry of the one kFetchAhead / 2 places on,
  // whose record (which holds its id) was fetched kFetchAhead / 2 evictions ago. The last
  // evictions of a hand-over fetch the first of the next.
  constexpr std::uint32_t kFetchAhead = 8;
  if (g_dead_n > kFetchAhead) {
    __builtin_prefetch(g_dead[(g_dead_first + kFetchAhead) % kDeadRing], 1);
  }
  if (g_dead_n > kFetchAhead / 2) {
    __builtin_prefetch(table_entry(g_dead[(g_dead_first + kFetchAhead / 2) % kDeadRing]->id), 1);
  }
}

// This thread's finished records join the shared list, whose oldest records are then evicted
// while it is over the limits.
void hand_over_finished(thread_records& t) {
  if (t.nfinished == 0) return;
  lock_guard<futex_lock> l(g_records_mu);
  for (std::uint32_t i = 0; i < t.nfinished; ++i)
    g_dead[(g_dead_first + g_dead_n + i) % kDeadRing] = t.finished[i];
  g_dead_n += t.nfinished;
  t.nfinished = 0;
  // relaxed: see g_ring_bytes.
  while (g_dead_n > 0 &&
         (g_dead_n > kMaxFinished || g_ring_bytes.load(std::memory_order_relaxed) > kRingBudget)) {
    evict_oldest_locked();
  }
}

// Events [from, to) of a ring with mask from_mask into one with to_mask, where they keep their
// positions: a piece at a time up to where either ring wraps (two pieces at most, the source
// holding no more than its capacity).
void copy_events(const std::uint64_t* src, std::uint64_t src_mask, std::uint64_t* dst,
                 std::uint64_t dst_mask, std::uint64_t from, std::uint64_t to) {
  while (from < to) {
    const std::uint64_t at_src = from & src_mask;
    const std::uint64_t at_dst = from & dst_mask;
    std::uint64_t n = to - from;
    if (n > src_mask + 1 - at_src) n = src_mask + 1 - at_src;
    if (n > dst_mask + 1 - at_dst) n = dst_mask + 1 - at_dst;
    std::memcpy(dst + at_dst, src + at_src, sizeof(std::uint64_t) * n);
    from += n;
  }
}

void write_checkpoint(context* c, record* r, std::uint64_t& p) {
  // At most a quarter of the half: the rest is for the events the checkpoint is there to explain.
  const std::uint32_t limit = (r->mask + 1) / 4 >= 4 ? (r->mask + 1) / 4 - 3 : 1;
  const std::uint32_t stored = c->depth < c->stack_cap ? c->depth : c->stack_cap;
  const std::uint32_t d = stored < limit ? stored : limit;
  r->ring[p++ & r->mask] = ev::make(ev::checkpoint, d);
  for (std::uint32_t i = stored - d; i < stored; ++i) {
    r->ring[p++ & r->mask] = ev::make(ev::enter, c->stack[i] & ev::kPcMask);
  }
  r->ring[p++ & r->mask] = ev::make(ev::time, c->stamp & 0xffffff);
  r->ring[p++ & r->mask] = ev::make(ev::pc, r->prev_pc & ev::kPcMask);
}

}  // namespace

// Go's sizes: history_size 0 remembers 32K accesses, each step doubles it.
void set_history_size(int history_size) { g_max_events = 32768u << history_size; }

void records_lock() { g_records_mu.lock(); }
void records_unlock() { g_records_mu.unlock(); }
record* record_lookup_locked(std::uint32_t id) {
  std::atomic<record*>* e = table_entry(id);
  // acquire: the record's fields were written before its entry (record_new).
  return e != nullptr ? e->load(std::memory_order_acquire) : nullptr;
}

record* record_new(std::int64_t goid, bool is_thread, bool is_main, std::uint32_t create_stack) {
  thread_records& t = t_records;
  if (t.nids == 0) refill_ids(t);
  record* r = take_record(t);
  r->goid = goid;
  r->is_thread = is_thread;
  r->is_main = is_main;
  r->create_stack = create_stack;
  r->id = t.ids[--t.nids];
  table_entry(r->id)->store(r, std::memory_order_release);  // release: see record_lookup_locked
  return r;
}

void record_finish(record* r) {
  if (r == nullptr) return;
  // relaxed: read by reports under the records lock, which the hand-over takes after this store.
  // Until then a report sees the goroutine as running: a stale false only words the report.
  r->finished.store(true, std::memory_order_relaxed);
  thread_records& t = t_records;
  t.finished[t.nfinished] = r;
  if (++t.nfinished == kRecordBatch) hand_over_finished(t);
}

void records_thread_exit() {
  thread_records& t = t_records;
  hand_over_finished(t);
  if (t.nids == 0 && t.nspare == 0) return;
  lock_guard<futex_lock> l(g_records_mu);
  while (t.nids > 0) g_free_ids[g_free_n++] = t.ids[--t.nids];
  while (t.nspare > 0) spare_or_free_locked(t.spares[--t.nspare]);
}

std::uint64_t trace_boundary(context* c) {
  record* r = c->rec;
  // relaxed: pos is written by the owner only, which we are; g_ring_bytes below is accounting.
  std::uint64_t p = r->pos.load(std::memory_order_relaxed);
  if (r->ring == nullptr) {
    // The first ring goes in without r->mu and uncounted (every goroutine's first event comes
    // here: a locked instruction would wait for the cold stores of its start). A reader that sees
    // the position past 0 sees the ring (restore_access), and the first ring is part of the
    // goroutine's fixed cost, like its record, which the budget does not govern either.
    r->ring = static_cast<std::uint64_t*>(internal_alloc(sizeof(std::uint64_t) * kInitialEvents));
    r->mask = kInitialEvents - 1;
    r->half_mask = kInitialEvents / 2 - 1;
    r->valid_from = p;
    write_checkpoint(c, r, p);
    return p;
  }
  // The ring grows when it is full (the next event would overwrite the oldest one kept), not at
  // every half boundary: a ring that doubled at each half ran half empty, and most goroutines of a
  // tree of them (skynet) grew once, to keep fewer than 32 events. At the other half boundary the
  // checkpoint alone is written.
  const std::uint32_t cap = r->mask + 1;
  if (p - r->valid_from < cap) {
    write_checkpoint(c, r, p);
    return p;
  }
  const std::size_t bytes = sizeof(std::uint64_t) * cap * 2;
  if (cap < g_max_events && g_ring_bytes.load(std::memory_order_relaxed) + bytes <= kRingBudget) {
    // Half of it is written here, the rest before it grows again: populated, not faulted in (the
    // main goroutine of a spawning loop grew its ring through 220 faulted pages).
    auto* ring = static_cast<std::uint64_t*>(internal_alloc_populated(bytes));
    g_ring_bytes.fetch_add(counted_bytes(cap * 2) - counted_bytes(cap), std::memory_order_relaxed);
    std::uint64_t from = p > cap ? p - cap : 0;
    if (from < r->valid_from) from = r->valid_from;
    const std::uint64_t new_mask = std::uint64_t{cap} * 2 - 1;
    copy_events(r->ring, r->mask, ring, new_mask, from, p);
    std::uint64_t* old = r->ring;
    {
      lock_guard<futex_lock> l(r->mu);
      r->ring = ring;
      r->mask = static_cast<std::uint32_t>(new_mask);
      r->half_mask = cap - 1;
      r->valid_from = from;
    }
    internal_free(old, sizeof(std::uint64_t) * cap);
    write_checkpoint(c, r, p);
    return p;
  }
  // Full and not growing: from here on the ring overwrites its oldest half. Crossing this boundary
  // under r->mu keeps a replay (restore_access, which holds it throughout) from ever seeing its
  // events change: one that came before read the whole ring; one that comes after must start past
  // the half being overwritten, so the position past the checkpoint is published before the lock
  // is let go (a replay that read the boundary itself as the end would start at the half the
  // checkpoint has just overwritten). Once per half of a ring at its limit (16K events by default).
  lock_guard<futex_lock> l(r->mu);
  write_checkpoint(c, r, p);
  r->pos.store(p, std::memory_order_release);  // release: as trace_event's
  return p;
}

void trace_range(context* c, record* r, std::uintptr_t pc, std::uintptr_t addr, std::size_t size,
                 bool read) {
  if (pc != r->prev_pc) {
    trace_event(c, r, ev::make(ev::pc, pc & ev::kPcMask));
    r->prev_pc = pc;
  }
  // The two words must not straddle a checkpoint: a boundary right after the header would leave the
  // size to be read as the checkpoint. Advance past the boundary first if needed.
  const std::uint64_t p = r->pos.load(std::memory_order_relaxed);  // relaxed: our own pos
  if (((p + 1) & r->half_mask) == 0) trace_event(c, r, ev::make(ev::pc, pc & ev::kPcMask));
  trace_event(
      c, r, ev::make(ev::range, (static_cast<std::uint64_t>(read) << 58) | (addr & ev::kAddrMask)));
  trace_event(c, r, static_cast<std::uint64_t>(size));
}

bool restore_access(record* r, std::uint32_t stamp, std::uintptr_t lo, std::uintptr_t hi, bool read,
                    bool atomic, restored_stack& out) {
  lock_guard<futex_lock> l(r->mu);
  // acquire: pairs with the owner's release of pos; every event before it is readable, and so is
  // the ring: the first is made before the first event, without r->mu (trace_boundary), and later
  // ones under it.
  const std::uint64_t end = r->pos.load(std::memory_order_acquire);
  if (end == 0) return false;
  const std::uint64_t cap = std::uint64_t{r->mask} + 1;
  const std::uint64_t half = cap / 2;
  std::uint64_t first = end > cap ? end - cap : 0;
  if (first < r->valid_from) first = r->valid_from;
  const std::uint64_t start = (first + half - 1) / half * half;
  if (start >= end) return false;

  const std::uint32_t target = stamp & 0xffffff;
  const std::uintptr_t tlo = lo & kAppMask;
  const std::uintptr_t thi = tlo + (hi - lo);
  constexpr int kMaxDepth = 256;
  std::uintptr_t frames[kMaxDepth];
  int depth = 0;
  std::uint32_t cur = 0xffffffff;
  std::uintptr_t prev_pc = 0;
  bool found = false;
  std::uintptr_t found_pc = 0;
  for (std::uint64_t i = start; i < end && !found; ++i) {
    const std::uint64_t e = r->ring[i & r->mask];
    if ((e & ev::kAccess) != 0) {
      const std::uintptr_t pc = prev_pc + ((e >> 44) & 0x3fff) - ev::kDeltaBias;
      prev_pc = pc;
      if (cur != target) continue;
      const std::uintptr_t a = e & ev::kAddrMask;
      const unsigned size = static_cast<unsigned>((e >> 58) & 7) + 1;
      const bool r_read = ((e >> 61) & 1) != 0;
      const bool r_atomic = ((e >> 62) & 1) != 0;
      if (a < thi && a + size > tlo && r_read == read && r_atomic == atomic) {
        found = true;
        found_pc = pc;
      }
      continue;
    }
    switch (ev::type_of(e)) {
      case ev::enter:
        if (depth < kMaxDepth) frames[depth] = e & ev::kPcMask;
        ++depth;
        break;
      case ev::exit:
        if (depth > 0) --depth;
        break;
      case ev::time:
        cur = static_cast<std::uint32_t>(e & 0xffffff);
        break;
      case ev::pc:
        prev_pc = e & ev::kPcMask;
        break;
      case ev::range: {
        if (++i >= end) break;
        const std::uint64_t size = r->ring[i & r->mask];
        const std::uintptr_t a = e & ev::kAddrMask;
        const bool r_read = ((e >> 58) & 1) != 0;
        if (cur == target && !atomic && r_read == read && a < thi && a + size > tlo) {
          found = true;
          found_pc = prev_pc;
        }
        break;
      }
      case ev::checkpoint: {
        // The checkpoint's stack and the one replayed so far are both the innermost frames of the
        // real stack, each cut at its own depth (a checkpoint keeps at most a quarter of a half of
        // the ring: 5 frames in a first ring): the deeper one is kept.
        const auto d = static_cast<int>(e & 0xffffffffu);
        if (d >= depth) {
          depth = 0;  // its enter events follow
        } else {
          i += static_cast<std::uint64_t>(d);
        }
        break;
      }
      default:
        break;
    }
  }
  // The owner may have written on while we read, but not past position start + cap, where it
  // would have come round to `start`: that is a boundary of a full ring, which it crosses only
  // under r->mu (trace_boundary), held here, and publishes its position past before letting go.
  // Events it wrote meanwhile went over positions before start, which the replay does not read.
  if (!found) return false;
  out.n = 0;
  out.pcs[out.n++] = found_pc;
  const int stored = depth < kMaxDepth ? depth : kMaxDepth;
  for (int k = stored - 1; k >= 0 && out.n < kMaxRestoredFrames; --k) out.pcs[out.n++] = frames[k];
  return true;
}

}  // namespace goro::race
