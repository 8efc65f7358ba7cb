// Where race reports go: the text to stderr, stdout or GORACE log_path.<pid>, and the JSON lines
// to GORACE json_path (appended to, opened once per process: a forked child opens its own).
#include "report_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "base.hpp"
#include "context.hpp"
#include "options.hpp"
#include "report.hpp"

namespace goro::race {
namespace {

// Guarded by report.cpp's lock, as every caller holds it (open_json_output runs at start-up).
int g_test_fd = -1;
int g_log_fd = -1;
pid_t g_log_pid = 0;
int g_json_fd = -1;
pid_t g_json_pid = 0;

// The json_path file, opened (created) once per process: a forked child opens its own.
int json_fd() {
  if (g_json_fd < 0 || g_json_pid != getpid()) {
    g_json_fd = open(opts().json_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    g_json_pid = getpid();
  }
  return g_json_fd;
}

}  // namespace

int log_fd() {
  if (g_test_fd >= 0) return g_test_fd;
  const char* path = opts().log_path;
  if (path[0] == '\0' || std::strcmp(path, "stderr") == 0) return 2;
  if (std::strcmp(path, "stdout") == 0) return 1;
  if (g_log_fd < 0 || g_log_pid != getpid()) {
    char full[PATH_MAX + 32];
    std::snprintf(full, sizeof full, "%s.%d", path, static_cast<int>(getpid()));
    g_log_fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    g_log_pid = getpid();
    if (g_log_fd < 0) g_log_fd = 2;
  }
  return g_log_fd;
}

void write_json(const std::string& line) {
  if (opts().json_path[0] == '\0') return;
  const int fd = json_fd();
  if (fd >= 0) write_all(fd, line.data(), line.size());
}

void set_log_fd_for_testing(int fd) { g_test_fd = fd; }

void open_json_output() {
  const char* path = opts().json_path;
  if (path[0] == '\0') return;
  ignore_scope no_events;
  if (json_fd() >= 0) return;
  std::string msg = std::string("goro: GORACE json_path: cannot open ") + path + ": " +
                    std::strerror(errno) + "\n";
  write_all(2, msg.data(), msg.size());
  _exit(2);
}

}  // namespace goro::race
