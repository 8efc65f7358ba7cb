// goro report junit: JUnit XML for the test tabs of CI systems (GitLab, Jenkins, test reporters).
//
//   <testsuites name="goro race" tests="1" failures="1" errors="0">
//     <testsuite name="goro race" tests="1" failures="1" errors="0" skipped="0">
//       <testcase classname="goro race" name="a.cpp:3 f() &lt;-&gt; a.cpp:9 g()">
//         <failure type="data race" message="data race (2 reports)">the text report…</failure>
//
// One testcase per distinct race (races.hpp), named by its location pair and failed with the text
// report of its first report, followed by where each of its reports was read from. No races and
// no stress groups: an empty suite with tests="0". Everything is escaped, and what XML 1.0 cannot
// hold at all (control characters, ill-formed UTF-8 in file names from the command line) becomes
// U+FFFD.
//
// goro stress's failure groups (stress_groups.hpp), when there are any, make a suite of their own
// (the only one, named also by <testsuites>, when there are no races):
//
//     <testsuite name="goro stress" tests="1" failures="1" errors="0" skipped="0">
//       <testcase classname="goro stress" name="stress failure (panic): a.cpp:9 f()">
//         <failure type="panic" message="panic: … (3 of 100 runs failed; reproduce: …)">…
//
// failed with the group in view's plain shape (its excerpt last), then where it was read from.
#include <string_view>

#include "outputs.hpp"
#include "races.hpp"
#include "stress_groups.hpp"

namespace goro::driver::report {
namespace {

constexpr std::string_view kSuiteName = "goro race";
constexpr std::string_view kStressSuiteName = "goro stress";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence that `s` starts with and XML allows, or 0.
std::size_t xml_char_length(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r' ? 1 : 0;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range (Unicode, table 3-7)
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  if (length == 3 && lead == 0xEF && byte(1) == 0xBF && byte(2) >= 0xBE) return 0;  // U+FFFE/F
  return length;
}

// The reference that stands for `c` in XML text, or "" when `c` stands for itself. In an
// attribute, line breaks and tabs need one too: a parser would turn them into spaces.
std::string_view xml_reference(char c, bool in_attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    case '\r':
      return "&#13;";
    case '\n':
      return in_attribute ? "&#10;" : "";
    case '\t':
      return in_attribute ? "&#9;" : "";
    default:
      return "";
  }
}

std::string xml_escaped(std::string_view s, bool in_attribute) {
  std::string out;
  while (!s.empty()) {
    const std::size_t length = xml_char_length(s);
    if (length == 0) {
      out += kReplacement;
      s.remove_prefix(1);
      continue;
    }
    const std::string_view reference = xml_reference(s[0], in_attribute);
    out += reference.empty() ? s.substr(0, length) : reference;
    s.remove_prefix(length);
  }
  return out;
}

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escaped(value, true) + "\"";
}

std::string reports_of(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " report" : " reports");
}

// The text report of the first report, then where each report came from.
std::string failure_text(const std::vector<const race_report*>& reports) {
  std::string text = render_text(*reports.front());
  const std::size_t n = reports.size();
  text += n == 1 ? "\nReported once:\n" : "\nReported " + std::to_string(n) + " times:\n";
  for (const race_report* r : reports) {
    text += "  " + r->input + ":" + std::to_string(r->input_line) + " (" + r->program + ", pid " +
            std::to_string(r->pid) + ", " + r->time + ")\n";
  }
  return text;
}

std::string testcase(const distinct_race& race) {
  const std::string type = race.kind == report_kind::lock_order_inversion ? "lock-order inversion"
                           : race.kind == report_kind::partial_deadlock   ? "partial deadlock"
                                                                          : "data race";
  return "    <testcase" + attribute("classname", kSuiteName) + attribute("name", race.label()) +
         ">\n      <failure" + attribute("type", type) +
         attribute("message", type + " (" + reports_of(race.reports.size()) + ")") + ">" +
         xml_escaped(failure_text(race.reports), false) + "</failure>\n    </testcase>\n";
}

std::string stress_testcase(const race_report& r) {
  const stress_group& g = r.stress;
  const std::string message =
      g.headline + " (" + failed_runs(g) + "; reproduce: " + g.command + ")";
  return "    <testcase" + attribute("classname", kStressSuiteName) +
         attribute("name", stress_label(g)) + ">\n      <failure" + attribute("type", g.kind) +
         attribute("message", message) + ">" + xml_escaped(failure_text({&r}), false) +
         "</failure>\n    </testcase>\n";
}

// <testsuite NAME tests=N failures=N …>, opened.
std::string suite_start(std::string_view name, std::size_t failures) {
  const std::string count = std::to_string(failures);
  return "  <testsuite" + attribute("name", name) + attribute("tests", count) +
         attribute("failures", count) + attribute("errors", "0") + attribute("skipped", "0") +
         ">\n";
}

}  // namespace

std::string render_junit(const std::vector<race_report>& reports) {
  const std::vector<distinct_race> races = distinct_races(reports);
  const std::vector<const race_report*> groups = stress_groups(reports);
  const std::string count = std::to_string(races.size() + groups.size());
  // The race suite is always there, but for an input of stress groups alone.
  const bool race_suite = !races.empty() || groups.empty();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", race_suite ? kSuiteName : kStressSuiteName) +
         attribute("tests", count) + attribute("failures", count) + attribute("errors", "0") +
         ">\n";
  if (race_suite) {
    out += suite_start(kSuiteName, races.size());
    for (const distinct_race& race : races) out += testcase(race);
    out += "  </testsuite>\n";
  }
  if (!groups.empty()) {
    out += suite_start(kStressSuiteName, groups.size());
    for (const race_report* g : groups) out += stress_testcase(*g);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace goro::driver::report
