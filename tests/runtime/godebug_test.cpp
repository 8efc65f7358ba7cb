// GORODEBUG parsing (debug/godebug.cpp): known keys and their values, unknown keys ignored, and a
// clear message for a value a known key does not take.
#include "debug/godebug.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using goro::debug::godebug_settings;
using goro::debug::parse_godebug;
using goro::debug::partial_deadlock_mode;

TEST(GodebugTest, DefaultsAreFatalPartialDeadlockAndNoLeakCheck) {
  godebug_settings s;
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::fatal);
  EXPECT_FALSE(s.leakcheck);
  EXPECT_EQ(s.leakcheck_exit, 0);
  EXPECT_TRUE(parse_godebug("", &s).empty());
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::fatal);
}

TEST(GodebugTest, ReadsEveryKnownKey) {
  godebug_settings s;
  EXPECT_TRUE(parse_godebug("partialdeadlock=warn,leakcheck=1,leakcheckexit=3", &s).empty());
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::warn);
  EXPECT_TRUE(s.leakcheck);
  EXPECT_EQ(s.leakcheck_exit, 3);
  EXPECT_TRUE(parse_godebug("partialdeadlock=0", &s).empty());
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::off);
  EXPECT_TRUE(parse_godebug("partialdeadlock=fatal,leakcheck=0", &s).empty());
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::fatal);
  EXPECT_FALSE(s.leakcheck);
  EXPECT_TRUE(parse_godebug("trace=/tmp/run 1.json", &s).empty());
  EXPECT_EQ(s.trace_path, "/tmp/run 1.json");
}

TEST(GodebugTest, LaterPairsWinAndEmptyPairsAreSkipped) {
  godebug_settings s;
  EXPECT_TRUE(parse_godebug(",partialdeadlock=warn,,partialdeadlock=0,", &s).empty());
  EXPECT_EQ(s.partial_deadlock, partial_deadlock_mode::off);
}

TEST(GodebugTest, ReadsASeedOfAnySixtyFourBitValueAndAPctDepth) {
  godebug_settings s;
  EXPECT_FALSE(s.sched_seeded);
  EXPECT_EQ(s.pct_depth, 0);
  EXPECT_TRUE(parse_godebug("schedseed=0", &s).empty());
  EXPECT_TRUE(s.sched_seeded);
  EXPECT_EQ(s.sched_seed, 0u);
  EXPECT_TRUE(parse_godebug("schedseed=18446744073709551615,pct=3", &s).empty());
  EXPECT_EQ(s.sched_seed, UINT64_MAX);
  EXPECT_EQ(s.pct_depth, 3);
}

TEST(GodebugTest, PctWithoutASeedIsAnError) {
  godebug_settings s;
  EXPECT_EQ(std::string(parse_godebug("pct=3", &s)),
            "GORODEBUG: pct needs schedseed (PCT draws its priorities from the seed)");
}

TEST(GodebugTest, UnknownKeysAreIgnoredAsInGo) {
  godebug_settings s;
  EXPECT_TRUE(parse_godebug("gctrace=1,somethingnew=x,leakcheck=1", &s).empty());
  EXPECT_TRUE(s.leakcheck);
}

TEST(GodebugTest, BadValuesOfKnownKeysNameThePairAndWhatItTakes) {
  godebug_settings s;
  EXPECT_EQ(std::string(parse_godebug("partialdeadlock=maybe", &s)),
            "GORODEBUG: partialdeadlock=maybe: expected fatal, warn or 0");
  EXPECT_EQ(std::string(parse_godebug("leakcheck=yes", &s)),
            "GORODEBUG: leakcheck=yes: expected 0 or 1");
  EXPECT_EQ(std::string(parse_godebug("leakcheckexit=300", &s)),
            "GORODEBUG: leakcheckexit=300: expected an exit status from 0 to 125");
  EXPECT_EQ(std::string(parse_godebug("leakcheckexit=", &s)),
            "GORODEBUG: leakcheckexit=: expected an exit status from 0 to 125");
  EXPECT_EQ(std::string(parse_godebug("leakcheck", &s)),
            "GORODEBUG: leakcheck: expected key=value");
  EXPECT_EQ(std::string(parse_godebug("trace=", &s)), "GORODEBUG: trace=: expected a file name");
  EXPECT_EQ(
      std::string(parse_godebug("schedseed=18446744073709551616", &s)),
      "GORODEBUG: schedseed=18446744073709551616: expected a seed: a decimal number below 2^64");
  EXPECT_EQ(std::string(parse_godebug("schedseed=-1", &s)),
            "GORODEBUG: schedseed=-1: expected a seed: a decimal number below 2^64");
  EXPECT_EQ(std::string(parse_godebug("schedseed=1,pct=0", &s)),
            "GORODEBUG: pct=0: expected a depth from 1 to 16");
  EXPECT_EQ(std::string(parse_godebug("schedseed=1,pct=99999999999", &s)),
            "GORODEBUG: pct=99999999999: expected a depth from 1 to 16");
}

}  // namespace
