// One data race (or lock-order inversion, or partial deadlock, or goro stress failure group)
// report as `goro report` holds it: the JSON lines schema v1 of docs/report-format.md as plain
// values, checked by the reader. Every
// other file in report/ works on these and never sees JSON, so a schema change touches the reader
// alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace goro::driver::report {

struct frame {
  std::string function;      // demangled; "??" when unknown
  std::string file;          // "" when unknown
  std::uint64_t line = 0;    // 0 when unknown
  std::uint64_t offset = 0;  // bytes from the start of the function
  std::string pc;            // "0x…"
};

struct goroutine {
  std::uint64_t id = 0;  // for a plain thread, N in "TN"
  std::string name;      // "goroutine 7", "main goroutine", "thread T1", "main thread"
  bool is_thread = false;
  bool is_main = false;
  bool finished = false;
  std::optional<std::vector<frame>> created_at;  // none for the main one, or when unknown
};

struct access {
  bool is_write = false;
  bool atomic = false;
  std::string address;          // "0x…"
  std::optional<goroutine> by;  // none when the detector no longer knows who made it
  bool restored = true;         // false: `stack` could not be recovered and is empty
  std::vector<frame> stack;     // innermost first
};

// One edge of a lock-order cycle: `to` taken while holding `from`.
struct lock_edge {
  std::string from;  // "0x…"
  std::string to;
  bool from_write = true;  // false: `from` was held for reading
  bool to_write = true;    // false: `to` was taken for reading
  std::optional<goroutine> by;
  std::vector<frame> stack;       // where `to` was taken, innermost first
  std::vector<frame> held_stack;  // where `from` had been taken
};

// One goroutine of a partial deadlock, in wait order (each waits for the next, the last for the
// first).
struct deadlock_member {
  goroutine who;
  std::string state;  // as in a goroutine dump: "sync.Mutex.Lock"
  std::string wants;  // "0x…": the lock it waits for
  std::string lock;   // "sync.Mutex" or "sync.RWMutex"
  std::string mode;   // "lock", "write" or "read"
  std::uint64_t waits_for = 0;
  std::vector<std::string> says;  // the text's lines under its header ("wants …", "holds …")
  std::vector<frame> stack;       // where it waits, innermost first
};

// One failure group of `goro stress`: runs of one program under seeded schedules that failed the
// same way. Its frames are goro stress's signature, innermost first: of a "data race" or a
// "lock-order inversion", the top frame of each of its two stacks; of any other kind, the top
// frames of the program's own code on one stack. A frame here has no offset and no pc.
struct stress_group {
  std::string kind;      // "data race", "panic", "timeout", "exit status", … (the schema's list)
  std::string headline;  // the failure's first line: "panic: send on closed channel"
  std::uint64_t runs = 0;  // runs that failed this way, at least 1
  std::uint64_t of = 0;    // runs made in all
  std::uint64_t seed = 0;  // the first failing run's seed
  std::uint64_t pct = 0;   // the PCT depth, 0 for none
  std::string command;     // the shell command that replays the first failing run
  std::vector<frame> frames;
  std::string output;  // the file holding the first failing run's output; "" when not kept
  std::string text;    // an excerpt of that output, lines each ending in '\n'
};

enum class report_kind { data_race, lock_order_inversion, partial_deadlock, stress_failure };

struct race_report {
  report_kind kind = report_kind::data_race;
  // lock_order_inversion: the cycle; `current` and `previous` then stand for its first and last
  // edges (address: the lock taken, stack: where it was taken), so grouping, --filter and the
  // outputs' locations treat an inversion like a race between its first and last acquisitions.
  std::vector<lock_edge> cycle;
  // partial_deadlock: its goroutines; `current` and `previous` stand for the first and last (the
  // lock each wants, where it waits). fatal: the program exited with it.
  std::vector<deadlock_member> deadlock;
  bool fatal = false;
  // stress_failure: the group. `current` and `previous` stay empty: a group is not a pair of
  // accesses, and is never grouped with other reports (stress_groups.hpp).
  stress_group stress;
  std::string time;  // RFC 3339 UTC
  std::uint64_t pid = 0;
  std::string program;
  access current;              // the access that found the race
  access previous;             // the earlier access it races with
  std::string input;           // the file it was read from, as named in messages
  std::size_t input_line = 0;  // 1-based
  // data_race lines of a stack use after return: `current` reached a variable of a returned
  // frame; `previous` is the frame's last access to it (no goroutine, not restored: none known).
  bool after_return = false;
};

}  // namespace goro::driver::report
