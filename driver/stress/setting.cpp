// Each run's GORODEBUG and environment, and the command that reproduces a run (see setting.hpp).
#include "setting.hpp"

#include <unistd.h>

#include "../shell.hpp"

namespace goro::driver::stress {
namespace {

// The keys goro stress sets on every run.
bool is_schedule_key(std::string_view entry) {
  std::string_view key = entry.substr(0, entry.find('='));
  return key == "schedseed" || key == "pct";
}

}  // namespace

run_setting::run_setting(std::string_view user_godebug, int pct, std::string gomaxprocs,
                         std::vector<std::string> program)
    : pct_(pct), gomaxprocs_(std::move(gomaxprocs)), program_(std::move(program)) {
  while (!user_godebug.empty()) {
    std::size_t comma = user_godebug.find(',');
    std::string_view entry = user_godebug.substr(0, comma);
    user_godebug.remove_prefix(comma == std::string_view::npos ? user_godebug.size() : comma + 1);
    if (entry.empty()) continue;
    if (is_schedule_key(entry)) {
      overridden_.emplace_back(entry);
    } else {
      kept_keys_.append(",").append(entry);
    }
  }
}

std::string run_setting::godebug(std::uint64_t seed) const {
  std::string value = "schedseed=" + std::to_string(seed);
  if (pct_ > 0) value += ",pct=" + std::to_string(pct_);
  return value + kept_keys_;
}

std::string run_setting::reproduce(std::uint64_t seed) const {
  std::string command = "GORODEBUG=" + shell_quote(godebug(seed));
  if (!gomaxprocs_.empty()) command += " GOMAXPROCS=" + shell_quote(gomaxprocs_);
  for (const std::string& word : program_) command += " " + shell_quote(word);
  return command;
}

std::vector<std::string> run_setting::environment(std::uint64_t seed) const {
  std::vector<std::string> env;
  for (char** e = ::environ; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with("GORODEBUG=")) env.emplace_back(*e);
  }
  env.push_back("GORODEBUG=" + godebug(seed));
  return env;
}

}  // namespace goro::driver::stress
