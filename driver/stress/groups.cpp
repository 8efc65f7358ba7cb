// Grouping failed runs by signature and keeping each group's first output (see groups.hpp).
#include "groups.hpp"

#include <unistd.h>

#include <algorithm>
#include <tuple>

namespace goro::driver::stress {

bool failure_groups::add(std::uint64_t index, verdict v, const std::string& output_path) {
  ++failed_runs_;
  auto [it, fresh] = groups_.try_emplace(v.signature);
  failure_group& g = it->second;
  ++g.runs;
  if (fresh || index < g.first_index) {
    if (!fresh) ::unlink(g.output_path.c_str());
    g.first = std::move(v);
    g.first_index = index;
    g.output_path = output_path;
  } else {
    ::unlink(output_path.c_str());
  }
  return fresh;
}

std::vector<const failure_group*> failure_groups::by_count() const {
  std::vector<const failure_group*> out;
  out.reserve(groups_.size());
  for (const auto& entry : groups_) out.push_back(&entry.second);
  std::sort(out.begin(), out.end(), [](const failure_group* a, const failure_group* b) {
    return std::tie(b->runs, a->first_index) < std::tie(a->runs, b->first_index);
  });
  return out;
}

}  // namespace goro::driver::stress
