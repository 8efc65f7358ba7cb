// Help (help.cpp): `goro help`, each command's --help, and the topics that are no command's.
//
// Help always goes to stdout with exit status 0, whichever way it is asked for: `goro help run`,
// `goro run --help`, `goro run -h`. Only a bare `goro` prints the usage to stderr (status 2), as
// Go's tool does.
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "command.hpp"

namespace goro::driver {

// -h, -help and --help: what Go's tool and clang both take for a request for help.
bool is_help_flag(std::string_view arg);

// A help flag before any "--", for the commands whose arguments are all goro's own (flags,
// report, version); `goro c++` and `goro run` decide themselves, their arguments being clang's too.
bool asks_for_help(std::span<const std::string> args);

// Prints `goro help <c.name>` and returns 0, the status of `goro <name> --help`.
int print_help(const command& c);

// "Goro builds and runs ...": the commands and the help topics.
void print_usage(std::FILE* out);

// `goro help [command|topic]`.
int run_help(std::span<const std::string> args);

}  // namespace goro::driver
