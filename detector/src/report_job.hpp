// A race report as report.cpp assembles it (and a lock-order inversion as report_lock_order.cpp
// does), and what their writers share: the text (report_text.cpp), the JSON line (report_json.cpp)
// and the suppressions check (suppressions.cpp) all read a job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base.hpp"
#include "debug/traceback.hpp"
#include "history.hpp"
#include "shadow.hpp"

namespace goro::race {

// One side of a race: the access and who made it.
struct side {
  std::uintptr_t addr = 0;
  bool write = false;
  bool atomic = false;
  bool known = false;  // the goroutine is known (the slot's journal named it)
  std::int64_t goid = 0;
  bool is_main = false;
  bool is_thread = false;
  bool finished = false;
  std::uint32_t create_stack = 0;
  restored_stack stack;
  bool restored = false;
  std::vector<const debug::frame*> frames;
  std::vector<const debug::frame*> created_frames;
};

struct job {
  side cur;
  side prev;
  bool vptr = false;  // the current access was of a vtable pointer
  bool free = false;  // the current access was the program's free of the block
  // A stack use after return: `prev` is the owner's earlier access to the word if one was left
  // (old_cell then; else old_cell is the dead variable's marker and prev is unknown).
  bool after_return = false;
  bool has_previous = true;
  // The racing cells: the shadow word and the two accesses.
  std::uintptr_t word = 0;
  raw_cell cur_cell = 0;
  raw_cell old_cell = 0;
};

// A lock-order inversion as report_lock_order.cpp assembles it: per edge of the cycle, who took
// `to` while holding `from` (`who.frames`: where `to` was taken) and where `from` had been taken.
struct lock_order_edge {
  std::uintptr_t from = 0;
  std::uintptr_t to = 0;
  bool from_write = true;
  bool to_write = true;
  side who;                 // who.frames: where `to` was taken (symbolized from `stack`)
  std::uint32_t stack = 0;  // stack depot ids
  std::uint32_t held_stack = 0;
  std::vector<const debug::frame*> held_frames;
};

struct lock_order_job {
  std::vector<lock_order_edge> edges;
};

// A partial deadlock (runtime/src/sync/lock_wait_report.cpp), for its JSON line: per goroutine of
// the cycle, in wait order, who it is (who.frames: where it waits) and what it waits for.
struct deadlock_entry {
  side who;
  std::string state;
  std::uintptr_t wanted = 0;
  std::string lock;
  std::string mode;
  std::int64_t waits_for = 0;
  std::string wants;  // the text's two lines under the goroutine's header
  std::string holds;
};

struct deadlock_job {
  bool fatal = true;
  std::vector<deadlock_entry> members;
};

// "0x" and v in hex, zero-padded to `width` digits.
void append_hex(std::string& out, std::uintptr_t v, int width = 0);
// file without GORACE strip_path_prefix.
std::string stripped(const std::string& file);
// The report writers' shared state (report.cpp): one report at a time under report_lock(), the
// frames of a stack as reports show them, the count of lock-order reports.
futex_lock& report_lock();
std::vector<const debug::frame*> report_frames(const std::uintptr_t* pcs, std::size_t n);
// The "created at" frames of a creation stack in the depot: from the user's call on.
std::vector<const debug::frame*> created_frames(std::uint32_t create_stack);
void describe(side& s, const record* r);
void count_lock_order_report();
// report_lock_order.cpp's deduplication (tests).
void reset_lock_order_reports_for_testing();

// Who made the access, in the report's words ("goroutine 7", "main thread", ...).
std::string who(const side& s);

}  // namespace goro::race
