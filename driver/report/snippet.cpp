// Finding and reading the source files of reported lines, each at most once.
#include "snippet.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace goro::driver::report {
namespace {

// The file's lines, or none when it is not a regular file (a FIFO would block) or unreadable.
std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with('\r')) line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

const std::vector<std::string>& source_files::lines_of(const std::string& file) {
  auto [it, inserted] = lines_by_file_.try_emplace(file);
  if (inserted) {
    it->second = read_lines(file);
    if (it->second.empty() && !stripped_prefix_.empty() && !file.starts_with('/')) {
      it->second = read_lines(stripped_prefix_ + file);
    }
  }
  return it->second;
}

std::vector<source_line> source_files::around(const std::string& file, std::uint64_t line) {
  std::vector<source_line> shown;
  if (file.empty() || line == 0) return shown;
  const std::vector<std::string>& lines = lines_of(file);
  if (line > lines.size()) return shown;
  const std::uint64_t first = line > kContext ? line - kContext : 1;
  const std::uint64_t last = std::min<std::uint64_t>(line + kContext, lines.size());
  for (std::uint64_t n = first; n <= last; ++n) shown.push_back({n, lines[n - 1]});
  return shown;
}

}  // namespace goro::driver::report
