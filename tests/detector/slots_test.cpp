// Clock slots' journals (slots.cpp): a cell's (slot, epoch) names the goroutine or thread that held
// the slot then, whatever became of it, through the compact journal entries.
#include "slots.hpp"

#include <gtest/gtest.h>

#include <cstdint>
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

// Slots are handed out round robin, so a few thousand lives put many segments in every journal;
// each stamp still finds its own holder, including the later epochs of a segment.
TEST(SlotsTest, EveryEpochOfManySegmentsNamesItsHolder) {
  struct seen {
    std::uint32_t stamp;
    std::uint32_t later;
    std::int64_t goid;
  };
  std::vector<seen> lives;
  for (std::int64_t goid = 1000; goid < 1000 + 8 * kSlots; ++goid) {
    attached a(goid, false);
    const std::uint32_t first = a.c.stamp;
    bump_epoch(&a.c);
    lives.push_back({first, a.c.stamp, goid});
  }
  for (const seen& s : lives) {
    EXPECT_EQ(who_ran(s.stamp).goid, s.goid);
    EXPECT_EQ(who_ran(s.later).goid, s.goid);
  }
}

}  // namespace
}  // namespace goro::race
