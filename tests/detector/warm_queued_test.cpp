// warm_queued (runtime_hooks.cpp): the run queue's hint naming the goroutines it hands out next,
// whose detector state it fetches into the cache. The Gs it is given may be stale by the time it
// reads them: no context yet (never started under the detector), or a context whose goroutine has
// ended (no record, no clock). It reads and fetches; it changes nothing.
#include <gtest/gtest.h>

#include "context.hpp"
#include "race/hooks.hpp"
#include "sched/g.hpp"

namespace goro::race {
namespace {

context* started(std::int64_t goid) {
  context* c = context_new(context_kind::goroutine);
  context_start(c, nullptr, goid, false, 0);
  return c;
}

TEST(WarmQueued, GsWithoutAContextArePassedOver) {
  sched::G first;
  sched::G second;
  warm_queued(&first, &second);
  EXPECT_EQ(first.race_state, nullptr);
  EXPECT_EQ(second.race_state, nullptr);
}

TEST(WarmQueued, LeavesLiveAndEndedContextsAsTheyWere) {
  context* live = started(2'000'001);
  context* ended = started(2'000'002);
  context_end(ended);
  ASSERT_EQ(ended->rec, nullptr);
  const record* rec = live->rec;
  const snapshot* snap = live->clk.snap;
  const std::uint64_t version = live->clk.version;

  sched::G a;
  sched::G b;
  a.race_state = live;
  b.race_state = ended;
  warm_queued(&a, &b);  // each stage on each kind of context
  warm_queued(&b, &a);

  EXPECT_EQ(live->rec, rec);
  EXPECT_EQ(live->clk.snap, snap);
  EXPECT_EQ(live->clk.version, version);
  EXPECT_FALSE(live->running.load());
  EXPECT_EQ(ended->rec, nullptr);
  EXPECT_EQ(ended->clk.snap, nullptr);
  context_end(live);
}

}  // namespace
}  // namespace goro::race
