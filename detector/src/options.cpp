// GORACE parsing (options.hpp). Runs from .preinit_array: no allocation, no stdio.
#include "options.hpp"

#include <unistd.h>

#include <cstring>

#include "base.hpp"

namespace goro::race {
namespace {

options g_options;

[[noreturn]] void malformed(const char* what, const char* entry, std::size_t entry_len) {
  static const char kPrefix[] = "goro: malformed GORACE: ";
  write_all(2, kPrefix, sizeof kPrefix - 1);
  write_all(2, what, std::strlen(what));
  write_all(2, " in \"", 5);
  write_all(2, entry, entry_len);
  static const char kHelp[] =
      "\"\n  expected space-separated key=value pairs; keys: log_path exitcode halt_on_error "
      "strip_path_prefix history_size json_path suppressions atexit_sleep_ms\n";
  write_all(2, kHelp, sizeof kHelp - 1);
  _exit(2);
}

bool parse_int(const char* s, std::size_t n, long lo, long hi, int& out) {
  if (n == 0 || n > 9) return false;
  long v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v < lo || v > hi) return false;
  out = static_cast<int>(v);
  return true;
}

void copy_value(char* dst, const char* s, std::size_t n, const char* entry, std::size_t entry_len) {
  if (n == 0) malformed("empty value", entry, entry_len);
  if (n >= PATH_MAX) malformed("value too long", entry, entry_len);
  std::memcpy(dst, s, n);
  dst[n] = '\0';
}

bool key_is(const char* key, std::size_t n, const char* want) {
  return std::strlen(want) == n && std::memcmp(key, want, n) == 0;
}

void parse_entry(const char* entry, std::size_t len) {
  const char* eq = static_cast<const char*>(std::memchr(entry, '=', len));
  if (eq == nullptr) malformed("missing '='", entry, len);
  const std::size_t klen = static_cast<std::size_t>(eq - entry);
  const char* value = eq + 1;
  const std::size_t vlen = len - klen - 1;
  int n = 0;
  if (key_is(entry, klen, "log_path")) {
    copy_value(g_options.log_path, value, vlen, entry, len);
  } else if (key_is(entry, klen, "json_path")) {
    copy_value(g_options.json_path, value, vlen, entry, len);
  } else if (key_is(entry, klen, "strip_path_prefix")) {
    copy_value(g_options.strip_path_prefix, value, vlen, entry, len);
  } else if (key_is(entry, klen, "suppressions")) {
    copy_value(g_options.suppressions, value, vlen, entry, len);
  } else if (key_is(entry, klen, "exitcode")) {
    if (!parse_int(value, vlen, 0, 255, n)) malformed("exitcode must be 0..255", entry, len);
    g_options.exitcode = n;
  } else if (key_is(entry, klen, "halt_on_error")) {
    if (!parse_int(value, vlen, 0, 1, n)) malformed("halt_on_error must be 0 or 1", entry, len);
    g_options.halt_on_error = n != 0;
  } else if (key_is(entry, klen, "history_size")) {
    if (!parse_int(value, vlen, 0, 7, n)) malformed("history_size must be 0..7", entry, len);
    g_options.history_size = n;
  } else if (key_is(entry, klen, "atexit_sleep_ms")) {
    if (!parse_int(value, vlen, 0, 1000000000, n)) {
      malformed("atexit_sleep_ms must be a number", entry, len);
    }
  } else {
    malformed("unknown key", entry, len);
  }
}

}  // namespace

const options& opts() { return g_options; }
options& mutable_opts() { return g_options; }

void parse_options(const char* env) {
  if (env == nullptr) return;
  const char* p = env;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n') ++p;
    if (*p == '\0') break;
    const char* start = p;
    while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n') ++p;
    parse_entry(start, static_cast<std::size_t>(p - start));
  }
}

}  // namespace goro::race
