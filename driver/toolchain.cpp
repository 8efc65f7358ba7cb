// The install tree, the compiler, and the flags that build user code against goro.
//
// Why each flag is there:
//   -std=c++20              the public headers need it; first on the line so a user's -std= wins
//   -g                      (goro run, unless the user gave a -g* option) line information, as
//                           `go run` programs have; it goes first too, so a user's choice stands
//   -I<prefix>/include      the public headers
//   -fno-omit-frame-pointer, -mno-omit-leaf-frame-pointer
//                           goroutine stacks, panics and race reports are walked by frame pointer;
//                           after the user's flags so -O2 or -fomit-frame-pointer cannot drop them
//   -pthread                goroutines run on OS threads
//   -fplugin=<plugin>       safe points and stack checks (with -race also access instrumentation);
//                           added whenever the plugin is installed, which -race requires
//   -fplugin-arg-goro-race  (-race, with the plugin) turns the plugin's race instrumentation on;
//                           inside --start/--end-no-unused-arguments, because clang warns of it
//                           (alone of these flags) on a command that only links, as a separate
//                           link step or the link rule of a build system using `goro flags` does
//   -fno-optimize-sibling-calls
//                           (-race) a tail call would replace its caller's frame, and the caller
//                           would be missing from race reports; ThreadSanitizer advises the same
//   -D_GLIBCXX_TSAN=1       (-race) libstdc++'s switch for race detectors: shared_ptr's release
//                           then skips a fast path that reads both reference counts with one
//                           8-byte load, an edge no per-address detector sees
//   -DGORO_RACE=1           (-race) tells user code it is built for the race detector
// The link appends the runtime archive, the two archives it depends on, and -pthread; a plain
// build also the default heap (runtime/heap: libgoro_malloc.a linked whole, then -ltbbmalloc) when
// it is installed, unless GORO_MALLOC=glibc, the link is static (-static, -static-pie: there is
// no static tbbmalloc) or a sanitizer that replaces malloc itself is linked in (-fsanitize=address,
// thread, memory, leak, hwaddress, dataflow, scudo: its malloc and tbbmalloc's cannot both be the
// program's).
#include "toolchain.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

#include "command.hpp"
#include "process.hpp"

namespace goro::driver {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kDefaultCompiler = "clang++-14";

fs::path self_prefix() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw failure(kUsageExit, "goro: cannot find the driver's own path: " + ec.message());
  return self.parent_path().parent_path();  // <prefix>/bin/goro
}

bool starts_with_any(std::string_view arg, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return arg.starts_with(p); });
}

}  // namespace

toolchain toolchain::locate(build_mode mode) {
  toolchain tc(self_prefix(), mode);
  fs::path headers = tc.prefix_ / "include" / "goro";
  if (!fs::is_directory(headers)) {
    throw failure(kUsageExit, "goro: " + headers.string() +
                                  ": not found (run the installed goro, <prefix>/bin/goro)");
  }
  if (mode == build_mode::race && !fs::exists(tc.runtime_archive())) {
    throw failure(kUsageExit, "goro: -race: the race runtime is not installed (" +
                                  tc.runtime_archive().string() + ")");
  }
  // Without the plugin nothing is instrumented: a -race build would link the race runtime and
  // report nothing, which reads as "no races".
  if (mode == build_mode::race && !fs::exists(tc.plugin())) {
    throw failure(kUsageExit, "goro: -race: the instrumentation plugin is not installed (" +
                                  tc.plugin().string() + ")");
  }
  return tc;
}

fs::path toolchain::runtime_archive() const {
  return prefix_ / "lib" / (mode_ == build_mode::race ? "libgoro_race.a" : "libgoro.a");
}

fs::path toolchain::plugin() const { return prefix_ / "lib" / "goro" / "libgoro_instrument.so"; }

std::vector<std::string> toolchain::overridable_flags() const { return {"-std=c++20"}; }

std::vector<std::string> toolchain::defaults(std::span<const std::string> user_args,
                                             purpose for_what) const {
  std::vector<std::string> flags = overridable_flags();
  if (for_what != purpose::run) return flags;
  for (std::size_t i = 0; i < user_args.size(); ++i) {
    if (user_args[i].starts_with("-g")) return flags;  // the user chose: -g3, -g0, -gdwarf-4, ...
    if (takes_separate_value(user_args[i])) ++i;
  }
  flags.push_back("-g");
  return flags;
}

std::vector<std::string> toolchain::required_flags() const {
  std::vector<std::string> flags = {
      "-I" + (prefix_ / "include").string(),
      "-fno-omit-frame-pointer",
      "-mno-omit-leaf-frame-pointer",
      "-pthread",
  };
  if (fs::exists(plugin())) {
    flags.push_back("-fplugin=" + plugin().string());
    if (mode_ == build_mode::race) {
      flags.insert(flags.end(), {"--start-no-unused-arguments", "-fplugin-arg-goro-race",
                                 "--end-no-unused-arguments"});
    }
  }
  if (mode_ == build_mode::race) {
    flags.push_back("-D_GLIBCXX_TSAN=1");
    flags.push_back("-fno-optimize-sibling-calls");
    flags.push_back("-DGORO_RACE=1");
  }
  return flags;
}

std::vector<std::string> toolchain::cxxflags() const {
  auto flags = overridable_flags();
  auto required = required_flags();
  flags.insert(flags.end(), required.begin(), required.end());
  return flags;
}

bool toolchain::default_heap() const {
  const char* env = std::getenv("GORO_MALLOC");
  const std::string_view choice = env != nullptr ? env : "";
  if (choice != "" && choice != "tbb" && choice != "glibc") {
    throw failure(kUsageExit, "goro: GORO_MALLOC=" + std::string(choice) +
                                  ": expected tbb (the default) or glibc");
  }
  // The race runtime interposes malloc over glibc's itself: GORO_MALLOC does not apply.
  return mode_ != build_mode::race && choice != "glibc" && fs::exists(heap_archive());
}

fs::path toolchain::heap_archive() const { return prefix_ / "lib" / "goro" / "libgoro_malloc.a"; }

std::vector<std::string> toolchain::ldflags(bool keep_libc_malloc) const {
  fs::path private_libs = prefix_ / "lib" / "goro";
  std::vector<std::string> flags = {
      runtime_archive().string(),
      (private_libs / "libgoro_context.a").string(),
      (private_libs / "libgoro_backtrace.a").string(),
  };
  if (default_heap() && !keep_libc_malloc) {
    // Whole: nothing refers to the archive's malloc, it replaces libc's by being there.
    flags.insert(flags.end(), {"-Wl,--whole-archive", heap_archive().string(),
                               "-Wl,--no-whole-archive", "-ltbbmalloc"});
  }
  flags.push_back("-pthread");
  return flags;
}

namespace {

// Whether the user's arguments leave a sanitizer that brings its own malloc in the link, reading
// -fsanitize= and -fno-sanitize= lists in order, as clang does.
bool sanitizer_replaces_malloc(std::span<const std::string> user_args) {
  constexpr std::string_view kOwnMalloc[] = {"address",   "thread",   "memory", "leak",
                                             "hwaddress", "dataflow", "scudo"};
  std::vector<std::string_view> on;
  for (std::string_view a : user_args) {
    const bool enable = a.starts_with("-fsanitize=");
    if (!enable && !a.starts_with("-fno-sanitize=")) continue;
    std::string_view list = a.substr(a.find('=') + 1);
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      const std::string_view name = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      if (enable) {
        on.push_back(name);
      } else {
        std::erase_if(on, [name](std::string_view n) { return name == "all" || n == name; });
      }
    }
  }
  return std::any_of(on.begin(), on.end(), [&](std::string_view n) {
    return std::find(std::begin(kOwnMalloc), std::end(kOwnMalloc), n) != std::end(kOwnMalloc);
  });
}

}  // namespace

std::vector<std::string> toolchain::compiler_command(const std::string& compiler,
                                                     std::span<const std::string> user_args,
                                                     purpose for_what) const {
  std::vector<std::string> argv = {compiler};
  auto leading = defaults(user_args, for_what);
  argv.insert(argv.end(), leading.begin(), leading.end());
  argv.insert(argv.end(), user_args.begin(), user_args.end());
  auto required = required_flags();
  argv.insert(argv.end(), required.begin(), required.end());
  if (links(user_args)) {
    // A user's `-x c++` applies to every later input; the archives must be read as archives.
    bool sets_language = std::any_of(user_args.begin(), user_args.end(),
                                     [](const std::string& a) { return a.starts_with("-x"); });
    if (sets_language) argv.insert(argv.end(), {"-x", "none"});
    const bool static_link =
        std::any_of(user_args.begin(), user_args.end(),
                    [](const std::string& a) { return a == "-static" || a == "-static-pie"; });
    auto libs = ldflags(static_link || sanitizer_replaces_malloc(user_args));
    argv.insert(argv.end(), libs.begin(), libs.end());
  }
  return argv;
}

std::string find_compiler() {
  const char* override_name = std::getenv("GORO_CLANG");
  if (override_name != nullptr && *override_name != '\0') {
    if (auto path = find_program(override_name)) return *path;
    throw failure(kUsageExit,
                  std::string("goro: GORO_CLANG=") + override_name + ": compiler not found");
  }
  if (auto path = find_program(kDefaultCompiler)) return *path;
  throw failure(kUsageExit, "goro: clang++-14 not found on PATH (install clang-14)");
}

bool takes_separate_value(std::string_view flag) {
  static constexpr std::string_view kFlags[] = {
      "-o",
      "-I",
      "-D",
      "-U",
      "-L",
      "-l",
      "-x",
      "-include",
      "-imacros",
      "-isystem",
      "-iquote",
      "-idirafter",
      "-isysroot",
      "-Xclang",
      "-Xlinker",
      "-Xassembler",
      "-Xpreprocessor",
      "-MF",
      "-MT",
      "-MQ",
      "-target",
      "-arch",
      "-z",
      "-T",
      "-u",
      "-e",
      "--param",
      "-mllvm",
      "-F",
  };
  return std::find(std::begin(kFlags), std::end(kFlags), flag) != std::end(kFlags);
}

bool links(std::span<const std::string> args) {
  bool has_input = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-M" || a == "-MM" ||
        a == "--precompile" ||
        starts_with_any(a, {"--help", "--version", "-print-", "--print-", "-dump"})) {
      return false;
    }
    if (takes_separate_value(a)) {
      ++i;
    } else if (a == "-" || !a.starts_with("-")) {
      has_input = true;
    }
  }
  return has_input;
}

build_mode take_race_flag(std::vector<std::string>& args) {
  auto removed = std::erase(args, std::string("-race"));
  return removed > 0 ? build_mode::race : build_mode::plain;
}

}  // namespace goro::driver
