// Clock slots, epochs, journals and global resets (the model in slots.hpp).
#include "slots.hpp"

#include <algorithm>
#include <array>

#include "clock.hpp"
#include "context.hpp"
#include "shadow.hpp"
#include "stack/prefault.hpp"
#include "stack/stack.hpp"

namespace goro::race {

std::atomic<std::uint32_t> g_gen{0};
std::atomic<context*> g_slot_owner[kSlots];

namespace {

// A context that takes a held slot starts this many epochs after the last one it could see the
// holder use: the holder may still advance once before it notices (it checks ownership, unlocked,
// when it resumes and before every advance), and its cells must stay below the new segment's start.
constexpr epoch_t kPreemptGap = 4;

// A journal entry as the journal stores it: 12 bytes, not journal_entry's 16 (a spawning loop adds
// one per goroutine). The goroutine id keeps 47 bits, which a program reaches after 10^14
// goroutines; past them a report would not find the record (with_record checks the id) and would
// name a wrong goroutine id.
struct journal_record {
  std::uint32_t rec_id;
  std::uint32_t goid_lo;
  epoch_t start;
  std::uint16_t goid_hi;  // goid bits 32..46; bit 15: a plain thread
};
static_assert(sizeof(journal_record) == 12);
constexpr std::uint16_t kThreadBit = 0x8000;

// Each segment starts in a later epoch of its slot than the one before: try_take starts it past the
// slot's epoch, which slot_release and slot_reattach leave at their holder's last; so a generation
// adds at most kMaxEpoch + 1 entries to a slot's journal. It is that much address space (192 KiB
// and a page, all slots' in one region mapped at start-up), filled in order; its pages become
// resident as it fills (below). A journal that grew by copying into blocks twice its size had 1.7
// entries of capacity for each entry in use, and the blocks it outgrew stayed resident: spawn's 1M
// goroutines held 41 MiB of detector metadata, most of it journals.
constexpr std::size_t kJournalEntries = std::size_t{kMaxEpoch} + 1;
// A journal's pages are populated ahead of its entries, never faulted in: on the EPYC VM of
// docs/benchmarks.md a write fault costs 10 to 14 us, a page populated alone 2 us and one in a
// batch of 16 under 1 us, and a million goroutines' starts fill some 3,000 journal pages. The first
// page is populated by the slot's first take, before it writes there (try_take); each later batch
// when an entry passes the middle of the last populated page (journal_push): 1, 2, 4, 8 and then
// kJournalBatchPages pages, so a journal keeps at most twice the pages its entries reach (16 more
// past 16). Faulting in the first two pages, as this did before, cost spawn's million goroutines
// 512 faults, 2% of their race-build time. A batch is populated after the slot's lock, but under
// g_slots_mu when the take is slot_attach's locked one: at most six batches per slot in a
// process's life, as pages stay resident.
// Each journal starts slot % 64 cache lines into a page-aligned region one page longer than its
// entries: a spawning loop takes the slots round robin, so every journal is written at about the
// same entry, and journals a multiple of 64 KiB apart put those entries in one set of the L1 and
// L2 caches, 256 lines for 8 or 16 ways. Each entry's write then missed both (callgrind's cache
// model: 225k of spawn's 268k last-level write misses at 200k goroutines, one per entry).
constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kJournalRegion = kJournalEntries * sizeof(journal_record) + stack::kPageSize;
constexpr std::size_t kJournalPages = kJournalRegion / stack::kPageSize;
constexpr std::size_t kJournalBatchPages = 16;
static_assert(kJournalEntries * sizeof(journal_record) % stack::kPageSize == 0);

struct slot {
  spin_lock mu;
  bool exhausted = false;  // guarded by mu
  // Guarded by mu: the last epoch handed out, exact while the slot is free (its holder keeps its
  // own epoch in context::epoch).
  epoch_t epoch = 0;
  char* region = nullptr;             // page-aligned: the journal's pages (slots_init)
  journal_record* journal = nullptr;  // kJournalEntries of them, a few lines into the region
  std::uint32_t jn = 0;               // guarded by mu: entries in use (this generation)
  // Guarded by mu: the journal's pages [1, populated) are resident or being populated; they stay
  // resident across generations.
  std::uint32_t populated = 1;
  // Whether the first page was populated. relaxed (both ways): two first takes that race both
  // populate it, harmlessly; one that finds it set writes there at most a page fault early.
  std::atomic<bool> first_page{false};
};

slot g_slots[kSlots];
futex_lock g_slots_mu;
int g_hand = 0;  // guarded by g_slots_mu: where the next search for a held slot starts
// Where the next search for a free slot starts. relaxed: a hint; searches run without g_slots_mu
// (take_free_slot), and two that start from the same place just compete for the same slots.
std::atomic<unsigned> g_free_hand{0};
// Free slots (no owner, not exhausted): byte i % 8 of word i / 8 is 1 when slot i is free. A byte
// changes only under its slot's lock, together with the owner, so under that lock it is exact;
// read without the lock it says where to look (try_take rechecks). A byte per slot, not a bit: a
// slot's flag is then set and cleared with a plain byte store, where a shared bit needed a locked
// and/or (two locked instructions of every goroutine's life, on the Xeon VM of docs/benchmarks.md
// each a wait for the cold stores before it). The words are read whole, with the scan below. x86-64
// (the detector's only target) keeps such mixed-size atomic accesses coherent.
// Free slots are taken round robin, not lowest first: a slot freed by a goroutine that just ended
// is then reused last. Whoever acquires from a slot's later holder appears to have synchronised
// with its earlier ones (a clock entry covers a prefix of the slot's epochs), so a goroutine taking
// over a just-freed slot would pass its predecessor's accesses on as ordered and hide their races
// (lowest first did, in e2e cases of two goroutines).
static_assert(kSlots == 256);
constexpr unsigned kFreeWords = kSlots / 8;
constexpr std::uint64_t kAllFree = 0x0101010101010101u;
constexpr std::array<std::uint64_t, kFreeWords> all_free() {
  std::array<std::uint64_t, kFreeWords> words{};
  for (std::uint64_t& word : words) word = kAllFree;
  return words;
}
alignas(64) constinit std::array<std::uint64_t, kFreeWords> g_free = all_free();

// relaxed (all below): see g_free; the slot lock orders the byte with the owner.
void set_free_byte(unsigned i, std::uint8_t v) {
  __atomic_store_n(reinterpret_cast<std::uint8_t*>(&g_free[i / 8]) + i % 8, v, __ATOMIC_RELAXED);
}
void mark_free(unsigned i) { set_free_byte(i, 1); }
void mark_not_free(unsigned i) { set_free_byte(i, 0); }
std::uint64_t free_word(unsigned w) { return __atomic_load_n(&g_free[w], __ATOMIC_RELAXED); }
// Whether any slot's flag is set. With more goroutines alive than slots none is, and a goroutine
// that starts or resumes without a slot scans twice (once more under g_slots_mu) before it takes
// a parked one's: take_free_slot's rotating scan of every word found nothing in 46M of skynet's
// 970M instructions. The words OR-ed together, read as take_free_slot reads them; asked only
// after the hand's word, where a program with few goroutines finds its free slot.
bool any_free() {
  std::uint64_t any = 0;
  for (unsigned w = 0; w < kFreeWords; ++w) any |= free_word(w);
  return any != 0;
}
void mark_all_free() {
  for (std::uint64_t& word : g_free) __atomic_store_n(&word, kAllFree, __ATOMIC_RELAXED);
}

std::atomic<std::uint32_t> g_resets{0};  // relaxed: a statistic

// Pages of a journal to populate, claimed under the slot's lock and populated after it.
struct journal_pages {
  std::uintptr_t from = 0;
  std::size_t bytes = 0;
};

// Under s.mu. When the entry is written past the middle of the last populated page, the batch after
// it is claimed.
journal_pages journal_push(slot& s, epoch_t start, const record* r) {
  if (s.jn == kJournalEntries) die("journal_push: a slot's journal outgrew its epochs");
  const auto goid = static_cast<std::uint64_t>(r != nullptr ? r->goid : 0);
  auto hi = static_cast<std::uint16_t>((goid >> 32) & 0x7fff);
  if (r != nullptr && r->is_thread) hi |= kThreadBit;
  const auto at = static_cast<std::size_t>(reinterpret_cast<char*>(&s.journal[s.jn]) - s.region);
  s.journal[s.jn++] = {r != nullptr ? r->id : 0, static_cast<std::uint32_t>(goid), start, hi};
  journal_pages ahead;
  const std::size_t last_middle = (s.populated - 1) * stack::kPageSize + stack::kPageSize / 2;
  if (at >= last_middle && s.populated < kJournalPages) {
    const std::size_t n =
        std::min({std::size_t{s.populated}, kJournalBatchPages, kJournalPages - s.populated});
    ahead.from = reinterpret_cast<std::uintptr_t>(s.region) + s.populated * stack::kPageSize;
    ahead.bytes = n * stack::kPageSize;
    s.populated += static_cast<std::uint32_t>(n);
  }
  return ahead;
}

void reset_locked() {
  for (slot& s : g_slots) s.mu.lock();
  // relaxed: contexts notice the new generation at their next slot operation; the slot locks held
  // here order everything that matters (slot ownership) against it.
  const std::uint32_t gen = g_gen.fetch_add(1, std::memory_order_relaxed) + 1;
  for (slot& s : g_slots) {  // relaxed stores below: every slot lock is held (see g_slot_owner)
    g_slot_owner[&s - g_slots].store(nullptr, std::memory_order_relaxed);
    s.exhausted = false;
    s.epoch = 0;
    s.jn = 0;
  }
  mark_all_free();  // every slot lock is held
  for (slot& s : g_slots) s.mu.unlock();
  // Cells of the generations since the last wipe differ from the new one in their two generation
  // bits and count as empty (shadow.hpp), so the shadow is wiped only when those bits come round
  // again: at one reset in four. A wipe hands every touched page back to the kernel, and the pages
  // in use fault in twice each (zero page, then a copy) right after: half a second of a
  // million-goroutine skynet's seven, for a reset it needed once. A goroutine still writing cells
  // of an old generation notices the new one at its next switch, synchronisation or preemption,
  // long before three more resets (each spends millions of epochs) could bring its bits round.
  if ((gen & 3u) == 0) reset_all_shadow();
  g_resets.fetch_add(1, std::memory_order_relaxed);  // relaxed: a statistic
}

// Tries to give slot i to c, in generation gen. pass 0 takes free slots, 1 those of parked
// contexts, 2 any. Always inlined: where pass is the constant 0 (take_in_word, at every
// goroutine's start), the other passes' tests fold away.
__attribute__((always_inline)) inline bool try_take(context* c, int i, int pass,
                                                    std::uint32_t gen) {
  slot& s = g_slots[i];
  std::atomic<context*>& owner = g_slot_owner[i];
  // relaxed: a hint (context::running); a peek before locking, rechecked under mu.
  const auto passes_over = [pass](const context* holder) {
    return (pass == 0 && holder != nullptr) ||
           (pass == 1 && (holder == nullptr || holder->running.load(std::memory_order_relaxed)));
  };
  if (passes_over(owner.load(std::memory_order_relaxed))) return false;  // relaxed: a peek
  if (GORO_UNLIKELY(!s.first_page.load(std::memory_order_relaxed))) {    // relaxed: see slot
    stack::populate_range(reinterpret_cast<std::uintptr_t>(s.region), stack::kPageSize);
    s.first_page.store(true, std::memory_order_relaxed);
  }
  epoch_t start;
  journal_pages ahead;
  {
    lock_guard<spin_lock> l(s.mu);
    // A reset takes every slot's lock to change the generation, so under mu it is exact: a taker
    // without g_slots_mu (pass 0) that read it before a reset gives up here.
    if (s.exhausted || g_gen.load(std::memory_order_relaxed) != gen) return false;
    context* victim = owner.load(std::memory_order_relaxed);  // relaxed: mu is held
    if (passes_over(victim)) return false;
    epoch_t base = s.epoch;
    if (victim != nullptr) {
      // relaxed: see kPreemptGap. A parked holder is treated as a running one: it checks
      // ownership without the lock when it resumes, so it may still advance once too.
      const epoch_t seen = victim->epoch.load(std::memory_order_relaxed);
      if (seen > base) base = seen;
      base = static_cast<epoch_t>(base + kPreemptGap);
    }
    if (base >= kMaxEpoch - 2 * kPreemptGap) {
      s.exhausted = true;
      if (victim == nullptr) mark_not_free(static_cast<unsigned>(i));
      return false;
    }
    start = static_cast<epoch_t>(base + 1);
    if (victim == nullptr) mark_not_free(static_cast<unsigned>(i));
    owner.store(c, std::memory_order_relaxed);  // relaxed: mu is held
    s.epoch = start;
    ahead = journal_push(s, start, c->rec);
  }
  if (ahead.bytes != 0) stack::populate_range(ahead.from, ahead.bytes);
  c->sid = static_cast<std::uint8_t>(i);
  c->seg_start = start;
  // relaxed: c's own epoch; a preempting thread reads it as a bound only (kPreemptGap).
  c->epoch.store(start, std::memory_order_relaxed);
  c->has_slot = true;
  c->stamp = make_stamp(i, start, gen);
  return true;
}

// A free slot among word w's flagged bytes, taken lowest first; the free hand moves past it.
bool take_in_word(context* c, unsigned w, std::uint64_t bytes, std::uint32_t gen) {
  for (; bytes != 0; bytes &= bytes - 1) {
    const unsigned i = w * 8 + static_cast<unsigned>(__builtin_ctzll(bytes)) / 8;
    if (try_take(c, static_cast<int>(i), 0, gen)) {
      g_free_hand.store((i + 1) % unsigned{kSlots}, std::memory_order_relaxed);  // relaxed: a hint
      return true;
    }
  }
  return false;
}

// Pass 0: the next free slot from the free hand on, wrapping around. Needs no g_slots_mu: a free
// slot is taken under its own lock alone (try_take). The hand's own word at or after the hand is
// where a goroutine's start usually finds its slot, and is tested first on its own; then the other
// words, then the hand's word below the hand. (The general loop this replaces spent 76
// instructions of every goroutine's start in spawn's race build on its index arithmetic.)
bool take_free_slot(context* c, std::uint32_t gen) {
  const unsigned from = g_free_hand.load(std::memory_order_relaxed);  // relaxed: see g_free_hand
  const unsigned hand_word = from / 8;
  const std::uint64_t from_hand = ~std::uint64_t{0} << (from % 8 * 8);
  // free_word: a hint (g_free), rechecked by try_take.
  if (take_in_word(c, hand_word, free_word(hand_word) & from_hand, gen)) return true;
  if (!any_free()) return false;  // see any_free
  for (unsigned k = 1; k < kFreeWords; ++k) {
    const unsigned w = (hand_word + k) % kFreeWords;
    if (take_in_word(c, w, free_word(w), gen)) return true;
  }
  return take_in_word(c, hand_word, free_word(hand_word) & ~from_hand, gen);
}

}  // namespace

void slots_init() {
  auto* all = static_cast<char*>(map_metadata(kJournalRegion * static_cast<std::size_t>(kSlots)));
  for (int i = 0; i < kSlots; ++i) {
    slot& s = g_slots[i];
    s.region = all + kJournalRegion * static_cast<std::size_t>(i);
    const std::size_t lines = static_cast<std::size_t>(i) % (stack::kPageSize / kCacheLine);
    s.journal = reinterpret_cast<journal_record*>(s.region + lines * kCacheLine);
  }
}

journal_span journal_of(int sid) {
  slot& s = g_slots[sid];
  lock_guard<spin_lock> l(s.mu);
  return {s.journal, s.jn * sizeof(journal_record)};
}

std::size_t journal_bytes_in_use() {
  std::size_t n = 0;
  for (slot& s : g_slots) {
    lock_guard<spin_lock> l(s.mu);
    n += s.jn;
  }
  return n * sizeof(journal_record);
}

void slot_regenerate(context* c, working_clock* w) {
  frozen_clear(c->clk);
  if (w != nullptr) w->clear();
  c->has_slot = false;
  c->bump_on_resume = false;
  // relaxed: a stale generation is noticed at the next check (see g_gen); under g_slots_mu, exact.
  c->gen = g_gen.load(std::memory_order_relaxed);
}

void slot_attach(context* c, working_clock& w) {
  // The common case, a free slot, without the table lock: on the Xeon VM of docs/benchmarks.md its
  // two locked instructions were most of slot_attach's time, a tenth of spawn's race build.
  // relaxed: try_take checks the generation again under the slot's lock.
  const std::uint32_t now = g_gen.load(std::memory_order_relaxed);
  if (c->gen != now || !take_free_slot(c, now)) {
    lock_guard<futex_lock> l(g_slots_mu);
    for (;;) {
      // relaxed: g_gen changes only under g_slots_mu, which we hold.
      const std::uint32_t gen = g_gen.load(std::memory_order_relaxed);
      if (c->gen != gen) slot_regenerate(c, &w);
      bool taken = take_free_slot(c, gen);
      for (int pass = 1; pass < 3 && !taken; ++pass) {
        for (int k = 0; k < kSlots && !taken; ++k) {
          const int i = g_hand;
          g_hand = (g_hand + 1) % kSlots;
          taken = try_take(c, i, pass, gen);
        }
      }
      if (taken) break;
      reset_locked();  // every slot is exhausted
    }
  }
  if (c->rec != nullptr) trace_event(c, c->rec, ev::make(ev::time, c->stamp));
}

void slot_release(context* c) {
  if (!c->has_slot) return;
  c->has_slot = false;
  slot& s = g_slots[c->sid];
  lock_guard<spin_lock> l(s.mu);
  // relaxed: owner under mu; c->epoch is written only by c's own thread, which this is.
  std::atomic<context*>& owner = g_slot_owner[c->sid];
  if (owner.load(std::memory_order_relaxed) != c) return;
  owner.store(nullptr, std::memory_order_relaxed);
  s.epoch = c->epoch.load(std::memory_order_relaxed);
  mark_free(c->sid);
}

void slot_reattach(context* c, working_clock& w) {
  if (c->has_slot) {
    // relaxed: c's own epoch; a stale g_gen only delays noticing a reset (see g_gen). Under mu
    // below, the owner is relaxed too.
    const epoch_t e = c->epoch.load(std::memory_order_relaxed);
    if (c->gen == g_gen.load(std::memory_order_relaxed)) w.raise(c->sid, e);
    slot& s = g_slots[c->sid];
    {
      lock_guard<spin_lock> l(s.mu);
      std::atomic<context*>& owner = g_slot_owner[c->sid];
      if (owner.load(std::memory_order_relaxed) == c) {
        owner.store(nullptr, std::memory_order_relaxed);
        s.epoch = e;
        if (e >= kMaxEpoch - 2 * kPreemptGap) {
          s.exhausted = true;
        } else {
          mark_free(c->sid);
        }
      }
    }
    c->has_slot = false;
  }
  slot_attach(c, w);
}

void bump_epoch(context* c) {
  // relaxed: own epoch; the owner check is g_slot_owner's unlocked one; a stale g_gen only delays
  // noticing a reset.
  const epoch_t e = c->epoch.load(std::memory_order_relaxed);
  if (GORO_UNLIKELY(!c->has_slot || e >= kMaxEpoch - 2 * kPreemptGap ||
                    g_slot_owner[c->sid].load(std::memory_order_relaxed) != c ||
                    c->gen != g_gen.load(std::memory_order_relaxed))) {
    slot_reattach(c, *tls.vc);
    return;
  }
  const auto next = static_cast<epoch_t>(e + 1);
  c->epoch.store(next, std::memory_order_relaxed);  // relaxed: see try_take's store
  c->stamp = make_stamp(c->sid, next, c->gen);
  if (c->rec != nullptr) trace_event(c, c->rec, ev::make(ev::time, c->stamp));
}

bool slot_lookup(std::uint32_t stamp, journal_entry& out) {
  const int sid = static_cast<int>(stamp & 0xff);
  const auto epoch = static_cast<epoch_t>((stamp >> kEpochShift) & kMaxEpoch);
  const std::uint32_t gen = (stamp >> kGenShift) & 3u;
  slot& s = g_slots[sid];
  lock_guard<spin_lock> l(s.mu);
  // relaxed: reset_locked changes g_gen holding every slot lock, mu among them.
  if ((g_gen.load(std::memory_order_relaxed) & 3u) != gen) return false;
  // Entries are in increasing epoch order: the last one starting at or before epoch.
  std::uint32_t lo = 0, hi = s.jn;
  while (lo < hi) {
    const std::uint32_t mid = (lo + hi) / 2;
    if (s.journal[mid].start <= epoch) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return false;
  const journal_record& e = s.journal[lo - 1];
  out.start = e.start;
  out.is_thread = (e.goid_hi & kThreadBit) != 0;
  out.rec_id = e.rec_id;
  out.goid = static_cast<std::int64_t>((std::uint64_t{e.goid_hi & 0x7fffu} << 32) | e.goid_lo);
  return true;
}

void global_reset() {
  lock_guard<futex_lock> l(g_slots_mu);
  reset_locked();
}

// relaxed: a statistic.
std::uint32_t reset_count() { return g_resets.load(std::memory_order_relaxed); }

}  // namespace goro::race
