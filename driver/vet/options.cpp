// Reading goro vet's command line (options.hpp).
#include "options.hpp"

#include <cerrno>
#include <cstdlib>

namespace goro::vet {
namespace {

// The value of a flag spelt "-p DIR" or "-p=DIR" at args[i] (i then moves past it); nullopt when
// args[i] is not that flag.
std::optional<std::string> value_of(const std::string& flag, const std::vector<std::string>& args,
                                    std::size_t& i) {
  const std::string& arg = args[i];
  if (arg.compare(0, flag.size() + 1, flag + "=") == 0) return arg.substr(flag.size() + 1);
  if (arg != flag) return std::nullopt;
  if (i + 1 >= args.size()) throw usage_error("flag needs an argument: " + flag);
  return args[++i];
}

unsigned parse_jobs(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long n = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || n == 0 || n > 1024 || text[0] == '-') {
    throw usage_error("-j: expected a number of parallel jobs from 1 to 1024, got \"" + text +
                      "\"");
  }
  return static_cast<unsigned>(n);
}

}  // namespace

options parse_options(const std::vector<std::string>& args) {
  options o;
  std::size_t i = 0;
  if (i < args.size() && args[i].compare(0, 14, "--goro-prefix=") == 0) {
    o.goro_prefix = args[i++].substr(14);
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      o.flags.emplace(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (auto dir = value_of("-p", args, i)) {
      if (dir->empty()) throw usage_error("-p: expected a build directory");
      o.build_dir = *dir;
    } else if (auto file = value_of("--sarif", args, i)) {
      if (file->empty()) throw usage_error("--sarif: expected a file name");
      o.sarif = *file;
    } else if (auto jobs = value_of("-j", args, i)) {
      o.jobs = parse_jobs(*jobs);
    } else if (arg.size() > 2 && arg.compare(0, 2, "-j") == 0 && arg[2] >= '0' && arg[2] <= '9') {
      o.jobs = parse_jobs(arg.substr(2));
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw usage_error("unknown flag " + arg + " (-p, -j, --sarif or --help)");
    } else {
      o.files.push_back(arg);
    }
  }
  if (o.files.empty() && o.build_dir.empty()) {
    throw usage_error("nothing to check: name the files, or a build directory with -p");
  }
  return o;
}

}  // namespace goro::vet
