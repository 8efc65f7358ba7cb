// Vector clock operations (shapes and meaning in clock.hpp).
#include "clock.hpp"

#include <immintrin.h>

#include <cstring>

namespace goro::race {
namespace {

// Epochs fit in 15 bits, so SSE2's signed 16-bit compare and max order them as unsigned numbers.
static_assert(kMaxEpoch < 0x8000);

GORO_TLS working_clock t_scratch;
constexpr std::uint64_t kVersionsPerBlock = std::uint64_t{1} << 32;
std::atomic<std::uint64_t> g_version_blocks{0};  // relaxed: only hands out distinct numbers

__m128i load_lane(const epoch_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
void store_lane(epoch_t* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
// One bit per entry of a lane (bit 2k for entry k) where a > b.
unsigned greater_entries(__m128i a, __m128i b) {
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpgt_epi16(a, b))) & 0x5555u;
}
int round_to_lanes(int n) { return (n + kLanes - 1) & ~(kLanes - 1); }

// Whether the CPU has AVX2, whose 32-byte registers take two lanes at a time (clocks_init).
bool g_avx2 = false;

// Two lanes at a time (AVX2): the 32-byte counterparts of the helpers above.
constexpr int kWideLanes = 2 * kLanes;
__attribute__((target("avx2"))) __m256i load_wide(const epoch_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
__attribute__((target("avx2"))) void store_wide(epoch_t* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}
__attribute__((target("avx2"))) unsigned greater_entries(__m256i a, __m256i b) {
  return static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpgt_epi16(a, b))) & 0x55555555u;
}

std::size_t snapshot_bytes(std::uint16_t n) { return sizeof(snapshot) + sizeof(epoch_t) * n; }

// Makes room for n entries in s (zero-filled beyond s.n).
void reserve(sync_clock& s, std::uint16_t n) {
  if (n <= s.cap) return;
  const auto cap = static_cast<std::uint16_t>(round_to_lanes(n));
  auto* e = static_cast<epoch_t*>(internal_alloc(sizeof(epoch_t) * cap));
  if (s.n > 0) std::memcpy(e, s.e, sizeof(epoch_t) * s.n);
  std::memset(e + s.n, 0, sizeof(epoch_t) * (cap - s.n));
  internal_free(s.e, sizeof(epoch_t) * s.cap);
  s.e = e;
  s.cap = cap;
}

}  // namespace

void clocks_init(bool allow_wide) {
  __builtin_cpu_init();
  g_avx2 = allow_wide && __builtin_cpu_supports("avx2") != 0;
}

bool clocks_wide() { return g_avx2; }

void working_clock::clear() {
  std::memset(e, 0, sizeof(epoch_t) * n);
  n = 0;
  ndirty = 0;
  overflow = false;
  changed = true;
  base = 0;
}

void sync_clock::release_to_empty() noexcept {
  internal_free(e, sizeof(epoch_t) * cap);
  e = nullptr;
  n = cap = 0;
  snapshot_unref(covers);
  covers = nullptr;
}

void snapshot_ref(snapshot* s) {
  // relaxed: taking another reference needs no ordering; the snapshot is immutable and was
  // published to us by whoever handed us the pointer.
  if (s != nullptr) s->refs.fetch_add(1, std::memory_order_relaxed);
}

void snapshot_unref(snapshot* s) {
  if (s == nullptr) return;
  // acq_rel: the last owner must see every other owner's reads finished before it frees.
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) internal_free(s, snapshot_bytes(s->n));
}

snapshot* snapshot_of(const working_clock& w) {
  std::uint16_t n = w.n;
  while (n > 0 && w.e[n - 1] == 0) --n;
  if (n == 0) return nullptr;
  auto* s = static_cast<snapshot*>(internal_alloc(snapshot_bytes(n)));
  // relaxed: the snapshot is published by the pointer store that follows, under the owner's
  // exclusive access to the frozen clock (or the sync that hands the goroutine over).
  s->refs.store(1, std::memory_order_relaxed);
  s->n = n;
  s->id = next_clock_version();
  std::memcpy(s->e, w.e, sizeof(epoch_t) * n);
  return s;
}

constinit GORO_TLS std::uint64_t t_last_clock_version = 0;

// The thread's first version, or its block ran out (the low 32 bits wrapped): a new block, whose
// first version is its number times 2^32 plus 1.
std::uint64_t next_clock_version_block() {
  const std::uint64_t block = g_version_blocks.fetch_add(1, std::memory_order_relaxed) + 1;
  t_last_clock_version = block * kVersionsPerBlock + 1;
  return t_last_clock_version;
}

void frozen_clear(frozen_clock& f) {
  snapshot_unref(f.snap);
  f.snap = nullptr;
  f.nextra = 0;
  f.version = next_clock_version();
}

void thaw(const frozen_clock& f, working_clock& w) {
  const snapshot* snap = f.snap;
  const std::uint16_t sn = snap != nullptr ? snap->n : 0;
  const std::uint64_t id = snap != nullptr ? snap->id : 0;
  if (!w.overflow && w.base == id) {
    // w is the snapshot already, but for its dirty entries: those go back to the snapshot's values
    // (zero past its width, which also makes w's width the snapshot's).
    for (int i = 0; i < w.ndirty; ++i) {
      const int sid = w.dirty[i];
      w.e[sid] = sid < sn ? snap->e[sid] : 0;
    }
  } else {
    if (sn > 0) std::memcpy(w.e, snap->e, sizeof(epoch_t) * sn);
    if (w.n > sn) std::memset(w.e + sn, 0, sizeof(epoch_t) * (w.n - sn));
    w.base = id;
  }
  w.n = sn;
  w.overflow = false;
  w.changed = false;
  // The extras name distinct slots (freeze and frozen_raise add each once) and the dirty set starts
  // empty: they become the dirty set as they are, without set()'s search for a duplicate.
  for (int i = 0; i < f.nextra; ++i) {
    const int sid = f.extra_sid[i];
    w.e[sid] = f.extra_epoch[i];
    if (sid >= w.n) w.n = static_cast<std::uint16_t>(sid + 1);
    w.dirty[i] = f.extra_sid[i];
  }
  w.ndirty = f.nextra;
}

namespace {

// freeze's rare case, kept out of line: inlined, it made every freeze save and restore the
// registers the snapshot's allocation needs (a third of a hand-off's freeze of the parked peer).
__attribute__((noinline)) void freeze_to_snapshot(working_clock& w, frozen_clock& f) {
  snapshot* s = snapshot_of(w);
  snapshot_unref(f.snap);
  f.snap = s;
  w.base = s != nullptr ? s->id : 0;
  f.nextra = 0;
  w.ndirty = 0;
  w.overflow = false;
}

}  // namespace

void freeze_changed(working_clock& w, frozen_clock& f) {
  w.changed = false;
  f.version = next_clock_version();
  if (GORO_UNLIKELY(w.overflow)) {
    freeze_to_snapshot(w, f);
    return;
  }
  f.nextra = w.ndirty;
  for (int i = 0; i < w.ndirty; ++i) {
    f.extra_sid[i] = w.dirty[i];
    f.extra_epoch[i] = w.e[w.dirty[i]];
  }
}

void frozen_raise(frozen_clock& f, int sid, epoch_t epoch) {
  epoch_t have = f.snap != nullptr && sid < f.snap->n ? f.snap->e[sid] : 0;
  for (int i = 0; i < f.nextra; ++i) {
    if (f.extra_sid[i] != sid) continue;
    if (f.extra_epoch[i] < epoch) {
      f.extra_epoch[i] = epoch;
      f.version = next_clock_version();
    }
    return;
  }
  if (have >= epoch) return;
  if (f.nextra < kExtras) {
    f.extra_sid[f.nextra] = static_cast<std::uint8_t>(sid);
    f.extra_epoch[f.nextra] = epoch;
    ++f.nextra;
    f.version = next_clock_version();
    return;
  }
  working_clock& tmp = scratch_clock();
  thaw(f, tmp);
  tmp.raise(sid, epoch);
  freeze(tmp, f);
}

working_clock& scratch_clock() { return t_scratch; }

namespace {

// Notes that the entries of w's lane at i named by `newer` (greater_entries bits, not 0) were
// raised: w's width covers them, and they join the dirty set until it overflows, after which
// naming them is moot (freeze takes a snapshot of the whole clock).
void note_raised(working_clock& w, int i, unsigned newer) {
  const int top = i + (31 - __builtin_clz(newer)) / 2;
  if (top >= w.n) w.n = static_cast<std::uint16_t>(top + 1);
  w.changed = true;
  for (; newer != 0 && !w.overflow; newer &= newer - 1) w.mark_dirty(i + __builtin_ctz(newer) / 2);
}

// w = w joined with the entries [from, n) of e, which is readable (zero-padded) to whole lanes.
void join_lanes(working_clock& w, const epoch_t* e, int from, int n) {
  for (int i = from; i < n; i += kLanes) {
    const __m128i theirs = load_lane(e + i);
    const __m128i ours = load_lane(w.e + i);
    const unsigned newer = greater_entries(theirs, ours);
    if (GORO_LIKELY(newer == 0)) continue;
    store_lane(w.e + i, _mm_max_epi16(theirs, ours));
    note_raised(w, i, newer);
  }
}

// The same from 0, two lanes at a time (AVX2), up to the last whole pair below n; returns where it
// stopped.
__attribute__((target("avx2"))) int join_wide(working_clock& w, const epoch_t* e, int n) {
  int i = 0;
  for (; i + kWideLanes <= n; i += kWideLanes) {
    const __m256i theirs = load_wide(e + i);
    const __m256i ours = load_wide(w.e + i);
    const unsigned newer = greater_entries(theirs, ours);
    if (GORO_LIKELY(newer == 0)) continue;
    store_wide(w.e + i, _mm256_max_epi16(theirs, ours));
    note_raised(w, i, newer);
  }
  return i;
}

void join_entries(working_clock& w, const epoch_t* e, int n) {
  join_lanes(w, e, g_avx2 ? join_wide(w, e, n) : 0, n);
}

// clock_exchange's join of a and b's entries [from, n), a lane at a time.
void exchange_lanes(working_clock& a, working_clock& b, int from, int n) {
  for (int i = from; i < n; i += kLanes) {
    const __m128i in_a = load_lane(a.e + i);
    const __m128i in_b = load_lane(b.e + i);
    const unsigned b_newer = greater_entries(in_b, in_a);
    const unsigned a_newer = greater_entries(in_a, in_b);
    if (GORO_LIKELY((a_newer | b_newer) == 0)) continue;
    const __m128i joined = _mm_max_epi16(in_a, in_b);
    if (b_newer != 0) {
      store_lane(a.e + i, joined);
      note_raised(a, i, b_newer);
    }
    if (a_newer != 0) {
      store_lane(b.e + i, joined);
      note_raised(b, i, a_newer);
    }
  }
}

// The same from 0, two lanes at a time (AVX2), up to the last whole pair below n; returns where it
// stopped.
__attribute__((target("avx2"))) int exchange_wide(working_clock& a, working_clock& b, int n) {
  int i = 0;
  for (; i + kWideLanes <= n; i += kWideLanes) {
    const __m256i in_a = load_wide(a.e + i);
    const __m256i in_b = load_wide(b.e + i);
    const unsigned b_newer = greater_entries(in_b, in_a);
    const unsigned a_newer = greater_entries(in_a, in_b);
    if (GORO_LIKELY((a_newer | b_newer) == 0)) continue;
    const __m256i joined = _mm256_max_epi16(in_a, in_b);
    if (b_newer != 0) {
      store_wide(a.e + i, joined);
      note_raised(a, i, b_newer);
    }
    if (a_newer != 0) {
      store_wide(b.e + i, joined);
      note_raised(b, i, a_newer);
    }
  }
  return i;
}

}  // namespace

void clock_acquire(working_clock& w, const sync_clock& s, std::uint32_t gen) {
  if (s.gen == gen) join_entries(w, s.e, s.n);
}

void clock_exchange(working_clock& a, working_clock& b) {
  if (!a.overflow && !b.overflow && a.base == b.base) {
    // Both are one snapshot outside their dirty sets, so their join differs from each only in the
    // other's dirty entries: a goroutine handing a value to its creator, whose snapshot it started
    // from, exchanges a few entries, not the creator's whole width.
    const std::uint8_t na = a.ndirty;
    std::uint8_t from_a[kExtras];
    for (int i = 0; i < na; ++i) from_a[i] = a.dirty[i];
    for (int i = 0; i < b.ndirty; ++i) a.raise(b.dirty[i], b.e[b.dirty[i]]);
    for (int i = 0; i < na; ++i) b.raise(from_a[i], a.e[from_a[i]]);
    return;
  }
  const int n = a.n > b.n ? a.n : b.n;
  exchange_lanes(a, b, g_avx2 ? exchange_wide(a, b, n) : 0, n);
}

namespace {

// s no longer has every entry of the snapshot it covered (it is about to be replaced).
void forget_covered(sync_clock& s) {
  if (GORO_UNLIKELY(s.covers != nullptr)) {
    snapshot_unref(s.covers);
    s.covers = nullptr;
  }
}

// s = the n entries at e (the rest zero), sized for need >= n entries, in generation gen.
void store_entries(const epoch_t* e, std::uint16_t n, std::uint16_t need, sync_clock& s,
                   std::uint32_t gen) {
  forget_covered(s);
  reserve(s, need);
  if (n > 0) std::memcpy(s.e, e, sizeof(epoch_t) * n);
  if (s.n > n) std::memset(s.e + n, 0, sizeof(epoch_t) * (s.n - n));
  s.n = need;
  s.gen = gen;
}

void add_own_segment(int own_sid, epoch_t own_epoch, sync_clock& s) {
  if (s.e[own_sid] < own_epoch) s.e[own_sid] = own_epoch;
}

std::uint16_t entries_needed(std::uint16_t n, int own_sid) {
  return static_cast<std::uint16_t>(n > own_sid ? n : own_sid + 1);
}

}  // namespace

void clock_release_store(const working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                         std::uint32_t gen) {
  store_entries(w.e, w.n, entries_needed(w.n, own_sid), s, gen);
  add_own_segment(own_sid, own_epoch, s);
}

void frozen_release_store(const frozen_clock& f, int own_sid, epoch_t own_epoch, sync_clock& s,
                          std::uint32_t gen) {
  std::uint16_t n = f.snap != nullptr ? f.snap->n : 0;
  std::uint16_t need = n;
  for (int i = 0; i < f.nextra; ++i) need = entries_needed(need, f.extra_sid[i]);
  store_entries(f.snap != nullptr ? f.snap->e : nullptr, n, entries_needed(need, own_sid), s, gen);
  for (int i = 0; i < f.nextra; ++i) s.e[f.extra_sid[i]] = f.extra_epoch[i];
  add_own_segment(own_sid, own_epoch, s);
}

namespace {

// clock_acquire_release's join of the entries [from, to), a lane at a time.
int acquire_release_lanes(working_clock& w, sync_clock& s, int from, int to) {
  for (int i = from; i < to; i += kLanes) {
    const __m128i mine = load_lane(w.e + i);
    const __m128i theirs = load_lane(s.e + i);
    const unsigned newer = greater_entries(theirs, mine);
    if (newer == 0) {
      store_lane(s.e + i, mine);
      continue;
    }
    const __m128i joined = _mm_max_epi16(mine, theirs);
    store_lane(w.e + i, joined);
    store_lane(s.e + i, joined);
    note_raised(w, i, newer);
  }
  return to;
}

// The same two lanes at a time, up to the last whole pair below `to`; returns where it stopped.
__attribute__((target("avx2"))) int acquire_release_wide(working_clock& w, sync_clock& s, int to) {
  int i = 0;
  for (; i + kWideLanes <= to; i += kWideLanes) {
    const __m256i mine = load_wide(w.e + i);
    const __m256i theirs = load_wide(s.e + i);
    const unsigned newer = greater_entries(theirs, mine);
    if (newer == 0) {
      store_wide(s.e + i, mine);
      continue;
    }
    const __m256i joined = _mm256_max_epi16(mine, theirs);
    store_wide(w.e + i, joined);
    store_wide(s.e + i, joined);
    note_raised(w, i, newer);
  }
  return i;
}

}  // namespace

void clock_acquire_release(working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                           std::uint32_t gen) {
  if (s.gen != gen) {  // nothing to acquire from another generation
    clock_release_store(w, own_sid, own_epoch, s, gen);
    return;
  }
  // Both sides end as their join: w takes s's newer entries, s becomes w (the release store).
  // s's entries at or beyond the joined w's width are zero, as w took every nonzero one.
  forget_covered(s);
  const std::uint16_t width = w.n > s.n ? w.n : s.n;
  reserve(s, entries_needed(width, own_sid));
  const int done = g_avx2 ? acquire_release_wide(w, s, width) : 0;
  acquire_release_lanes(w, s, done, width);
  s.n = entries_needed(w.n, own_sid);
  add_own_segment(own_sid, own_epoch, s);
}

void clock_release_merge(const working_clock& w, snapshot* base, int own_sid, epoch_t own_epoch,
                         sync_clock& s, std::uint32_t gen) {
  if (s.gen != gen || s.n == 0) {
    clock_release_store(w, own_sid, own_epoch, s, gen);
  } else if (!w.overflow && (base == nullptr || base == s.covers)) {
    // s has every entry of base already, and w differs from base only in its dirty set: a
    // spawning loop's goroutines share their creator's snapshot and each merges a few entries
    // into the WaitGroup they are done with, not the creator's whole width.
    std::uint16_t need = entries_needed(s.n, own_sid);
    for (int i = 0; i < w.ndirty; ++i) need = entries_needed(need, w.dirty[i]);
    reserve(s, need);
    s.n = need;
    for (int i = 0; i < w.ndirty; ++i) {
      const int sid = w.dirty[i];
      if (s.e[sid] < w.e[sid]) s.e[sid] = w.e[sid];
    }
    add_own_segment(own_sid, own_epoch, s);
  } else {
    const std::uint16_t need = entries_needed(w.n, own_sid);
    reserve(s, need);
    if (need > s.n) s.n = need;
    // Entries of w beyond w.n are zero: the max leaves s's there as they are.
    for (int i = 0; i < w.n; i += kLanes) {
      store_lane(s.e + i, _mm_max_epi16(load_lane(s.e + i), load_lane(w.e + i)));
    }
    add_own_segment(own_sid, own_epoch, s);
  }
  // s now has every entry of w, and w has every entry of base (clocks only grow in a generation).
  if (base != nullptr && base != s.covers) {
    snapshot_unref(s.covers);
    snapshot_ref(base);
    s.covers = base;
  }
}

}  // namespace goro::race
