// goro-vet: the program behind `goro vet`. The goro driver answers --help and runs this tool,
// installed beside the runtime (<prefix>/lib/goro/goro-vet), with the user's arguments; it is a
// program of its own so that only goro vet loads clang's libraries.
//
// Translation units are independent: they are analysed in parallel on Intel TBB's task arena,
// one unit per task, and printed in the order they were named once all are done, so the output
// does not depend on -j. A warning in a header included by several units is printed once.
//
// Exit status: 0 clean, 1 warned, 2 usage errors or a unit that could not be analysed (its
// clang errors are printed; the other units' warnings still are).
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "analysis.hpp"
#include "command_lines.hpp"
#include "options.hpp"
#include "sarif_output.hpp"

namespace goro::vet {
namespace {

// <prefix> for this program at <prefix>/lib/goro/goro-vet.
std::string own_prefix() {
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  llvm::StringRef dir = llvm::sys::path::parent_path(self);  // lib/goro
  return llvm::sys::path::parent_path(llvm::sys::path::parent_path(dir)).str();
}

void print(const finding& f) {
  std::fprintf(stderr, "%s:%u:%u: warning: %s [goro-%s]\n", f.file.c_str(), f.line, f.column,
               f.message.c_str(), f.check.c_str());
}

int vet(const std::vector<std::string>& args) {
  options o = parse_options(args);
  if (o.goro_prefix.empty()) o.goro_prefix = own_prefix();
  std::ofstream sarif;
  if (!o.sarif.empty()) {
    sarif.open(o.sarif, std::ios::out | std::ios::trunc);
    if (!sarif) throw usage_error("cannot write " + o.sarif + ": " + std::strerror(errno));
  }
  const std::vector<clang::tooling::CompileCommand> commands = command_lines(o);

  std::vector<unit_result> results(commands.size());
  tbb::task_arena arena(o.jobs != 0 ? static_cast<int>(o.jobs) : tbb::info::default_concurrency());
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, commands.size(),
                      [&](std::size_t i) { results[i] = analyze(commands[i]); });
  });

  std::set<finding> printed;
  std::vector<finding> found;
  std::size_t failed = 0;
  for (const unit_result& unit : results) {
    if (!unit.parsed) {
      ++failed;
      std::fputs(unit.errors.c_str(), stderr);
    }
    for (const finding& f : unit.findings) {
      if (!printed.insert(f).second) continue;
      print(f);
      found.push_back(f);
    }
  }
  if (sarif.is_open()) {
    sarif << render_sarif(found);
    sarif.close();
    if (!sarif) throw usage_error("cannot write " + o.sarif + ": " + std::strerror(errno));
  }
  if (failed != 0) {
    std::fprintf(stderr, "goro vet: %zu of %zu files could not be analysed\n", failed,
                 results.size());
    return 2;
  }
  return found.empty() ? 0 : 1;
}

}  // namespace
}  // namespace goro::vet

int main(int argc, char** argv) {
  try {
    return goro::vet::vet(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const goro::vet::usage_error& e) {
    std::fprintf(stderr, "goro vet: %s\n", e.what());
    return 2;
  }
}
