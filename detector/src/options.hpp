// GORACE: the detector's options, parsed once at start-up from the environment, as Go's race
// runtime reads them: space-separated key=value pairs.
//
//   log_path=PATH           reports go to PATH.<pid> instead of stderr ("stdout"/"stderr" also
//   work) exitcode=N              exit status when races were found (66) halt_on_error=0|1 exit
//   after the first report (0) strip_path_prefix=P     remove P from the front of file names in
//   reports history_size=0..7       per-goroutine history: 32768 << N events at most (1)
//   json_path=PATH          also append one JSON object per report to PATH (docs/report-format.md)
//   suppressions=FILE       TSan-format suppressions: "race:<pattern>" lines
//   atexit_sleep_ms=N       accepted for Go compatibility; goro exits at once
//
// A malformed GORACE (no '=', a bad number, an unknown key) stops the program with a message naming
// the offending entry: a typo in a CI configuration must not silently disable what it meant to set.
#pragma once

#include <limits.h>

namespace goro::race {

struct options {
  int exitcode = 66;
  bool halt_on_error = false;
  int history_size = 1;
  char log_path[PATH_MAX] = {};
  char json_path[PATH_MAX] = {};
  char strip_path_prefix[PATH_MAX] = {};
  char suppressions[PATH_MAX] = {};
};

const options& opts();
options& mutable_opts();  // tests

// Parses env (may be null) into the options; on a malformed value prints
// "goro: malformed GORACE: ..." and exits with status 2.
void parse_options(const char* env);

}  // namespace goro::race
