// The C library's string and stdio functions as the memory accesses they are: strlen reads the
// string and its terminator, strcpy reads the source and writes as much of the destination,
// fwrite reads the items it wrote, fgets writes the line it stored, and so on (libc_call.hpp
// checks each range as instrumented code's accesses are checked). File descriptor transfers
// (read, write, send, recv...) are fd.cpp's, which also makes them happens-before edges.
//
// One table: each row is a function's signature and the ranges it touched, computed after the call
// from its arguments and result `r` as ThreadSanitizer's interceptors compute them — a comparison
// reads up to and including the first difference, a search up to and including the match. The
// interposers are defined under asm labels (the C++ names are goro_libc_<name>): <cstring>'s C++
// overloads of strchr and friends would clash with plain definitions, and this file includes none
// of the declarations it defines. It is compiled with -fno-builtin, so no optimisation turns its
// length loops (string_length) back into calls of the functions they stand in front of.
//
// The printf family is libc_format.cpp's. Not modelled: scanf, the _FORTIFY_SOURCE __*_chk
// variants (Debian's clang does not fortify by default), wide strings.
#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "interpose.hpp"
#include "libc_call.hpp"

namespace goro::race {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// How many bytes a comparison of a and b reads of each: through the first difference or the
// terminator, at most max.
std::size_t compared(const char* a, const char* b, std::size_t max, bool fold) {
  std::size_t i = 0;
  for (; i < max; ++i) {
    const char x = fold ? lower(a[i]) : a[i];
    const char y = fold ? lower(b[i]) : b[i];
    if (x != y || x == '\0') return i + 1;
  }
  return max;
}

std::size_t at_most(std::size_t n, std::size_t max) { return n < max ? n : max; }

// What a number parser read: through the first character that is not part of the number, where
// it stopped (its end pointer: the caller's, or the interposer's own when the caller passed none).
std::size_t parsed(const char* s, char* const* end, const char* own_end) {
  const char* stop = end != nullptr ? *end : own_end;
  return stop != nullptr && stop >= s ? static_cast<std::size_t>(stop - s) + 1 : 1;
}

// The same for atoi and atol, which have no end pointer: blanks, a sign, decimal digits.
std::size_t decimal_text(const char* s) {
  std::size_t n = 0;
  while (s[n] == ' ' || (s[n] >= '\t' && s[n] <= '\r')) ++n;
  if (s[n] == '+' || s[n] == '-') ++n;
  while (s[n] >= '0' && s[n] <= '9') ++n;
  return n + 1;
}

// Through the match, or the whole string with its terminator when there is none.
std::size_t searched(const char* s, const char* match) {
  return match != nullptr ? static_cast<std::size_t>(match - s) + 1 : string_length(s) + 1;
}

}  // namespace
}  // namespace goro::race

using goro::race::at_most;
using goro::race::compared;
using goro::race::decimal_text;
using goro::race::libc_call;
using goro::race::parsed;
using goro::race::searched;
using goro::race::string_length;

// X(return type, name, (parameters), (arguments), checks after the call: `call` and the result `r`;
// `own_end` is a char* the arguments may point the callee's end pointer at)
#define GORO_LIBC_STRING_CALLS(X)                                                                 \
  X(size_t, strlen, (const char* s), (s), call.reads(s, r + 1))                                   \
  X(size_t, strnlen, (const char* s, size_t max), (s, max), call.reads(s, at_most(r + 1, max)))   \
  X(int, strcmp, (const char* a, const char* b), (a, b), {                                        \
    const size_t n = compared(a, b, SIZE_MAX, false);                                             \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(int, strncmp, (const char* a, const char* b, size_t max), (a, b, max), {                      \
    const size_t n = compared(a, b, max, false);                                                  \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(int, strcasecmp, (const char* a, const char* b), (a, b), {                                    \
    const size_t n = compared(a, b, SIZE_MAX, true);                                              \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(int, strncasecmp, (const char* a, const char* b, size_t max), (a, b, max), {                  \
    const size_t n = compared(a, b, max, true);                                                   \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(int, memcmp, (const void* a, const void* b, size_t n), (a, b, n), {                           \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(int, bcmp, (const void* a, const void* b, size_t n), (a, b, n), {                             \
    call.reads(a, n);                                                                             \
    call.reads(b, n);                                                                             \
  })                                                                                              \
  X(void*, memchr, (const void* s, int c, size_t n), (s, c, n),                                   \
    call.reads(s,                                                                                 \
               r != nullptr ? static_cast<const char*>(r) - static_cast<const char*>(s) + 1 : n)) \
  X(void*, memrchr, (const void* s, int c, size_t n), (s, c, n), call.reads(s, n))                \
  X(char*, strchr, (const char* s, int c), (s, c), call.reads(s, searched(s, r)))                 \
  X(char*, strrchr, (const char* s, int c), (s, c), call.reads(s, string_length(s) + 1))          \
  X(char*, strstr, (const char* s, const char* part), (s, part), {                                \
    call.reads(s, r != nullptr ? static_cast<size_t>(r - s) + string_length(part)                 \
                               : string_length(s) + 1);                                           \
    call.reads(part, string_length(part) + 1);                                                    \
  })                                                                                              \
  X(size_t, strspn, (const char* s, const char* set), (s, set), {                                 \
    call.reads(s, r + 1);                                                                         \
    call.reads(set, string_length(set) + 1);                                                      \
  })                                                                                              \
  X(size_t, strcspn, (const char* s, const char* set), (s, set), {                                \
    call.reads(s, r + 1);                                                                         \
    call.reads(set, string_length(set) + 1);                                                      \
  })                                                                                              \
  X(char*, strpbrk, (const char* s, const char* set), (s, set), {                                 \
    call.reads(s, searched(s, r));                                                                \
    call.reads(set, string_length(set) + 1);                                                      \
  })                                                                                              \
  X(char*, strcpy, (char* dst, const char* src), (dst, src), {                                    \
    const size_t n = string_length(src) + 1;                                                      \
    call.reads(src, n);                                                                           \
    call.writes(dst, n);                                                                          \
  })                                                                                              \
  X(char*, strncpy, (char* dst, const char* src, size_t n), (dst, src, n), {                      \
    call.reads(src, at_most(string_length(src, n) + 1, n));                                       \
    call.writes(dst, n);                                                                          \
  })                                                                                              \
  X(char*, strcat, (char* dst, const char* src), (dst, src), {                                    \
    const size_t added = string_length(src);                                                      \
    const size_t kept = string_length(dst) - added;                                               \
    call.reads(src, added + 1);                                                                   \
    call.reads(dst, kept);                                                                        \
    call.writes(dst + kept, added + 1);                                                           \
  })                                                                                              \
  X(char*, strncat, (char* dst, const char* src, size_t n), (dst, src, n), {                      \
    const size_t added = string_length(src, n);                                                   \
    const size_t kept = string_length(dst) - added;                                               \
    call.reads(src, at_most(added + 1, n));                                                       \
    call.reads(dst, kept);                                                                        \
    call.writes(dst + kept, added + 1);                                                           \
  })                                                                                              \
  X(char*, stpcpy, (char* dst, const char* src), (dst, src), {                                    \
    const size_t n = static_cast<size_t>(r - dst) + 1;                                            \
    call.reads(src, n);                                                                           \
    call.writes(dst, n);                                                                          \
  })                                                                                              \
  X(long, strtol, (const char* s, char** end, int base), (s, end ? end : &own_end, base),         \
    call.reads(s, parsed(s, end, own_end)))                                                       \
  X(unsigned long, strtoul, (const char* s, char** end, int base),                                \
    (s, end ? end : &own_end, base), call.reads(s, parsed(s, end, own_end)))                      \
  X(long long, strtoll, (const char* s, char** end, int base), (s, end ? end : &own_end, base),   \
    call.reads(s, parsed(s, end, own_end)))                                                       \
  X(unsigned long long, strtoull, (const char* s, char** end, int base),                          \
    (s, end ? end : &own_end, base), call.reads(s, parsed(s, end, own_end)))                      \
  X(double, strtod, (const char* s, char** end), (s, end ? end : &own_end),                       \
    call.reads(s, parsed(s, end, own_end)))                                                       \
  X(int, atoi, (const char* s), (s), call.reads(s, decimal_text(s)))                              \
  X(long, atol, (const char* s), (s), call.reads(s, decimal_text(s)))                             \
  X(ssize_t, getline, (char** line, size_t* cap, FILE* f), (line, cap, f),                        \
    if (r > 0) call.writes(*line, static_cast<size_t>(r) + 1))                                    \
  X(char*, strdup, (const char* s), (s), call.reads(s, string_length(s) + 1))                     \
  X(char*, strndup, (const char* s, size_t n), (s, n),                                            \
    call.reads(s, at_most(string_length(s, n) + 1, n)))                                           \
  X(int, puts, (const char* s), (s), call.reads(s, string_length(s) + 1))                         \
  X(int, fputs, (const char* s, FILE* f), (s, f), call.reads(s, string_length(s) + 1))            \
  X(size_t, fwrite, (const void* p, size_t size, size_t n, FILE* f), (p, size, n, f),             \
    call.reads(p, r* size))                                                                       \
  X(size_t, fread, (void* p, size_t size, size_t n, FILE* f), (p, size, n, f),                    \
    call.writes(p, r* size))                                                                      \
  X(char*, fgets, (char* buf, int n, FILE* f), (buf, n, f),                                       \
    if (r != nullptr) call.writes(buf, string_length(buf) + 1))                                   \
  X(char*, strerror_r, (int e, char* buf, size_t n), (e, buf, n),                                 \
    if (r == buf) call.writes(buf, string_length(buf) + 1))                                       \
  X(int, __xpg_strerror_r, (int e, char* buf, size_t n), (e, buf, n),                             \
    if (r == 0 && n > 0) call.writes(buf, string_length(buf, n - 1) + 1))

// One interposer per row: find the real function, call it, check what it touched.
#define GORO_DEFINE_CHECKED_CALL(ret, name, params, args, checks)                             \
  extern "C" ret goro_libc_##name params __asm__(#name);                                      \
  extern "C" ret goro_libc_##name params {                                                    \
    static std::atomic<ret(*) params> real{nullptr};                                          \
    const libc_call call(reinterpret_cast<const void*>(&goro_libc_##name), GORO_LIBC_CALLER); \
    [[maybe_unused]] char* own_end = nullptr; /* the number parsers' end pointer */           \
    ret const r = goro::race::real_function(real, #name) args;                                \
    if (call.active()) checks;                                                                \
    return r;                                                                                 \
  }

GORO_LIBC_STRING_CALLS(GORO_DEFINE_CHECKED_CALL)
