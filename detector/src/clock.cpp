// Vector clock operations (shapes and meaning in clock.hpp).
#include "clock.hpp"

#include <cstring>

namespace goro::race {
namespace {

std::size_t snapshot_bytes(std::uint16_t n) { return sizeof(snapshot) + sizeof(epoch_t) * n; }

// Makes room for n entries in s (zero-filled beyond s.n).
void reserve(sync_clock& s, std::uint16_t n) {
  if (n <= s.cap) return;
  const auto cap = static_cast<std::uint16_t>((n + 7) & ~7);
  auto* e = static_cast<epoch_t*>(internal_alloc(sizeof(epoch_t) * cap));
  if (s.n > 0) std::memcpy(e, s.e, sizeof(epoch_t) * s.n);
  std::memset(e + s.n, 0, sizeof(epoch_t) * (cap - s.n));
  internal_free(s.e, sizeof(epoch_t) * s.cap);
  s.e = e;
  s.cap = cap;
}

}  // namespace

void working_clock::clear() {
  std::memset(e, 0, sizeof(epoch_t) * n);
  n = 0;
  ndirty = 0;
  overflow = false;
}

void sync_clock::release_to_empty() noexcept {
  internal_free(e, sizeof(epoch_t) * cap);
  e = nullptr;
  n = cap = 0;
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
  std::memcpy(s->e, w.e, sizeof(epoch_t) * n);
  return s;
}

void frozen_clear(frozen_clock& f) {
  snapshot_unref(f.snap);
  f.snap = nullptr;
  f.nextra = 0;
}

void thaw(const frozen_clock& f, working_clock& w) {
  const std::uint16_t sn = f.snap != nullptr ? f.snap->n : 0;
  if (sn > 0) std::memcpy(w.e, f.snap->e, sizeof(epoch_t) * sn);
  if (w.n > sn) std::memset(w.e + sn, 0, sizeof(epoch_t) * (w.n - sn));
  w.n = sn;
  w.ndirty = 0;
  w.overflow = false;
  for (int i = 0; i < f.nextra; ++i) w.set(f.extra_sid[i], f.extra_epoch[i]);
}

void freeze(working_clock& w, frozen_clock& f) {
  if (!w.overflow) {
    f.nextra = w.ndirty;
    for (int i = 0; i < w.ndirty; ++i) {
      f.extra_sid[i] = w.dirty[i];
      f.extra_epoch[i] = w.e[w.dirty[i]];
    }
    return;
  }
  snapshot* s = snapshot_of(w);
  snapshot_unref(f.snap);
  f.snap = s;
  f.nextra = 0;
  w.ndirty = 0;
  w.overflow = false;
}

void frozen_raise(frozen_clock& f, int sid, epoch_t epoch) {
  epoch_t have = f.snap != nullptr && sid < f.snap->n ? f.snap->e[sid] : 0;
  for (int i = 0; i < f.nextra; ++i) {
    if (f.extra_sid[i] != sid) continue;
    if (f.extra_epoch[i] < epoch) f.extra_epoch[i] = epoch;
    return;
  }
  if (have >= epoch) return;
  if (f.nextra < kExtras) {
    f.extra_sid[f.nextra] = static_cast<std::uint8_t>(sid);
    f.extra_epoch[f.nextra] = epoch;
    ++f.nextra;
    return;
  }
  working_clock tmp{};  // thaw relies on entries beyond n being zero
  thaw(f, tmp);
  tmp.raise(sid, epoch);
  freeze(tmp, f);
}

void clock_acquire(working_clock& w, const sync_clock& s, std::uint32_t gen) {
  if (s.gen != gen) return;
  for (int i = 0; i < s.n; ++i) {
    if (s.e[i] > w.e[i]) w.set(i, s.e[i]);
  }
}

void clock_release_store(const working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                         std::uint32_t gen) {
  const auto need = static_cast<std::uint16_t>(w.n > own_sid ? w.n : own_sid + 1);
  reserve(s, need);
  std::memcpy(s.e, w.e, sizeof(epoch_t) * w.n);
  if (s.n > w.n) std::memset(s.e + w.n, 0, sizeof(epoch_t) * (s.n - w.n));
  s.n = need;
  if (own_sid >= w.n) s.e[own_sid] = 0;
  if (s.e[own_sid] < own_epoch) s.e[own_sid] = own_epoch;
  s.gen = gen;
}

void clock_release_merge(const working_clock& w, int own_sid, epoch_t own_epoch, sync_clock& s,
                         std::uint32_t gen) {
  if (s.gen != gen || s.n == 0) {
    clock_release_store(w, own_sid, own_epoch, s, gen);
    return;
  }
  const auto need = static_cast<std::uint16_t>(w.n > own_sid ? w.n : own_sid + 1);
  reserve(s, need);
  if (need > s.n) s.n = need;
  for (int i = 0; i < w.n; ++i) {
    if (s.e[i] < w.e[i]) s.e[i] = w.e[i];
  }
  if (s.e[own_sid] < own_epoch) s.e[own_sid] = own_epoch;
}

}  // namespace goro::race
