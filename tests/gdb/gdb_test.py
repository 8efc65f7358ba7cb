#!/usr/bin/env python3
"""goro's gdb script, loaded by gdb from the program itself: `info goroutines` lists each
goroutine with its state or wait reason and its first frame of the program's, `goroutine N bt`
prints a parked goroutine's stack, and the current thread's registers are as they were after.

Usage: gdb_test.py --goro <prefix>/bin/goro --program tests/gdb/goroutines.cpp
Exit status: 0 pass, 1 fail, 77 skipped (no gdb).
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from marked_lines import marked_lines  # noqa: E402

SKIP = 77


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goro", required=True)
    ap.add_argument("--program", required=True, type=pathlib.Path)
    args = ap.parse_args()
    gdb = shutil.which("gdb")
    if gdb is None:
        print("skipped: gdb is not installed")
        return SKIP
    prefix = pathlib.Path(args.goro).resolve().parent.parent
    failures = []

    def check(condition, what, output):
        if not condition:
            failures.append("%s\n--- gdb output:\n%s" % (what, output))

    check((prefix / "share" / "goro" / "goro-gdb.py").is_file(),
          "share/goro/goro-gdb.py is not installed", "")
    lines = marked_lines(args.program)
    name = args.program.name
    with tempfile.TemporaryDirectory(prefix="goro-gdb-") as tmp:
        binary = pathlib.Path(tmp) / "goroutines"
        build = subprocess.run([args.goro, "c++", "-O1", "-g", str(args.program), "-o",
                                str(binary)], capture_output=True, text=True)
        if build.returncode != 0:
            print("FAIL: build\n" + build.stderr)
            return 1
        env = dict(os.environ, GOMAXPROCS="1")
        env.pop("GORODEBUG", None)
        cmd = [gdb, "-nx", "-batch", "-iex", "set auto-load safe-path /",
               "-ex", "break stop_here", "-ex", "run",
               "-ex", "info goroutines",
               "-ex", "goroutine 2 bt",
               "-ex", "bt 1",
               "-ex", "goroutine 1 bt",
               "-ex", "goroutine 99 bt",
               "-ex", "kill", str(binary)]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        out = r.stdout + r.stderr

        def frame(what, function):
            return r"\[%s\] %s \S*%s:%d\n" % (re.escape(what), re.escape(function),
                                            re.escape(name), lines[what])

        for pattern, what in [
            (r"\* 1 \[running\]\n", "main is running"),
            (r"  2 " + frame("chan receive", "wait_for_value"), "the receiver"),
            (r"  3 " + frame("select", "wait_for_either"), "the select"),
            (r"  4 " + r"\[sync\.Mutex\.Lock\] take_lock \S*%s:%d\n" % (re.escape(name),
                                                                     lines["mutex"]),
             "the mutex waiter"),
            (r"  5 " + frame("sleep", "nap"), "the sleeper"),
        ]:
            check(re.search(pattern, out), "info goroutines: %s (%s)" % (what, pattern), out)
        # goroutine 2 bt: the runtime's park, then the program's frames down to the goroutine's
        # function.
        check(re.search(r"#\d+ .*goro::sched::park", out), "goroutine 2 bt: no park frame", out)
        check(re.search(r"#\d+ .*wait_for_value .* at \S*%s:%d" % (re.escape(name),
                                                                lines["chan receive"]), out),
              "goroutine 2 bt: no wait_for_value frame at its line", out)
        # The current thread's registers are back: its newest frame is the breakpoint's again.
        check(re.search(r"#0  stop_here \(\) at \S*%s" % re.escape(name), out),
              "bt 1 after goroutine 2 bt: not at stop_here", out)
        check("goroutine 1 is running on a thread: see `thread apply all bt`" in out,
              "goroutine 1 bt: a running goroutine is not refused", out)
        check("no goroutine 99" in out, "goroutine 99 bt: no error", out)
    if failures:
        print("FAIL:\n" + "\n\n".join(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
