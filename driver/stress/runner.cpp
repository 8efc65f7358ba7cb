// goro stress's process pool: fork/exec, deadlines and signals in one loop (see runner.hpp).
//
// Signals are blocked for the whole pool and taken with sigtimedwait, never by a handler: on
// Linux a blocked signal is queued even when its action is the default "ignore" (SIGCHLD), and a
// signal arriving between two waits waits for the next one, so none is lost. Standard signals do
// not queue twice, so one SIGCHLD may stand for several children: every wake-up reaps with
// WNOHANG until nothing is left. The children get the mask the driver had before.
#include "runner.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <map>

#include "../command.hpp"

namespace goro::driver::stress {
namespace {

using clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kTick{250};

struct child {
  std::uint64_t index;
  std::string output_path;
  clock::time_point deadline;
  bool sent_quit = false;
};

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Writes "goro stress: <what>: <errno text>" from a forked child, where only async-signal-safe
// calls are allowed.
[[noreturn]] void child_fail(const char* what, const char* path) {
  const char* why = std::strerror(errno);
  const char* parts[] = {"goro stress: ", what, " ", path, ": ", why, "\n"};
  for (const char* p : parts) {
    if (::write(STDERR_FILENO, p, std::strlen(p)) < 0) break;
  }
  ::_exit(127);
}

class pool {
 public:
  pool(const pool_plan& plan, const sigset_t& previous_mask)
      : plan_(plan), previous_(previous_mask) {}

  void start(std::uint64_t index, run_spec spec) {
    std::string output = plan_.output_dir + "/" + spec.output_name;
    int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
      throw failure(1, "goro stress: cannot create " + output + ": " + std::strerror(errno));
    }
    std::vector<std::string> argv = plan_.argv;
    std::vector<char*> c_argv = c_strings(argv);
    std::vector<char*> c_env = c_strings(spec.env);
    const pid_t driver = ::getpid();
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      // A driver killed outright (SIGKILL) takes its runs with it; one gone before this call
      // made the child an orphan already.
      if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != driver) ::_exit(127);
      int in = ::open("/dev/null", O_RDONLY);
      if (in < 0 || ::dup2(in, STDIN_FILENO) < 0) child_fail("cannot open", "/dev/null");
      if (::dup2(out, STDOUT_FILENO) < 0 || ::dup2(out, STDERR_FILENO) < 0) {
        child_fail("cannot write", output.c_str());
      }
      ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
      ::execve(plan_.path.c_str(), c_argv.data(), c_env.data());
      child_fail("exec", plan_.path.c_str());
    }
    int fork_errno = errno;
    ::close(out);
    if (pid < 0) {
      ::unlink(output.c_str());
      throw failure(1, std::string("goro stress: fork: ") + std::strerror(fork_errno));
    }
    ::setpgid(pid, pid);  // also here: whichever of the two runs first, the group exists
    children_[pid] = child{index, output, clock::now() + plan_.timeout};
  }

  std::size_t running() const { return children_.size(); }

  // Reaps every child that has ended, reporting each.
  void reap(const std::function<void(const finished_run&)>& on_finished) {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      auto it = children_.find(pid);
      if (it == children_.end()) continue;
      finished_run r{it->second.index, {}, it->second.output_path};
      if (it->second.sent_quit) {
        ::kill(-pid, SIGKILL);  // whatever it started goes with it
        r.end.timed_out = true;
        r.end.timeout = plan_.timeout;
      }
      if (WIFSIGNALED(status)) {
        r.end.signal = WTERMSIG(status);
      } else {
        r.end.exit_status = WEXITSTATUS(status);
      }
      children_.erase(it);
      on_finished(r);
    }
  }

  // SIGQUIT at the deadline, SIGKILL to the group kTimeoutGrace later. Returns the next deadline.
  clock::time_point enforce_deadlines() {
    clock::time_point now = clock::now();
    clock::time_point next = clock::time_point::max();
    for (auto& [pid, c] : children_) {
      if (now >= c.deadline) {
        if (!c.sent_quit) {
          ::kill(pid, SIGQUIT);
          c.sent_quit = true;
          c.deadline = now + kTimeoutGrace;
        } else {
          ::kill(-pid, SIGKILL);
          c.deadline = clock::time_point::max();
        }
      }
      next = std::min(next, c.deadline);
    }
    return next;
  }

  // Kills every run still going and waits for them; their results are dropped.
  void abandon() {
    for (const auto& entry : children_) ::kill(-entry.first, SIGKILL);
    for (const auto& entry : children_) {
      int status = 0;
      while (::waitpid(entry.first, &status, 0) < 0 && errno == EINTR) {
      }
      ::unlink(entry.second.output_path.c_str());
    }
    children_.clear();
  }

 private:
  const pool_plan& plan_;
  const sigset_t& previous_;
  std::map<pid_t, child> children_;
};

// Blocks the pool's signals for its lifetime, then restores the mask (a signal left pending is
// delivered then, with its usual effect: a Ctrl-C after the last run still ends the driver).
class blocked_signals {
 public:
  blocked_signals() {
    sigemptyset(&set_);
    for (int sig : {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set_, sig);
    ::sigprocmask(SIG_BLOCK, &set_, &previous_);
  }
  ~blocked_signals() { ::sigprocmask(SIG_SETMASK, &previous_, nullptr); }
  blocked_signals(const blocked_signals&) = delete;
  blocked_signals& operator=(const blocked_signals&) = delete;

  const sigset_t& set() const { return set_; }
  const sigset_t& previous() const { return previous_; }

 private:
  sigset_t set_{};
  sigset_t previous_{};
};

timespec until(clock::time_point deadline) {
  clock::duration left =
      std::clamp<clock::duration>(deadline - clock::now(), clock::duration::zero(), kTick);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace

bool run_pool(const pool_plan& plan, std::uint64_t runs,
              const std::function<run_spec(std::uint64_t)>& spec_for,
              const std::function<void(const finished_run&)>& on_finished,
              const std::function<void()>& on_tick) {
  blocked_signals signals;
  pool children(plan, signals.previous());
  std::uint64_t started = 0;
  while (true) {
    while (started < runs && children.running() < plan.parallel) {
      children.start(started, spec_for(started));
      ++started;
    }
    if (children.running() == 0) return true;
    timespec wait = until(children.enforce_deadlines());
    siginfo_t info{};
    int sig = ::sigtimedwait(&signals.set(), &info, &wait);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
      children.abandon();
      return false;
    }
    children.reap(on_finished);
    on_tick();
  }
}

}  // namespace goro::driver::stress
