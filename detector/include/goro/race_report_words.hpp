// The words of a race report, shared by the two writers of its text: the detector, which prints
// it as the race happens (detector/src/report_text.cpp), and `goro report`, which renders it again
// from the JSON lines, with colour and source lines (driver/report/text.cpp). One definition, so
// the two cannot drift apart. Not installed: header-only, for this project's own targets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goro::report_words {

inline constexpr std::string_view kSeparator = "==================\n";
inline constexpr std::string_view kWarning = "WARNING: DATA RACE";
// A vtable-pointer race keeps Go's first words, with ThreadSanitizer's name for the kind after
// them.
inline constexpr std::string_view kWarningVptr =
    "WARNING: DATA RACE on vptr (ctor/dtor vs virtual call)";
inline constexpr std::string_view kNoStack = "[failed to restore the stack]";
inline constexpr std::string_view kUnknownGoroutine = "unknown goroutine";

// "Read", "Atomic write", "Previous read", "Previous atomic write", ...
inline std::string access_name(bool previous, bool atomic, bool write) {
  std::string name = previous ? "Previous " : "";
  if (atomic) name += previous ? "atomic " : "Atomic ";
  if (previous || atomic) return name + (write ? "write" : "read");
  return name + (write ? "Write" : "Read");
}

// "goroutine 7", "main goroutine", "thread T3", "main thread".
inline std::string goroutine_name(bool is_thread, bool is_main, std::int64_t id) {
  if (is_thread) return is_main ? "main thread" : "thread T" + std::to_string(id);
  return is_main ? "main goroutine" : "goroutine " + std::to_string(id);
}

// "Goroutine 7 (running) created at:", "Thread T2 (finished) created at:".
inline std::string creation_heading(bool is_thread, std::int64_t id, bool finished) {
  return (is_thread ? "Thread T" : "Goroutine ") + std::to_string(id) +
         (finished ? " (finished)" : " (running)") + " created at:";
}

}  // namespace goro::report_words
