// Starting other programs: PATH lookup, exec, and fork/exec/wait with signal forwarding.
//
// The forwarding relies on two facts of POSIX: handlers (unlike SIG_IGN) revert to the default at
// exec, so the child starts with ordinary dispositions without any work between fork and exec; and
// a signal blocked across fork stays pending in the parent until the child's pid is recorded, so a
// SIGTERM that arrives in that window is forwarded, not lost.
#include "process.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "command.hpp"

namespace goro::driver {
namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  out.reserve(argv.size() + 1);
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// The child being waited for; 0 when none. Read by the forwarding handler.
volatile sig_atomic_t g_child = 0;

void forward_signal(int sig) {
  if (g_child > 0) ::kill(g_child, sig);
}

void outlive_signal(int) {}  // SIGINT/SIGQUIT: the child got its own copy from the terminal

// What the driver does with each signal while a child runs.
struct disposition {
  int sig;
  void (*handler)(int);
};
constexpr disposition kWhileChildRuns[] = {
    {SIGTERM, forward_signal},
    {SIGHUP, forward_signal},
    {SIGINT, outlive_signal},
    {SIGQUIT, outlive_signal},
};
constexpr int kSignals = sizeof(kWhileChildRuns) / sizeof(kWhileChildRuns[0]);

// Installs the handlers for the lifetime of one child and restores the previous ones after.
class child_signals {
 public:
  child_signals() {
    for (int i = 0; i < kSignals; ++i) {
      struct sigaction sa {};
      sigemptyset(&sa.sa_mask);
      sa.sa_handler = kWhileChildRuns[i].handler;
      ::sigaction(kWhileChildRuns[i].sig, &sa, &saved_[i]);
    }
  }
  ~child_signals() {
    for (int i = 0; i < kSignals; ++i) ::sigaction(kWhileChildRuns[i].sig, &saved_[i], nullptr);
  }
  child_signals(const child_signals&) = delete;
  child_signals& operator=(const child_signals&) = delete;

 private:
  struct sigaction saved_[kSignals] {};
};

}  // namespace

std::optional<std::string> find_program(std::string_view name) {
  std::string n(name);
  if (n.empty()) return std::nullopt;
  if (n.find('/') != std::string::npos) {
    if (is_executable_file(n)) return n;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string candidate(dirs.substr(0, colon));
    if (candidate.empty()) candidate = ".";  // POSIX: an empty PATH entry is the current directory
    candidate.append("/").append(n);
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

void exec_program(const std::vector<std::string>& argv) {
  auto args = c_argv(argv);
  ::execv(args[0], args.data());
  throw failure(kUsageExit, "goro: exec " + argv[0] + ": " + std::strerror(errno));
}

int run_program(const std::vector<std::string>& argv) {
  auto args = c_argv(argv);
  child_signals handlers;

  sigset_t forwarded, previous;
  sigemptyset(&forwarded);
  sigaddset(&forwarded, SIGTERM);
  sigaddset(&forwarded, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &forwarded, &previous);

  pid_t pid = ::fork();
  if (pid == 0) {
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    ::execv(args[0], args.data());
    // The driver is single-threaded, so the child may still format the error before _exit.
    const char* why = std::strerror(errno);
    const char* parts[] = {"goro: exec ", args[0], ": ", why, "\n"};
    for (const char* p : parts) {
      if (::write(STDERR_FILENO, p, std::strlen(p)) < 0) break;
    }
    ::_exit(127);
  }
  int fork_errno = errno;
  if (pid > 0) g_child = pid;
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0) throw failure(kUsageExit, std::string("goro: fork: ") + std::strerror(fork_errno));

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      g_child = 0;
      throw failure(kUsageExit, std::string("goro: wait: ") + std::strerror(errno));
    }
  }
  g_child = 0;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace goro::driver
