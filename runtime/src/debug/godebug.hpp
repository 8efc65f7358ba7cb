// GORODEBUG: the runtime's debugging switches, comma-separated key=value pairs as Go's GODEBUG.
// Read once, when the runtime starts; unknown keys are ignored (as Go does, so a setting meant for
// a newer runtime does no harm), a known key with a value it does not take is a start-up error.
#pragma once

#include <cstdint>
#include <string_view>

namespace goro::debug {

// partialdeadlock: what a wait-for cycle among goroutines' locks does (sync/lock_wait.cpp).
enum class partial_deadlock_mode : std::uint8_t { off, warn, fatal };

struct godebug_settings {
  partial_deadlock_mode partial_deadlock = partial_deadlock_mode::fatal;
  bool leakcheck = false;  // leakcheck=1: report goroutines still blocked when main returns
  int leakcheck_exit = 0;  // leakcheckexit=N: the exit status of a run whose leak check reported
};

// The settings in force. Valid from the start of goro::run (the defaults before).
const godebug_settings& godebug();

// Parses GORODEBUG; a fatal error names the bad pair. Called once, before the first goroutine.
void load_godebug();

// The parser itself (tests): fills *out from text, or returns the error message.
std::string_view parse_godebug(std::string_view text, godebug_settings* out);

}  // namespace goro::debug
