// Where goro is installed, which compiler it drives, and the flags that build user code against it.
//
// This is the one place those flags are assembled: `goro c++`, `goro run` and `goro flags` all ask
// a `toolchain` for them, so the three can never disagree. The installed tree is found from the
// driver's own path (<prefix>/bin/goro), which keeps an unpacked or staged install relocatable:
//
//   <prefix>/include/goro/*.hpp              public headers
//   <prefix>/lib/libgoro.a                   runtime            (libgoro_race.a: race runtime)
//   <prefix>/lib/goro/libgoro_context.a      Boost.Context switches
//   <prefix>/lib/goro/libgoro_backtrace.a    symbolization
//   <prefix>/lib/goro/libgoro_malloc.a       the default heap of plain builds (over -ltbbmalloc)
//   <prefix>/lib/goro/libgoro_instrument.so  the clang plugin (loaded whenever it is installed)
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goro::driver {

enum class build_mode { plain, race };

// What a compiler command line is for. `goro run` also asks for line information (-g) unless the
// user gave a -g* option of their own (-g0 included): `go run` programs carry it, and panics and
// race reports name source lines.
enum class purpose { compile, run };

class toolchain {
 public:
  // Locates the install tree this driver belongs to. Throws `failure` (exit 2) when the headers are
  // missing, or in race mode when the race runtime is not installed.
  static toolchain locate(build_mode mode);

  const std::filesystem::path& prefix() const { return prefix_; }
  build_mode mode() const { return mode_; }

  // Compile flags for `goro flags --cxxflags`: the overridable ones first, then the required ones.
  std::vector<std::string> cxxflags() const;
  // Link inputs and flags for `goro flags --ldflags`, appended after the user's inputs;
  // keep_libc_malloc (a static link, or a sanitizer with a malloc of its own) leaves the default
  // heap out. Throws `failure` (exit 2) for a GORO_MALLOC other than tbb or glibc.
  std::vector<std::string> ldflags(bool keep_libc_malloc = false) const;

  // The full compiler command line for the user's clang++ arguments:
  //   <compiler> -std=c++20 [-g] <user args> <required compile flags> [<ldflags> when it links]
  // The defaults go first so a user's -std= wins (-g: only for purpose::run, see `purpose`); the
  // rest goes after so the user cannot drop it. `compiler` comes from find_compiler().
  std::vector<std::string> compiler_command(const std::string& compiler,
                                            std::span<const std::string> user_args,
                                            purpose for_what) const;

 private:
  toolchain(std::filesystem::path prefix, build_mode mode)
      : prefix_(std::move(prefix)), mode_(mode) {}

  std::vector<std::string> overridable_flags() const;
  std::vector<std::string> defaults(std::span<const std::string> user_args, purpose for_what) const;
  std::vector<std::string> required_flags() const;
  std::filesystem::path runtime_archive() const;
  std::filesystem::path plugin() const;
  std::filesystem::path heap_archive() const;
  // Whether a link gets the default heap (runtime/heap) rather than glibc's malloc: not in race
  // builds, not with GORO_MALLOC=glibc, not when libgoro_malloc.a is not installed. Throws
  // `failure` (exit 2) for a GORO_MALLOC other than tbb or glibc.
  bool default_heap() const;

  std::filesystem::path prefix_;
  build_mode mode_;
};

// The clang++ to run: $GORO_CLANG if set (a path, or a name looked up on PATH), else clang++-14 on
// PATH. Throws `failure` (exit 2) when it cannot be found.
std::string find_compiler();

// True unless the arguments stop clang before linking (-c, -S, -E, -fsyntax-only, -M, -MM, ...) or
// name no input at all (`goro c++ --version`).
bool links(std::span<const std::string> args);

// True for the clang flags whose value is the next argument (-o out, -I dir, -x c++, -Xlinker x).
bool takes_separate_value(std::string_view flag);

// Removes every "-race" from args; returns whether there was one.
build_mode take_race_flag(std::vector<std::string>& args);

}  // namespace goro::driver
