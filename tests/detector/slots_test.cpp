// Clock slots' journals (slots.cpp): a cell's (slot, epoch) names the goroutine or thread that held
// the slot then, whatever became of it, through the compact journal entries.
#include "slots.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "clock.hpp"
#include "context.hpp"
#include "history.hpp"

namespace goro::race {
namespace {

// A context of the current generation, with a record of goid, attached to a slot.
struct attached {
  context c;
  working_clock w;
  attached(std::int64_t goid, bool is_thread) {
    c.rec = record_new(goid, is_thread, false, 0);
    c.gen = g_gen.load(std::memory_order_relaxed);  // relaxed: this test's thread alone
    slot_attach(&c, w);
  }
  ~attached() {
    slot_release(&c);
    record_finish(c.rec);
  }
  attached(const attached&) = delete;
  attached& operator=(const attached&) = delete;
};

journal_entry who_ran(std::uint32_t stamp) {
  journal_entry out{};
  EXPECT_TRUE(slot_lookup(stamp & 0xffffff, out));
  return out;
}

TEST(SlotsTest, AJournalKeepsAGoroutineIdBeyondThirtyTwoBits) {
  constexpr std::int64_t kGoid = (std::int64_t{1} << 46) + 0x1234'5678;
  attached a(kGoid, false);
  const journal_entry e = who_ran(a.c.stamp);
  EXPECT_EQ(e.goid, kGoid);
  EXPECT_FALSE(e.is_thread);
  EXPECT_EQ(e.rec_id, a.c.rec->id);
  EXPECT_EQ(e.start, a.c.seg_start);
}

TEST(SlotsTest, AJournalTellsAThreadFromAGoroutine) {
  attached a(7, true);
  const journal_entry e = who_ran(a.c.stamp);
  EXPECT_EQ(e.goid, 7);
  EXPECT_TRUE(e.is_thread);
}

// With every other slot held, each new life takes the one free slot: thousands of segments in one
// journal, across many of its pages, each naming its holder at its first and a later epoch. A
// global reset starts the journals again: the old stamps name nobody, a new one its holder.
TEST(SlotsTest, OneSlotsJournalNamesEveryHolderOfThousandsOfSegments) {
  std::vector<std::unique_ptr<attached>> held;
  held.reserve(kSlots - 1);
  for (int i = 0; i < kSlots - 1; ++i) held.push_back(std::make_unique<attached>(i + 1, false));
  struct seen {
    std::uint32_t stamp;
    std::uint32_t later;
    std::int64_t goid;
  };
  constexpr std::int64_t kLives = 3000;  // 6000 epochs of the slot's 16384, 36 KiB of journal
  std::vector<seen> lives;
  lives.reserve(kLives);
  for (std::int64_t goid = 1000; goid < 1000 + kLives; ++goid) {
    attached a(goid, false);
    const std::uint32_t first = a.c.stamp;
    bump_epoch(&a.c);
    lives.push_back({first, a.c.stamp, goid});
  }
  ASSERT_EQ(lives.front().stamp & 0xff, lives.back().stamp & 0xff) << "not one slot";
  for (const seen& s : lives) {
    EXPECT_EQ(who_ran(s.stamp).goid, s.goid);
    EXPECT_EQ(who_ran(s.later).goid, s.goid);
  }
  global_reset();
  journal_entry out{};
  EXPECT_FALSE(slot_lookup(lives.back().stamp & 0xffffff, out));
  attached after(42, false);
  EXPECT_EQ(who_ran(after.c.stamp).goid, 42);
}

// Whether the page holding p is resident.
bool resident(const void* p) {
  const auto page = reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{4095};
  unsigned char in_core = 0;
  EXPECT_EQ(mincore(reinterpret_cast<void*>(page), 4096, &in_core), 0);
  return (in_core & 1) != 0;
}

// A journal's pages are populated ahead of its entries, never faulted in by the entry's write (a
// fault costs five times a populated page on the EPYC VM of docs/benchmarks.md): whenever a slot is
// taken, the bytes its next entry will take are already resident. 3,000 lives fill 9 pages.
TEST(SlotsTest, AJournalsNextEntryIsResidentBeforeItIsWritten) {
  std::vector<std::unique_ptr<attached>> held;
  held.reserve(kSlots - 1);
  for (int i = 0; i < kSlots - 1; ++i) held.push_back(std::make_unique<attached>(i + 1, false));
  for (std::int64_t goid = 1000; goid < 4000; ++goid) {
    attached a(goid, false);
    const journal_span j = journal_of(a.c.sid);
    const auto* next = static_cast<const char*>(j.base) + j.bytes_in_use;
    ASSERT_TRUE(resident(next) && resident(next + 11))
        << "the entry at byte " << j.bytes_in_use << " of slot " << int{a.c.sid}
        << "'s journal would fault in its page";
  }
}

// Slots are taken round robin, so a spawning loop writes every journal at about the same entry:
// journals whose entries sat at the same offset of their pages put all those writes in one set of
// the L1 and L2 caches. The first 64 slots' journals start on 64 different lines of their pages.
TEST(SlotsTest, NeighbouringSlotsJournalsStartOnDifferentCacheLinesOfTheirPages) {
  std::vector<bool> line_taken(64, false);
  for (int sid = 0; sid < 64; ++sid) {
    const auto base = reinterpret_cast<std::uintptr_t>(journal_of(sid).base);
    const std::uintptr_t line = base % 4096 / 64;
    EXPECT_FALSE(line_taken[line]) << "slot " << sid << "'s journal starts on line " << line
                                   << " of its page, as an earlier slot's does";
    line_taken[line] = true;
  }
}

}  // namespace
}  // namespace goro::race
