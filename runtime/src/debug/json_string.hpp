// A string as a JSON string literal, for the JSON the runtime and the race detector write by hand
// (the execution trace, race report lines): both run inside the program under test, where a JSON
// library that allocates through exceptions and iostreams is unwelcome.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace goro::debug {

// Appends s to out as a JSON string: quoted, with '"', '\\' and control characters escaped.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

}  // namespace goro::debug
