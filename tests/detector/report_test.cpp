// Race reports: the text (a golden copy with addresses, offsets and line numbers masked), Go's
// wording for the main goroutine, the JSON line and its schema, and the GORACE options that shape
// them (each run in a fresh copy of this program, since GORACE is read at start-up).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "options.hpp"
#include "race_test.hpp"

namespace {

using race_test::latch;

// ---- the racing program: two "instrumented" functions on each side (they maintain the shadow call
// stack by hand, as the plugin's entry/exit calls would).

__attribute__((noinline)) void store_answer(int* p) {
  __goro_func_enter(__builtin_return_address(0));
  __goro_write4(p);
  *p = 42;
  __goro_func_exit();
}

__attribute__((noinline)) void writer(int* p) {
  __goro_func_enter(__builtin_return_address(0));
  store_answer(p);
  __goro_func_exit();
}

__attribute__((noinline)) int load_answer(const int* p) {
  __goro_func_enter(__builtin_return_address(0));
  __goro_read4(p);
  const int v = *static_cast<const volatile int*>(p);
  __goro_func_exit();
  return v;
}

__attribute__((noinline)) void reader(const int* p) {
  __goro_func_enter(__builtin_return_address(0));
  (void)load_answer(p);
  __goro_func_exit();
}

__attribute__((noinline)) void start_writer_then_reader(int* x) {
  latch written(1), read_done(1);
  goro::go([x, &written] {
    writer(x);
    written.count_down();
  });
  written.wait();  // no happens-before edge: the latch is invisible to the detector
  goro::go([x, &read_done] {
    reader(x);
    read_done.count_down();
  });
  read_done.wait();
}

__attribute__((noinline)) void second_race(long* y) {
  latch done(2);
  for (int i = 0; i < 2; ++i) {
    goro::go([y, &done] {
      __goro_write8(y);
      done.count_down();
    });
  }
  done.wait();
}

// ---- helpers

// The report with what varies from run to run masked: hex numbers, goroutine ids, line numbers; and
// without the test harness's frames (lambda names that change with the harness).
std::string masked(const std::string& report) {
  std::string out;
  std::istringstream in(report);
  std::string line;
  bool skip_location = false;
  while (std::getline(in, line)) {
    if (skip_location) {
      skip_location = false;
      continue;
    }
    if (line.find("race_test::") != std::string::npos ||
        line.find("goro_test::") != std::string::npos ||
        line.find("{lambda") != std::string::npos || line.find("TestBody()") != std::string::npos) {
      skip_location = true;
      continue;
    }
    line = std::regex_replace(line, std::regex("0x[0-9a-f]+"), "0x?");
    line = std::regex_replace(line, std::regex("oroutine [0-9]+"), "oroutine N");
    line = std::regex_replace(line, std::regex("\\.cpp:[0-9]+ "), ".cpp:L ");
    out += line + "\n";
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct run_result {
  int status = -1;  // exit status, or -1
  std::string output;
};

// Runs this program's hidden helper test `name` with GORACE=gorace and returns its exit status and
// everything it printed.
run_result run_helper(const std::string& name, const std::string& gorace) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    setenv("GORACE", gorace.c_str(), 1);
    const std::string filter = "--gtest_filter=Helper.DISABLED_" + name;
    execl("/proc/self/exe", "detector_report_test", filter.c_str(),
          "--gtest_also_run_disabled_tests", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  run_result r;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.output.append(buf, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// ---- a minimal JSON checker (objects, arrays, strings, numbers, literals)

struct json_checker {
  const std::string& s;
  std::size_t i = 0;
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  }
  bool lit(const char* w) {
    const std::size_t n = std::strlen(w);
    if (s.compare(i, n, w) != 0) return false;
    i += n;
    return true;
  }
  bool str() {
    if (i >= s.size() || s[i] != '"') return false;
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') {
        ++i;
      } else if (s[i] == '"') {
        ++i;
        return true;
      } else if (static_cast<unsigned char>(s[i]) < 0x20) {
        return false;
      }
    }
    return false;
  }
  bool num() {
    const std::size_t start = i;
    if (i < s.size() && s[i] == '-') ++i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    return i > start;
  }
  bool value() {
    ws();
    if (i >= s.size()) return false;
    bool ok = false;
    if (s[i] == '{') {
      ++i;
      ws();
      if (i < s.size() && s[i] == '}') {
        ++i;
        return true;
      }
      for (;;) {
        ws();
        if (!str()) return false;
        ws();
        if (i >= s.size() || s[i++] != ':') return false;
        if (!value()) return false;
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == '}') {
          ++i;
          return true;
        }
        return false;
      }
    }
    if (s[i] == '[') {
      ++i;
      ws();
      if (i < s.size() && s[i] == ']') {
        ++i;
        return true;
      }
      for (;;) {
        if (!value()) return false;
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ']') {
          ++i;
          return true;
        }
        return false;
      }
    }
    if (s[i] == '"') return str();
    ok = lit("true") || lit("false") || lit("null") || num();
    return ok;
  }
  bool document() {
    if (!value()) return false;
    ws();
    return i == s.size();
  }
};

// ---- the golden report

constexpr const char* kGolden = R"(==================
WARNING: DATA RACE
Read at 0x? by goroutine N:
  (anonymous namespace)::load_answer(int const*)
      tests/detector/report_test.cpp:L +0x?
  (anonymous namespace)::reader(int const*)
      tests/detector/report_test.cpp:L +0x?
  (anonymous namespace)::start_writer_then_reader(int*)::$_1::operator()() const
      tests/detector/report_test.cpp:L +0x?

Previous write at 0x? by goroutine N:
  (anonymous namespace)::store_answer(int*)
      tests/detector/report_test.cpp:L +0x?
  (anonymous namespace)::writer(int*)
      tests/detector/report_test.cpp:L +0x?
  (anonymous namespace)::start_writer_then_reader(int*)::$_0::operator()() const
      tests/detector/report_test.cpp:L +0x?

Goroutine N (running) created at:
  (anonymous namespace)::start_writer_then_reader(int*)
      tests/detector/report_test.cpp:L +0x?

Goroutine N (finished) created at:
  (anonymous namespace)::start_writer_then_reader(int*)
      tests/detector/report_test.cpp:L +0x?
==================
)";

// Runs body in goro with reports going to a temporary file, then exits 0 if check(report) holds,
// else prints the report and exits 5.
//
// One P: the reports name the writer goroutine "(finished)", and only with one P is it certain to
// have ended before the reader runs (at two, the main goroutine can start the reader on the other
// P while the writer is still between its count_down and its exit).
template <class Body, class Check>
[[noreturn]] void capture(Body body, Check check) {
  char path[] = "/tmp/goro_report_XXXXXX";
  const int fd = mkstemp(path);
  goro::race::set_report_fd_for_testing(fd);
  goro::race::mutable_opts().strip_path_prefix[0] = '\0';
  std::strcat(goro::race::mutable_opts().strip_path_prefix, GORO_TEST_SOURCE_DIR);
  goro_test::run_in_goro(
      [&] {
        body();
        const std::string report = read_file(path);
        unlink(path);
        if (!check(report)) {
          std::fprintf(stderr, "%s\n--- masked:\n%s", report.c_str(), masked(report).c_str());
          _exit(5);
        }
        goro::race::reset_races_for_testing();
      },
      1);
}

TEST(ReportTest, TextMatchesTheGoldenCopy) {
  EXPECT_EXIT(capture(
                  [] {
                    int x = 0;
                    start_writer_then_reader(&x);
                  },
                  [](const std::string& report) { return masked(report) == kGolden; }),
              ::testing::ExitedWithCode(0), "");
}

TEST(ReportTest, LinesPointAtTheAccessesAndCalls) {
  EXPECT_EXIT(capture(
                  [] {
                    int x = 0;
                    start_writer_then_reader(&x);
                  },
                  [](const std::string& report) {
                    // The first frame of each stack is the line of the access hook call, the second
                    // the line of the call into the first.
                    const auto line_of = [](const char* marker, int delta) {
                      std::ifstream f(GORO_TEST_SOURCE_DIR "tests/detector/report_test.cpp");
                      std::string l;
                      for (int n = 1; std::getline(f, l); ++n) {
                        if (l.find(marker) != std::string::npos) return std::to_string(n + delta);
                      }
                      return std::string("?");
                    };
                    const std::string read_line = line_of("__goro_read4(p);", 0);
                    const std::string write_line = line_of("__goro_write4(p);", 0);
                    const std::string call_line = line_of("(void)load_answer(p);", 0);
                    return report.find("report_test.cpp:" + read_line + " ") != std::string::npos &&
                           report.find("report_test.cpp:" + write_line + " ") !=
                               std::string::npos &&
                           report.find("report_test.cpp:" + call_line + " ") != std::string::npos;
                  }),
              ::testing::ExitedWithCode(0), "");
}

TEST(ReportTest, MainGoroutineIsNamedAsGoNamesIt) {
  EXPECT_EXIT(capture(
                  [] {
                    int x = 0;
                    latch done(1);
                    goro::go([&] {
                      reader(&x);
                      done.count_down();
                    });
                    done.wait();
                    store_answer(&x);  // after the go statement: unordered with the read
                  },
                  [](const std::string& report) {
                    return report.find("Previous read at ") != std::string::npos &&
                           report.find("Write at ") != std::string::npos &&
                           report.find(" by main goroutine:\n") != std::string::npos &&
                           report.find("Goroutine 1 ") == std::string::npos &&
                           count(report, " created at:") == 1;
                  }),
              ::testing::ExitedWithCode(0), "");
}

TEST(ReportTest, JsonLineFollowsTheSchema) {
  EXPECT_EXIT(
      ([] {
        char path[] = "/tmp/goro_json_XXXXXX";
        close(mkstemp(path));
        std::strcpy(goro::race::mutable_opts().json_path, path);
        capture(
            [] {
              int x = 0;
              start_writer_then_reader(&x);
            },
            [path = std::string(path)](const std::string&) {
              const std::string json = read_file(path);
              unlink(path.c_str());
              if (count(json, "\n") != 1 || json.back() != '\n') return false;
              const std::string body = json.substr(0, json.size() - 1);
              json_checker c{body};
              const bool parsed = c.document();
              return parsed && json.rfind("{\"version\":1,\"type\":\"data_race\",", 0) == 0 &&
                     json.find("\"current\":{\"op\":\"read\",\"atomic\":false,") !=
                         std::string::npos &&
                     json.find("\"previous\":{\"op\":\"write\"") != std::string::npos &&
                     json.find("\"function\":\"(anonymous namespace)::store_answer(int*)\"") !=
                         std::string::npos &&
                     json.find("\"state\":\"finished\"") != std::string::npos &&
                     json.find("\"restored\":true") != std::string::npos &&
                     json.find("\"text\":\"==================\\nWARNING: DATA RACE\\n") !=
                         std::string::npos;
            });
      }()),
      ::testing::ExitedWithCode(0), "");
}

// ---- GORACE, through fresh processes

TEST(Helper, DISABLED_TwoRaces) {
  goro_test::run_in_goro([] {
    int x = 0;
    long y = 0;
    start_writer_then_reader(&x);
    second_race(&y);
  });
}

TEST(Helper, DISABLED_NoRace) {
  goro_test::run_in_goro([] { std::printf("ran\n"); });
}

TEST(GoraceTest, RacesMakeTheExitStatus66AndASummary) {
  const run_result r = run_helper("TwoRaces", "");
  EXPECT_EQ(r.status, 66) << r.output;
  EXPECT_EQ(count(r.output, "WARNING: DATA RACE"), 2) << r.output;
  EXPECT_NE(r.output.find("Found 2 data race(s)\n"), std::string::npos) << r.output;
}

TEST(GoraceTest, ExitcodeReplaces66) {
  const run_result r = run_helper("TwoRaces", "exitcode=7");
  EXPECT_EQ(r.status, 7) << r.output;
}

TEST(GoraceTest, HaltOnErrorStopsAtTheFirstReport) {
  const run_result r = run_helper("TwoRaces", "halt_on_error=1 exitcode=9");
  EXPECT_EQ(r.status, 9) << r.output;
  EXPECT_EQ(count(r.output, "WARNING: DATA RACE"), 1) << r.output;
}

TEST(GoraceTest, LogPathWritesReportsToAFilePerProcess) {
  char dir[] = "/tmp/goro_log_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string base = std::string(dir) + "/race";
  const run_result r = run_helper("TwoRaces", "log_path=" + base);
  EXPECT_EQ(r.status, 66);
  EXPECT_EQ(count(r.output, "WARNING: DATA RACE"), 0) << r.output;
  const std::string cmd = "cat " + base + ".* 2>/dev/null";
  std::string logged;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) logged.append(buf, n);
    pclose(p);
  }
  EXPECT_EQ(count(logged, "WARNING: DATA RACE"), 2) << logged;
  EXPECT_NE(logged.find("Found 2 data race(s)"), std::string::npos);
  std::system(("rm -rf " + std::string(dir)).c_str());
}

TEST(GoraceTest, StripPathPrefixShortensFileNames) {
  const run_result r =
      run_helper("TwoRaces", std::string("strip_path_prefix=") + GORO_TEST_SOURCE_DIR);
  EXPECT_NE(r.output.find("\n      tests/detector/report_test.cpp:"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find(GORO_TEST_SOURCE_DIR "tests/detector/report_test.cpp:"),
            std::string::npos);
}

TEST(GoraceTest, SuppressionsSilenceMatchingReports) {
  char path[] = "/tmp/goro_supp_XXXXXX";
  const int fd = mkstemp(path);
  const std::string rules = "# comment\n\nrace:store_answer\nrace:^second_race$\n";
  ASSERT_EQ(write(fd, rules.data(), rules.size()), static_cast<ssize_t>(rules.size()));
  close(fd);
  const run_result r = run_helper("TwoRaces", std::string("suppressions=") + path);
  unlink(path);
  // The first race is suppressed; the second's frames are a lambda inside second_race, which the
  // anchored pattern does not match.
  EXPECT_EQ(count(r.output, "WARNING: DATA RACE"), 1) << r.output;
  EXPECT_EQ(r.output.find("store_answer"), std::string::npos) << r.output;
  EXPECT_EQ(r.status, 66);
}

TEST(GoraceTest, MissingSuppressionsFileIsAnError) {
  const run_result r = run_helper("NoRace", "suppressions=/nonexistent/goro.supp");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("goro: GORACE suppressions: cannot open /nonexistent/goro.supp"),
            std::string::npos)
      << r.output;
}

struct malformed_case {
  const char* gorace;
  const char* message;
};

class MalformedGoraceTest : public ::testing::TestWithParam<malformed_case> {};

TEST_P(MalformedGoraceTest, StopsTheProgramWithAClearMessage) {
  const run_result r = run_helper("NoRace", GetParam().gorace);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(std::string("goro: malformed GORACE: ") + GetParam().message),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("ran\n"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedGoraceTest,
    ::testing::Values(malformed_case{"exitcode", "missing '='"},
                      malformed_case{"exitcode=abc", "exitcode must be 0..255"},
                      malformed_case{"exitcode=300", "exitcode must be 0..255"},
                      malformed_case{"history_size=8", "history_size must be 0..7"},
                      malformed_case{"halt_on_error=yes", "halt_on_error must be 0 or 1"},
                      malformed_case{"log_path=", "empty value"},
                      malformed_case{"histroy_size=2", "unknown key"}));

TEST(GoraceTest, WellFormedOptionsAreAccepted) {
  const run_result r = run_helper(
      "NoRace", "  log_path=stderr exitcode=3 halt_on_error=0 history_size=7  atexit_sleep_ms=0 ");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ran\n"), std::string::npos) << r.output;
}

}  // namespace
