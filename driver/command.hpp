// The shape of a goro subcommand, and how a command fails.
//
// main.cpp keeps the table of commands; each cmd_*.cpp defines one `command` and nothing else that
// is visible outside it. A command either returns the process exit status or throws `failure`,
// which main prints (one line, already prefixed "goro <cmd>: ...") before exiting with its status.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace goro::driver {

// Exit status for wrong usage (unknown command or flag, missing arguments), as Go's tool uses.
inline constexpr int kUsageExit = 2;

// A message for stderr and the exit status that goes with it.
class failure : public std::runtime_error {
 public:
  failure(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct command {
  std::string_view name;
  std::string_view summary;                       // one line in `goro help`
  std::string_view usage;                         // the text of `goro help <name>`
  int (*run)(std::span<const std::string> args);  // args exclude "goro" and the command name
};

// Every command, in `goro help`'s order (main.cpp).
std::span<const command* const> all_commands();

extern const command cxx_command;
extern const command run_command;
extern const command flags_command;
extern const command report_command;
extern const command stress_command;
extern const command trace_command;
extern const command vet_command;

}  // namespace goro::driver
