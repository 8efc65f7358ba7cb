// The printf family as the memory accesses it makes (libc_call.hpp): the format string and every
// %s argument are read (up to the precision, if any), a %n argument is written, and the sprintf
// forms write the text they stored. Like libc_strings.cpp, the interposers are defined under asm
// labels and compiled with -fno-builtin (a printf here must not become a puts).
//
// The arguments are walked with a copy of the va_list, by the conversions of the format: each
// conversion's length modifier says what it consumed, so the walk stays in step with the callee.
// A format it cannot follow (a positional %1$s, an unknown conversion) ends the walk: what was
// checked up to there stands, the rest is not checked.
#include <atomic>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "interpose.hpp"
#include "libc_call.hpp"

namespace goro::race {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads format and what its %s take from args, writes what its %n point at.
void check_format(const libc_call& call, const char* format, va_list args) {
  if (!call.active() || format == nullptr) return;
  call.reads(format, string_length(format) + 1);
  va_list ap;
  va_copy(ap, args);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') continue;
    ++p;
    if (*p == '%') continue;
    while (*p == '-' || *p == '+' || *p == ' ' || *p == '#' || *p == '0' || *p == '\'') ++p;
    if (*p == '*') {
      (void)va_arg(ap, int);
      ++p;
    } else {
      while (is_digit(*p)) ++p;
    }
    if (*p == '$') break;  // positional arguments: not followed
    std::size_t precision = SIZE_MAX;
    if (*p == '.') {
      ++p;
      if (*p == '*') {
        const int given = va_arg(ap, int);
        precision = given >= 0 ? static_cast<std::size_t>(given) : SIZE_MAX;
        ++p;
      } else {
        precision = 0;
        for (; is_digit(*p); ++p) precision = precision * 10 + static_cast<std::size_t>(*p - '0');
      }
    }
    int longs = 0;  // l, ll; 'L' for long double
    bool long_double = false;
    for (;; ++p) {
      if (*p == 'l') {
        ++longs;
      } else if (*p == 'L' || *p == 'q') {
        long_double = true;
      } else if (*p == 'j' || *p == 'z' || *p == 't') {
        longs = 1;  // intmax_t, size_t, ptrdiff_t: 8 bytes, as long
      } else if (*p != 'h') {
        break;
      }
    }
    switch (*p) {
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X':
      case 'c':
        if (longs > 0) {
          (void)va_arg(ap, long long);
        } else {
          (void)va_arg(ap, int);
        }
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A':
        if (long_double) {
          (void)va_arg(ap, long double);
        } else {
          (void)va_arg(ap, double);
        }
        break;
      case 'p':
        (void)va_arg(ap, void*);
        break;
      case 's':
        if (longs > 0) {
          (void)va_arg(ap, void*);  // a wide string: not checked
        } else if (const char* s = va_arg(ap, const char*); s != nullptr) {
          const std::size_t n = string_length(s, precision);
          call.reads(s, n < precision ? n + 1 : n);
        }
        break;
      case 'n':
        call.writes(va_arg(ap, void*), longs > 1 ? 8 : longs == 1 ? sizeof(long) : sizeof(int));
        break;
      case 'm':
        break;
      default:
        va_end(ap);
        return;  // unknown: stop following
    }
    if (*p == '\0') break;
  }
  va_end(ap);
}

// What an s(n)printf stored: its text and terminator, at most n bytes.
void check_stored(const libc_call& call, const char* buf, int r, std::size_t n) {
  if (!call.active() || r < 0 || n == 0) return;
  const std::size_t text = static_cast<std::size_t>(r);
  call.writes(buf, (text < n - 1 ? text : n - 1) + 1);
}

using vprintf_fn = int (*)(const char*, va_list);
using vfprintf_fn = int (*)(FILE*, const char*, va_list);
using vsnprintf_fn = int (*)(char*, std::size_t, const char*, va_list);
using vsprintf_fn = int (*)(char*, const char*, va_list);

std::atomic<vprintf_fn> real_vprintf{nullptr};
std::atomic<vfprintf_fn> real_vfprintf{nullptr};
std::atomic<vsnprintf_fn> real_vsnprintf{nullptr};
std::atomic<vsprintf_fn> real_vsprintf{nullptr};

}  // namespace
}  // namespace goro::race

using goro::race::check_format;
using goro::race::check_stored;
using goro::race::libc_call;
using goro::race::real_function;

extern "C" int goro_libc_vprintf(const char* format, va_list args) __asm__("vprintf");
extern "C" int goro_libc_vprintf(const char* format, va_list args) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_vprintf));
  check_format(call, format, args);
  return real_function(goro::race::real_vprintf, "vprintf")(format, args);
}

extern "C" int goro_libc_printf(const char* format, ...) __asm__("printf");
extern "C" int goro_libc_printf(const char* format, ...) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_printf));
  va_list args;
  va_start(args, format);
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vprintf, "vprintf")(format, args);
  va_end(args);
  return r;
}

extern "C" int goro_libc_vfprintf(FILE* f, const char* format, va_list args) __asm__("vfprintf");
extern "C" int goro_libc_vfprintf(FILE* f, const char* format, va_list args) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_vfprintf));
  check_format(call, format, args);
  return real_function(goro::race::real_vfprintf, "vfprintf")(f, format, args);
}

extern "C" int goro_libc_fprintf(FILE* f, const char* format, ...) __asm__("fprintf");
extern "C" int goro_libc_fprintf(FILE* f, const char* format, ...) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_fprintf));
  va_list args;
  va_start(args, format);
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vfprintf, "vfprintf")(f, format, args);
  va_end(args);
  return r;
}

extern "C" int goro_libc_vsnprintf(char* buf, size_t n, const char* format,
                                   va_list args) __asm__("vsnprintf");
extern "C" int goro_libc_vsnprintf(char* buf, size_t n, const char* format, va_list args) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_vsnprintf));
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vsnprintf, "vsnprintf")(buf, n, format, args);
  check_stored(call, buf, r, n);
  return r;
}

extern "C" int goro_libc_snprintf(char* buf, size_t n, const char* format, ...) __asm__("snprintf");
extern "C" int goro_libc_snprintf(char* buf, size_t n, const char* format, ...) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_snprintf));
  va_list args;
  va_start(args, format);
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vsnprintf, "vsnprintf")(buf, n, format, args);
  va_end(args);
  check_stored(call, buf, r, n);
  return r;
}

extern "C" int goro_libc_vsprintf(char* buf, const char* format, va_list args) __asm__("vsprintf");
extern "C" int goro_libc_vsprintf(char* buf, const char* format, va_list args) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_vsprintf));
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vsprintf, "vsprintf")(buf, format, args);
  check_stored(call, buf, r, SIZE_MAX);
  return r;
}

extern "C" int goro_libc_sprintf(char* buf, const char* format, ...) __asm__("sprintf");
extern "C" int goro_libc_sprintf(char* buf, const char* format, ...) {
  const libc_call call(GORO_LIBC_HERE(goro_libc_sprintf));
  va_list args;
  va_start(args, format);
  check_format(call, format, args);
  const int r = real_function(goro::race::real_vsprintf, "vsprintf")(buf, format, args);
  va_end(args);
  check_stored(call, buf, r, SIZE_MAX);
  return r;
}
