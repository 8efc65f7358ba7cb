// goro stress's command line: flags Go's way, numbers and durations checked, PROG found.
#include "options.hpp"

#include <unistd.h>

#include <array>
#include <limits>

#include "../command.hpp"
#include "../flag.hpp"
#include "../help.hpp"

namespace goro::driver::stress {
namespace {

constexpr std::string_view kCommand = "goro stress";

[[noreturn]] void usage_error(const std::string& what) {
  throw failure(kUsageExit, "goro stress: " + what);
}

[[noreturn]] void invalid(std::string_view flag, const std::string& value, std::string_view takes) {
  usage_error("invalid value \"" + value + "\" for flag " + std::string(flag) + ": " +
              std::string(takes));
}

// A decimal number without sign or spaces that fits in 64 bits.
std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (__builtin_mul_overflow(n, std::uint64_t{10}, &n) ||
        __builtin_add_overflow(n, static_cast<std::uint64_t>(c - '0'), &n)) {
      return std::nullopt;
    }
  }
  return n;
}

std::uint64_t in_range(std::string_view flag, const std::string& value, std::uint64_t low,
                       std::uint64_t high, std::string_view takes) {
  std::optional<std::uint64_t> n = parse_unsigned(value);
  if (!n || *n < low || *n > high) invalid(flag, value, takes);
  return *n;
}

struct unit {
  std::string_view name;
  std::int64_t nanoseconds;
};
constexpr std::array<unit, 8> kUnits = {{{"ns", 1},
                                         {"us", 1'000},
                                         {"\u00b5s", 1'000},  // micro sign
                                         {"\u03bcs", 1'000},  // Greek mu
                                         {"ms", 1'000'000},
                                         {"s", 1'000'000'000},
                                         {"m", 60'000'000'000},
                                         {"h", 3'600'000'000'000}}};

// The unit `text` starts with, longest first ("ms" before "m"); nullptr when none.
const unit* unit_at(std::string_view text) {
  const unit* best = nullptr;
  for (const unit& u : kUnits) {
    if (text.starts_with(u.name) && (best == nullptr || u.name.size() > best->name.size())) {
      best = &u;
    }
  }
  return best;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    // A number: digits, optionally a '.' and more digits; at least one digit in all.
    std::int64_t whole = 0;
    std::size_t digits = 0;
    for (; !text.empty() && is_digit(text.front()); text.remove_prefix(1), ++digits) {
      if (__builtin_mul_overflow(whole, std::int64_t{10}, &whole) ||
          __builtin_add_overflow(whole, std::int64_t{text.front() - '0'}, &whole)) {
        return std::nullopt;
      }
    }
    std::string_view fraction;
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      std::size_t n = 0;
      while (n < text.size() && is_digit(text[n])) ++n;
      fraction = text.substr(0, n);
      text.remove_prefix(n);
    }
    if (digits == 0 && fraction.empty()) return std::nullopt;
    const unit* u = unit_at(text);
    if (u == nullptr) return std::nullopt;
    text.remove_prefix(u->name.size());
    std::int64_t part = 0;
    if (__builtin_mul_overflow(whole, u->nanoseconds, &part)) return std::nullopt;
    // The fraction's digits, each worth a tenth of the one before; below a nanosecond they are
    // dropped, as Go drops them.
    std::int64_t scale = u->nanoseconds;
    for (char c : fraction) {
      scale /= 10;
      part += (c - '0') * scale;
    }
    if (__builtin_add_overflow(total, part, &total)) return std::nullopt;
  }
  if (total <= 0) return std::nullopt;
  return std::chrono::nanoseconds(total);
}

options parse_options(std::span<const std::string> args) {
  options o;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (!arg.starts_with('-') || arg == "-") break;
    if (is_help_flag(arg)) {
      o.help = true;
      return o;
    }
    if (auto v = go_flag_value(kCommand, "n", args, i)) {
      o.runs = in_range("-n", *v, 1, std::numeric_limits<std::uint64_t>::max(),
                        "a number of runs, 1 or more");
    } else if (auto p = go_flag_value(kCommand, "p", args, i)) {
      o.parallel = in_range("-p", *p, 1, kMaxParallel,
                            "how many runs at once, 1 to " + std::to_string(kMaxParallel));
    } else if (auto d = go_flag_value(kCommand, "timeout", args, i)) {
      std::optional<std::chrono::nanoseconds> timeout = parse_duration(*d);
      if (!timeout) invalid("-timeout", *d, "a duration such as 500ms, 30s, 10m or 1h30m");
      o.timeout = *timeout;
    } else if (auto pct = go_flag_value(kCommand, "pct", args, i)) {
      o.pct = static_cast<int>(in_range("--pct", *pct, 1, kMaxPctDepth,
                                        "a depth from 1 to " + std::to_string(kMaxPctDepth)));
    } else if (auto seed = go_flag_value(kCommand, "seed-from", args, i)) {
      std::optional<std::uint64_t> n = parse_unsigned(*seed);
      if (!n) invalid("--seed-from", *seed, "a decimal number below 2^64");
      o.seed_from = *n;
    } else if (is_go_flag(arg, "json")) {
      o.json = true;
    } else if (auto file = go_flag_value(kCommand, "o", args, i)) {
      if (file->empty()) invalid("-o", *file, "a file name");
      o.output_file = *file;
    } else {
      usage_error("unknown flag " + arg +
                  " (-n, -p, -timeout, --pct, --seed-from, --json, -o or --help)");
    }
  }
  o.program.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  if (o.program.empty()) {
    usage_error("no program given (usage: goro stress [flags] [--] PROG [ARGS...])");
  }
  if (o.parallel == 0) {
    const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    o.parallel = cpus > 0 ? static_cast<std::uint64_t>(cpus) : 1;
  }
  return o;
}

}  // namespace goro::driver::stress
