// GORODEBUG parsing; see godebug.hpp. The settings are a plain global written before any goroutine
// or M other than the first exists, so later readers need no synchronisation.
#include "debug/godebug.hpp"

#include <cstdlib>
#include <string>

#include "debug/fatal.hpp"
#include "trace/trace.hpp"

namespace goro::debug {
namespace {

godebug_settings g_settings;

// The error text lives here until the caller has printed it (start-up, one thread).
std::string g_error;

// A decimal number that fits in T.
template <typename T>
bool parse_decimal(std::string_view v, T* out) {
  if (v.empty()) return false;
  T n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(n, T{10}, &n) || __builtin_add_overflow(n, T(c - '0'), &n))
      return false;
  }
  *out = n;
  return true;
}

bool parse_int(std::string_view v, int* out) { return parse_decimal(v, out); }

std::string_view fail(std::string_view key, std::string_view value, std::string_view expected) {
  g_error = "GORODEBUG: ";
  g_error += key;
  g_error += '=';
  g_error += value;
  g_error += ": expected ";
  g_error += expected;
  return g_error;
}

std::string_view apply(std::string_view key, std::string_view value, godebug_settings* out) {
  if (key == "partialdeadlock") {
    if (value == "fatal" || value == "1") {
      out->partial_deadlock = partial_deadlock_mode::fatal;
    } else if (value == "warn") {
      out->partial_deadlock = partial_deadlock_mode::warn;
    } else if (value == "0") {
      out->partial_deadlock = partial_deadlock_mode::off;
    } else {
      return fail(key, value, "fatal, warn or 0");
    }
  } else if (key == "leakcheck") {
    if (value != "0" && value != "1") return fail(key, value, "0 or 1");
    out->leakcheck = value == "1";
  } else if (key == "leakcheckexit") {
    int n = 0;
    if (!parse_int(value, &n) || n > 125) return fail(key, value, "an exit status from 0 to 125");
    out->leakcheck_exit = n;
  } else if (key == "schedseed") {
    if (!parse_decimal(value, &out->sched_seed))
      return fail(key, value, "a seed: a decimal number below 2^64");
    out->sched_seeded = true;
  } else if (key == "trace") {
    if (value.empty()) return fail(key, value, "a file name");
    out->trace_path = value;
  } else if (key == "pct") {
    int d = 0;
    if (!parse_int(value, &d) || d < 1 || d > kMaxPctDepth)
      return fail(key, value, "a depth from 1 to 16");
    out->pct_depth = d;
  }
  return {};
}

}  // namespace

const godebug_settings& godebug() { return g_settings; }

std::string_view parse_godebug(std::string_view text, godebug_settings* out) {
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      g_error = "GORODEBUG: ";
      g_error += pair;
      g_error += ": expected key=value";
      return g_error;
    }
    if (std::string_view err = apply(pair.substr(0, eq), pair.substr(eq + 1), out); !err.empty())
      return err;
  }
  if (out->pct_depth > 0 && !out->sched_seeded) {
    g_error = "GORODEBUG: pct needs schedseed (PCT draws its priorities from the seed)";
    return g_error;
  }
  return {};
}

void load_godebug() {
  const char* env = std::getenv("GORODEBUG");
  if (env == nullptr) return;
  if (std::string_view err = parse_godebug(env, &g_settings); !err.empty()) fatal_plain(err);
  if (!g_settings.trace_path.empty()) trace::start(g_settings.trace_path.c_str());
}

}  // namespace goro::debug
