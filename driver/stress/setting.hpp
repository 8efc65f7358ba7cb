// What each run of goro stress is given, and the command that gives it again.
//
// Run i gets GORODEBUG=schedseed=<seed_from + i>[,pct=D], followed by the keys the user's own
// GORODEBUG sets (partialdeadlock=warn, leakcheck=1, ...), which go on applying; a schedseed or pct
// of the user's is replaced, as the flags decide those. The rest of the environment is the
// driver's. The reproduce command spells the same GORODEBUG, and GOMAXPROCS when the environment
// sets it (a seed replays its schedule only where GOMAXPROCS is 1, the default under a seed), then
// the program and its arguments as typed, each quoted for a POSIX shell where it needs to be.
//
// Example:
//   run_setting s{"leakcheck=1", 3, "", {"./prog", "a b"}};
//   s.godebug(17)    // "schedseed=17,pct=3,leakcheck=1"
//   s.reproduce(17)  // "GORODEBUG=schedseed=17,pct=3,leakcheck=1 ./prog 'a b'"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goro::driver::stress {

class run_setting {
 public:
  // user_godebug: the environment's GORODEBUG ("" when unset); gomaxprocs likewise.
  run_setting(std::string_view user_godebug, int pct, std::string gomaxprocs,
              std::vector<std::string> program);

  std::string godebug(std::uint64_t seed) const;
  std::string reproduce(std::uint64_t seed) const;

  // The environment of a run: `environ` with GORODEBUG replaced.
  std::vector<std::string> environment(std::uint64_t seed) const;

  // The user's keys that the flags override ("schedseed=5"), to say so once.
  const std::vector<std::string>& overridden() const { return overridden_; }

 private:
  int pct_;
  std::string kept_keys_;  // the user's other GORODEBUG keys, comma-separated
  std::vector<std::string> overridden_;
  std::string gomaxprocs_;
  std::vector<std::string> program_;
};

}  // namespace goro::driver::stress
