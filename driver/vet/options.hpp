// goro vet's command line: `goro vet [-p BUILD_DIR] [-j N] [--sarif FILE] [FILES…] [-- FLAGS…]`.
//
// The goro driver answers --help itself and runs this tool with the user's arguments after
// `--goro-prefix=DIR`, the install tree it belongs to (whose headers the checked code includes).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace goro::vet {

// A usage error: its message is printed as "goro vet: <message>" and the exit status is 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct options {
  std::string goro_prefix;
  std::string build_dir;           // -p: where compile_commands.json is; empty: none given
  std::vector<std::string> files;  // as given; empty with -p: every C++ file of the database
  std::optional<std::vector<std::string>> flags;  // after "--": the compiler flags for FILES
  std::string sarif;                              // --sarif FILE; empty: no SARIF log
  unsigned jobs = 0;                              // -j N: translation units at once; 0: one per CPU
};

// Throws usage_error for an unknown flag, a flag without its value, a bad -j, or nothing to check.
options parse_options(const std::vector<std::string>& args);

}  // namespace goro::vet
