// goro report sarif: a SARIF 2.1.0 log for code-scanning UIs (GitHub code scanning, SARIF viewers).
//
// One run of the tool "goro" with one rule, "data-race", and one result per distinct race
// (races.hpp): located at the current access's top frame, with the previous access's top frame as
// its related location and both stacks under `stacks`. The race's first report stands for it and
// `occurrenceCount` says how many there were. `partialFingerprints` holds a hash of the location
// pair, so code scanning knows the same race again in the next upload. File names become URIs:
// relative names stay relative (--strip makes them relative to the repository root, which is what
// code scanning wants), absolute ones become file:// URIs.
//
// goro stress's failure groups (stress_groups.hpp) come after the races, a rule per kind of
// failure that occurs ("stress/data-race", "stress/panic", "stress/exit-status", …, listed after
// the runtime's rules in the order the groups first name them) and a result per group: located
// at its first frame when that has a file, its other frames related locations, the command that
// replays it in the message, `occurrenceCount` its failed runs.
#include <algorithm>
#include <map>
#include <string_view>

#include "../sarif/sarif_log.hpp"
#include "outputs.hpp"
#include "races.hpp"
#include "stress_groups.hpp"

namespace goro::driver::report {
namespace {

using sarif::fingerprint;
using sarif::json;
using sarif::message;
using sarif::uri_of;

constexpr char kRuleId[] = "data-race";
constexpr char kLockOrderRuleId[] = "lock-order-inversion";  // rule 1, listed only when used
constexpr char kDeadlockRuleId[] = "partial-deadlock";       // the next rule, listed only when used
constexpr char kFingerprintName[] = "goroRacePair/v1";
constexpr char kStressRulePrefix[] = "stress/";
constexpr char kStressFingerprintName[] = "goroStressGroup/v1";

json location_of(const frame& f) {
  json location = json::object();
  if (!f.file.empty()) {
    json physical = {{"artifactLocation", {{"uri", uri_of(f.file)}}}};
    if (f.line > 0) physical["region"] = {{"startLine", f.line}};
    location["physicalLocation"] = std::move(physical);
  }
  if (f.function != "??") {
    json logical = {{"fullyQualifiedName", f.function}, {"kind", "function"}};
    location["logicalLocations"] = json::array({std::move(logical)});
  }
  return location;
}

// "read", "atomic write", …
std::string operation(const access& a) {
  return std::string(a.atomic ? "atomic " : "") + (a.is_write ? "write" : "read");
}

std::string who(const access& a) { return a.by ? a.by->name : "unknown goroutine"; }

bool has_stack(const access& a) { return a.restored && !a.stack.empty(); }

json stack_of(const access& a, const std::string& what) {
  json frames = json::array();
  for (const frame& f : a.stack) frames.push_back({{"location", location_of(f)}});
  return {{"message", message(what + " by " + who(a))}, {"frames", std::move(frames)}};
}

std::string result_text(const access& current, const access& previous, std::size_t count) {
  std::string text = "Data race: " + operation(current);
  if (has_stack(current)) text += " in " + current.stack.front().function;
  text += " races with previous " + operation(previous);
  text += has_stack(previous) ? " in " + previous.stack.front().function
                              : " (its stack was not restored)";
  text += count == 1 ? "." : " (reported " + std::to_string(count) + " times).";
  return text;
}

json frames_json(const std::vector<frame>& stack) {
  json frames = json::array();
  for (const frame& f : stack) frames.push_back({{"location", location_of(f)}});
  return frames;
}

// A lock-order inversion: located where the cycle's first lock-taking happened, each other edge a
// related location, and per edge both stacks (where each lock was taken).
json lock_order_result_of(const distinct_race& race) {
  const race_report& r = *race.reports.front();
  const std::size_t n = r.cycle.size();
  auto mutex = [](std::size_t i) { return "M" + std::to_string(i + 1); };
  auto who_of = [](const lock_edge& e) { return e.by ? e.by->name : "unknown goroutine"; };
  std::string text = "Lock-order inversion (potential deadlock):";
  for (std::size_t i = 0; i < n; ++i) {
    const lock_edge& e = r.cycle[i];
    text += (i == 0 ? " " : "; ") + mutex((i + 1) % n) + " taken" +
            (e.stack.empty() ? "" : " in " + e.stack.front().function) + " while holding " +
            mutex(i) + " by " + who_of(e);
  }
  text += race.reports.size() == 1
              ? "."
              : " (reported " + std::to_string(race.reports.size()) + " times).";
  json result = {
      {"ruleId", kLockOrderRuleId}, {"ruleIndex", 1},
      {"level", "error"},           {"message", message(text)},
      {"locations", json::array()},
  };
  if (!r.cycle.front().stack.empty()) {
    result["locations"].push_back(location_of(r.cycle.front().stack.front()));
  }
  json related = json::array();
  json stacks = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    const lock_edge& e = r.cycle[i];
    const std::string taken = mutex((i + 1) % n) + " taken while holding " + mutex(i);
    if (i > 0 && !e.stack.empty()) {
      json where = {{"id", related.size() + 1}};
      where.update(location_of(e.stack.front()));
      where["message"] = message(taken);
      related.push_back(std::move(where));
    }
    stacks.push_back(
        {{"message", message(taken + " by " + who_of(e))}, {"frames", frames_json(e.stack)}});
    stacks.push_back({{"message", message(mutex(i) + " previously taken by " + who_of(e))},
                      {"frames", frames_json(e.held_stack)}});
  }
  if (!related.empty()) result["relatedLocations"] = std::move(related);
  result["partialFingerprints"] = {{kFingerprintName, fingerprint(race.label())}};
  result["occurrenceCount"] = race.reports.size();
  result["stacks"] = std::move(stacks);
  return result;
}

// A partial deadlock: located where its first goroutine waits, each other one a related location,
// with one stack per goroutine.
json deadlock_result_of(const distinct_race& race, int rule_index) {
  const race_report& r = *race.reports.front();
  std::string text = "Partial deadlock: goroutines";
  for (std::size_t i = 0; i < r.deadlock.size(); ++i) {
    const deadlock_member& m = r.deadlock[i];
    text += (i == 0 ? " " : ", ") + std::to_string(m.who.id) + " (" + m.state;
    if (!m.stack.empty()) text += " in " + m.stack.front().function;
    text += ")";
  }
  text += " wait for each other's locks";
  text += race.reports.size() == 1
              ? "."
              : " (reported " + std::to_string(race.reports.size()) + " times).";
  json result = {
      {"ruleId", kDeadlockRuleId}, {"ruleIndex", rule_index},    {"level", "error"},
      {"message", message(text)},  {"locations", json::array()},
  };
  json related = json::array();
  json stacks = json::array();
  for (std::size_t i = 0; i < r.deadlock.size(); ++i) {
    const deadlock_member& m = r.deadlock[i];
    const std::string what =
        "goroutine " + std::to_string(m.who.id) + " " + (m.says.empty() ? "waits" : m.says.front());
    if (!m.stack.empty()) {
      if (i == 0) {
        result["locations"].push_back(location_of(m.stack.front()));
      } else {
        json where = {{"id", related.size() + 1}};
        where.update(location_of(m.stack.front()));
        where["message"] = message(what);
        related.push_back(std::move(where));
      }
    }
    stacks.push_back({{"message", message(what)}, {"frames", frames_json(m.stack)}});
  }
  if (!related.empty()) result["relatedLocations"] = std::move(related);
  result["partialFingerprints"] = {{kFingerprintName, fingerprint(race.label())}};
  result["occurrenceCount"] = race.reports.size();
  result["stacks"] = std::move(stacks);
  return result;
}

json result_of(const distinct_race& race, int deadlock_rule_index) {
  if (race.kind == report_kind::lock_order_inversion) return lock_order_result_of(race);
  if (race.kind == report_kind::partial_deadlock) {
    return deadlock_result_of(race, deadlock_rule_index);
  }
  const race_report& r = *race.reports.front();
  json result = {
      {"ruleId", kRuleId},
      {"ruleIndex", 0},
      {"level", "error"},
      {"message", message(result_text(r.current, r.previous, race.reports.size()))},
      {"locations", json::array()},
  };
  if (has_stack(r.current)) result["locations"].push_back(location_of(r.current.stack.front()));
  if (has_stack(r.previous)) {
    json related = {{"id", 1}};
    related.update(location_of(r.previous.stack.front()));
    related["message"] = message("previous " + operation(r.previous));
    result["relatedLocations"] = json::array({std::move(related)});
  }
  result["partialFingerprints"] = {{kFingerprintName, fingerprint(race.label())}};
  result["occurrenceCount"] = race.reports.size();
  json stacks = json::array();
  if (has_stack(r.current)) stacks.push_back(stack_of(r.current, operation(r.current)));
  if (has_stack(r.previous)) {
    stacks.push_back(stack_of(r.previous, "previous " + operation(r.previous)));
  }
  result["stacks"] = std::move(stacks);
  return result;
}

// "stress/data-race" for the kind "data race".
std::string stress_rule_id(const std::string& kind) {
  std::string id = kStressRulePrefix + kind;
  std::replace(id.begin(), id.end(), ' ', '-');
  return id;
}

// A goro stress failure group.
json stress_result_of(const race_report& r, int rule_index) {
  const stress_group& g = r.stress;
  const std::string text = "goro stress: " + g.headline + " (" + failed_runs(g) + ", first: seed " +
                           std::to_string(g.seed) + "). Reproduce: " + g.command;
  json result = {
      {"ruleId", stress_rule_id(g.kind)}, {"ruleIndex", rule_index},    {"level", "error"},
      {"message", message(text)},         {"locations", json::array()},
  };
  for (std::size_t i = 0; i < g.frames.size(); ++i) {
    const frame& f = g.frames[i];
    if (f.file.empty()) continue;
    if (i == 0) {
      result["locations"].push_back(location_of(f));
      continue;
    }
    json where = {{"id", i}};
    where.update(location_of(f));
    where["message"] = message(has_frame_pair(g) ? "the other stack's top frame"
                                                 : "further out on the same stack");
    result["relatedLocations"].push_back(std::move(where));
  }
  result["partialFingerprints"] = {{kStressFingerprintName, fingerprint(stress_label(g))}};
  result["occurrenceCount"] = g.runs;
  return result;
}

json rule() {
  return sarif::rule(kRuleId, "DataRace", "Data race",
                     "Two goroutines or threads accessed the same memory location without "
                     "synchronisation, and at least one of the accesses was a write.",
                     "error");
}

json lock_order_rule() {
  return sarif::rule(kLockOrderRuleId, "LockOrderInversion",
                     "Lock-order inversion (potential deadlock)",
                     "Goroutines or threads took the same locks in orders that form a cycle: run "
                     "at the same time, they can deadlock, though this run did not.",
                     "error");
}

json stress_rule(const std::string& kind) {
  std::string name = "Stress";  // "StressDataRace"
  bool word_start = true;
  for (char c : kind) {
    if (c == ' ' || c == '-') {
      word_start = true;
      continue;
    }
    name += word_start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    word_start = false;
  }
  const std::string description =
      "Runs of the program under goro stress's seeded schedules ended with this kind of failure (" +
      kind + "); each result's command replays the first run of its group.";
  return sarif::rule(stress_rule_id(kind), name, "goro stress: " + kind, description, "error");
}

json deadlock_rule() {
  return sarif::rule(kDeadlockRuleId, "PartialDeadlock", "Partial deadlock",
                     "Goroutines waited for each other's locks in a cycle: none of them can ever "
                     "run again, while the rest of the program may go on.",
                     "error");
}

}  // namespace

std::string render_sarif(const std::vector<race_report>& reports) {
  const std::vector<distinct_race> races = distinct_races(reports);
  bool inversions = false;
  bool deadlocks = false;
  for (const distinct_race& race : races) {
    inversions = inversions || race.kind == report_kind::lock_order_inversion;
    deadlocks = deadlocks || race.kind == report_kind::partial_deadlock;
  }
  json rules = json::array({rule()});
  if (inversions) rules.push_back(lock_order_rule());
  const int deadlock_rule_index = static_cast<int>(rules.size());
  if (deadlocks) rules.push_back(deadlock_rule());
  json results = json::array();
  for (const distinct_race& race : races) results.push_back(result_of(race, deadlock_rule_index));
  std::map<std::string, int> stress_rule_index;  // by kind
  for (const race_report* g : stress_groups(reports)) {
    auto [it, added] =
        stress_rule_index.try_emplace(g->stress.kind, static_cast<int>(rules.size()));
    if (added) rules.push_back(stress_rule(g->stress.kind));
    results.push_back(stress_result_of(*g, it->second));
  }
  return sarif::render_log(std::move(rules), std::move(results));
}

}  // namespace goro::driver::report
