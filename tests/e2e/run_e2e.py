#!/usr/bin/env python3
"""End-to-end test harness: compile a case with `goro c++`, run it, check its exit status and output.

Usage: run_e2e.py --goro <prefix>/bin/goro --case <file.cpp> [--opt -O1]... [--keep] [--timeout S]

A case is one C++ file whose comments carry the expectations (see README.md):

    // RUN-FLAGS: -race           extra `goro c++` flags (a case with -race is skipped, exit 77,
                                  while the race runtime is not installed)
    // OPT: -O0 -O2               the -O levels to compile at (default -O1); --opt picks some
    // ARGS: a "b c"              program arguments (shell words)
    // ENV: KEY=VALUE             program environment, one variable per line
    // EXIT: 2                    expected exit status (default 0)
    // CHECK: text                stderr has a line containing text, after the previous CHECK's line
    // CHECK-RE: regex            same, a Python regex searched in the line (CHECK and CHECK-RE share
                                  one order)
    // CHECK-STDOUT: text         the same two for stdout
    // CHECK-STDOUT-RE: regex
    // CHECK-NOT: text            no stderr line contains text
    // RUNS: 20 19                run the binary 20 times; at least 19 runs must pass every check
                                  (for schedule-dependent behaviour; default: 1 run, which must pass)

Each case is compiled as `goro c++ -g <opt> <RUN-FLAGS> case.cpp -o <tmp>` and run with a timeout;
a case that includes <goro/goro.hpp> is compiled against a precompiled header of it (and the common
standard headers), built once per flag set and installed header version and shared between the
cases (shared_pch): parsing the headers is most of a case's compile time, which is most of the
suite's;
a run that times out gets SIGQUIT first, so the failure shows every goroutine's stack. Exit status:
0 pass, 1 fail, 77 skipped.
"""

import argparse
import dataclasses
import hashlib
import os
import pathlib
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

SKIP = 77
COMPILE_TIMEOUT = 300
DIRECTIVE = re.compile(r"^\s*//\s*([A-Z][A-Z-]*):(.*)$")
# A directive further along a comment line: a formatter that reflows long comments joins a directive
# to the line before it, and the harness would silently stop checking it.
BURIED_DIRECTIVE = re.compile(r"^\s*//.*\s(CHECK(-RE|-NOT|-STDOUT|-STDOUT-RE)?|EXIT|RUNS|RUN-FLAGS):\s")
KNOWN = {"RUN-FLAGS", "OPT", "ARGS", "ENV", "EXIT", "CHECK", "CHECK-RE", "CHECK-STDOUT",
         "CHECK-STDOUT-RE", "CHECK-NOT", "RUNS"}


class CaseError(Exception):
    """A malformed case file."""


@dataclasses.dataclass
class Check:
    kind: str  # "text" or "regex"
    pattern: str
    line_no: int  # in the case file

    def matches(self, line):
        if self.kind == "text":
            return self.pattern in line
        return re.search(self.pattern, line) is not None

    def __str__(self):
        tag = "CHECK" if self.kind == "text" else "CHECK-RE"
        return "%s: %s (case line %d)" % (tag, self.pattern, self.line_no)


@dataclasses.dataclass
class Case:
    path: pathlib.Path
    flags: list = dataclasses.field(default_factory=list)
    opts: list = dataclasses.field(default_factory=list)
    args: list = dataclasses.field(default_factory=list)
    env: dict = dataclasses.field(default_factory=dict)
    exit: int = 0
    stderr_checks: list = dataclasses.field(default_factory=list)
    stdout_checks: list = dataclasses.field(default_factory=list)
    includes_goro: bool = False  # compiled against the shared precompiled header (shared_pch)
    stderr_nots: list = dataclasses.field(default_factory=list)
    runs: int = 1  # how many times the binary runs
    min_passing: int = 1  # how many of those runs must pass


def parse_case(path):
    case = Case(path=path)
    exit_seen = False
    text = path.read_text()
    case.includes_goro = re.search(r"^#include <goro/goro\.hpp>", text, re.M) is not None
    for line_no, line in enumerate(text.splitlines(), 1):
        m = DIRECTIVE.match(line)
        if not m:
            if BURIED_DIRECTIVE.match(line):
                raise CaseError("%s:%d: a directive inside a comment line (reflowed?): put it on a "
                                "line of its own" % (path, line_no))
            continue
        key, value = m.group(1), m.group(2).strip()
        where = "%s:%d" % (path, line_no)
        if key not in KNOWN:
            if key.startswith("CHECK") or key in {"RUN", "EXPECT", "EXIT-CODE", "FLAGS"}:
                raise CaseError("%s: unknown directive %s" % (where, key))
            continue  # an ordinary comment such as "// NOTE: ..."
        if key == "RUN-FLAGS":
            case.flags += shlex.split(value)
        elif key == "OPT":
            case.opts += value.split()
        elif key == "ARGS":
            case.args += shlex.split(value)
        elif key == "ENV":
            name, eq, val = value.partition("=")
            if not eq or not name:
                raise CaseError("%s: ENV wants KEY=VALUE, got %r" % (where, value))
            case.env[name] = val
        elif key == "EXIT":
            if exit_seen or not re.fullmatch(r"\d+", value):
                raise CaseError("%s: EXIT wants one status number, given once" % where)
            case.exit, exit_seen = int(value), True
        elif key == "RUNS":
            m = re.fullmatch(r"(\d+)\s+(\d+)", value)
            if not m or not 1 <= int(m.group(2)) <= int(m.group(1)):
                raise CaseError("%s: RUNS wants 'N M' with 1 <= M <= N runs, got %r" % (where, value))
            case.runs, case.min_passing = int(m.group(1)), int(m.group(2))
        elif key == "CHECK-NOT":
            case.stderr_nots.append(Check("text", value, line_no))
        else:
            kind = "regex" if key.endswith("-RE") else "text"
            if kind == "regex":
                try:
                    re.compile(value)
                except re.error as e:
                    raise CaseError("%s: bad regex %r: %s" % (where, value, e)) from None
            checks = case.stdout_checks if "STDOUT" in key else case.stderr_checks
            checks.append(Check(kind, value, line_no))
    for opt in case.opts:
        if not re.fullmatch(r"-O[0-3sz]?|-Og|-Ofast", opt):
            raise CaseError("%s: OPT wants -O levels, got %r" % (path, opt))
    case.opts = case.opts or ["-O1"]
    return case


def check_ordered(checks, text, stream):
    """Returns failure messages for CHECK-style lines not found in order."""
    lines = text.splitlines()
    pos = 0
    for check in checks:
        for i in range(pos, len(lines)):
            if check.matches(lines[i]):
                pos = i + 1
                break
        else:
            after = "after %s line %d" % (stream, pos) if pos else "in %s" % stream
            return ["%s: not found %s" % (check, after)]
    return []


def check_absent(checks, text, stream):
    failures = []
    for check in checks:
        for i, line in enumerate(text.splitlines(), 1):
            if check.matches(line):
                failures.append("CHECK-NOT: %s (case line %d): found in %s line %d: %s"
                                % (check.pattern, check.line_no, stream, i, line))
                break
    return failures


def decode(data):
    return (data or b"").decode("utf-8", errors="replace")


def run_program(cmd, env, timeout):
    """Runs cmd in its own process group; returns (status, stdout, stderr, timed_out).

    status is the exit status, or -signal as subprocess reports it."""
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, decode(out), decode(err), False
    except subprocess.TimeoutExpired:
        # SIGQUIT first: a goro program answers with every goroutine's stack.
        os.killpg(p.pid, signal.SIGQUIT)
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
        return p.returncode, decode(out), decode(err), True


def describe_status(status):
    if status is not None and status < 0:
        try:
            return "killed by %s" % signal.Signals(-status).name
        except ValueError:
            return "killed by signal %d" % -status
    return "exit status %s" % status


def show(name, text):
    body = text if text.endswith("\n") or not text else text + "\n"
    return "--- %s (%d lines) ---\n%s--- end of %s ---\n" % (
        name, len(text.splitlines()), body, name)


PCH_HEADERS = ["goro/goro.hpp", "atomic", "chrono", "cstdio", "cstdlib", "mutex", "string", "thread",
               "vector"]


def shared_pch(goro, opt, flags):
    """The precompiled header for compiling with `goro c++ -g opt flags`, or None if it cannot be
    made (the case then compiles without one).

    Kept in the temporary directory under a name that hashes the flags and the installed headers'
    and plugin's times, so a rebuilt tree gets a new one; written to a private name and renamed,
    so tests building the same one at once do not see each other's half-written file."""
    prefix = pathlib.Path(goro).resolve().parent.parent
    inputs = list((prefix / "include" / "goro").rglob("*")) + list((prefix / "lib").rglob("*.so"))
    stamp = max((p.stat().st_mtime_ns for p in inputs if p.is_file()), default=0)
    key = hashlib.sha256(repr((str(prefix), stamp, opt, flags)).encode()).hexdigest()[:20]
    cache = pathlib.Path(tempfile.gettempdir()) / ("goro-e2e-pch-%d" % os.getuid())
    pch = cache / ("%s.pch" % key)
    if pch.exists():
        return pch
    try:
        cache.mkdir(exist_ok=True)
        # The header is written once and never again: a precompiled header records its header's
        # time, and a rewrite by a parallel test would make clang refuse the other's.
        header = cache / ("%s.hpp" % key)
        if not header.exists():
            draft = cache / ("%s.%d.hpp" % (key, os.getpid()))
            draft.write_text("".join("#include <%s>\n" % h for h in PCH_HEADERS))
            try:
                os.link(draft, header)  # fails if another test made it first
            except FileExistsError:
                pass
            draft.unlink()
        partial = cache / ("%s.%d.tmp" % (key, os.getpid()))
        c = subprocess.run([goro, "c++", "-g", opt, *flags, "-c", "-x", "c++-header", str(header),
                            "-o", str(partial)], capture_output=True, timeout=COMPILE_TIMEOUT)
        if c.returncode != 0:
            partial.unlink(missing_ok=True)
            return None
        os.replace(partial, pch)
        return pch
    except (OSError, subprocess.TimeoutExpired):
        return None


def run_case(goro, case, opt, workdir, timeout):
    """Compiles and runs one case at one -O level; returns a list of failure messages."""
    label = "%s %s" % (case.path.name, opt)
    binary = workdir / ("%s%s" % (case.path.stem, opt))
    pch = shared_pch(goro, opt, case.flags) if case.includes_goro else None
    with_pch = ["-include-pch", str(pch)] if pch else []
    compile_cmd = [goro, "c++", "-g", opt, *case.flags, *with_pch, str(case.path), "-o",
                   str(binary)]
    print("e2e %s: %s" % (label, shlex.join(compile_cmd)), flush=True)
    try:
        c = subprocess.run(compile_cmd, capture_output=True, timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return ["compile timed out after %d s" % COMPILE_TIMEOUT]
    if c.returncode != 0:
        return ["compile failed (%s)\n%s" % (describe_status(c.returncode),
                                             show("compiler output", decode(c.stderr)))]

    env = dict(os.environ, **case.env)
    run_cmd = [str(binary), *case.args]
    env_words = ["%s=%s" % kv for kv in case.env.items()]
    print("e2e %s: %s" % (label, shlex.join(env_words + run_cmd)), flush=True)
    if case.runs == 1:
        return run_once(case, run_cmd, env, timeout)
    first_failures, passed = None, 0
    for _ in range(case.runs):
        failures = run_once(case, run_cmd, env, timeout)
        if failures:
            first_failures = first_failures or failures
        else:
            passed += 1
    print("e2e %s: %d of %d runs passed (%d needed)" % (label, passed, case.runs, case.min_passing))
    if passed >= case.min_passing:
        return []
    return ["only %d of %d runs passed, %d needed; the first failing run:" % (
        passed, case.runs, case.min_passing)] + first_failures


def run_once(case, run_cmd, env, timeout):
    """Runs a compiled case once; returns a list of failure messages."""
    status, out, err, timed_out = run_program(run_cmd, env, timeout)
    failures = []
    if timed_out:
        failures.append("timed out after %g s (sent SIGQUIT; %s)" % (timeout,
                                                                     describe_status(status)))
    elif status != case.exit:
        failures.append("%s, want exit status %d" % (describe_status(status), case.exit))
    failures += check_ordered(case.stderr_checks, err, "stderr")
    failures += check_ordered(case.stdout_checks, out, "stdout")
    failures += check_absent(case.stderr_nots, err, "stderr")
    if failures:
        failures.append(show("stdout", out) + show("stderr", err))
    return failures


def race_runtime_installed(goro):
    prefix = pathlib.Path(goro).resolve().parent.parent
    return (prefix / "lib" / "libgoro_race.a").exists()


def parse_args(argv):
    # "--opt -O1" reads as two options to argparse; glue the value on.
    glued = []
    it = iter(argv)
    for a in it:
        if a == "--opt":
            glued.append("--opt=" + next(it, ""))
        else:
            glued.append(a)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goro", required=True, help="the installed driver, <prefix>/bin/goro")
    parser.add_argument("--case", required=True, type=pathlib.Path, help="the case file")
    parser.add_argument("--opt", action="append", default=[],
                        help="-O level to run (repeatable; default: the case's OPT list)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per run (default 60)")
    parser.add_argument("--keep", action="store_true", help="keep the compiled binaries")
    return parser.parse_args(glued)


def main(argv):
    args = parse_args(argv)
    goro = shutil.which(args.goro) or args.goro
    if not os.access(goro, os.X_OK):
        print("run_e2e: %s: not found (install the build into its stage first)" % goro)
        return 1
    try:
        case = parse_case(args.case)
    except (CaseError, OSError) as e:
        print("run_e2e: %s" % e)
        return 1
    if "-race" in case.flags and not race_runtime_installed(goro):
        print("e2e %s: SKIP (needs -race; the race runtime is not installed)" % case.path.name)
        return SKIP

    workdir = pathlib.Path(tempfile.mkdtemp(prefix="goro-e2e-"))
    failed = False
    try:
        for opt in args.opt or case.opts:
            failures = run_case(goro, case, opt, workdir, args.timeout)
            if failures:
                failed = True
                print("e2e %s %s: FAIL" % (case.path.name, opt))
                for f in failures:
                    print(f if f.endswith("\n") else f + "\n", end="")
            else:
                print("e2e %s %s: PASS" % (case.path.name, opt))
    finally:
        if args.keep:
            print("run_e2e: binaries kept in %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
