#!/usr/bin/env python3
"""Tests of `goro stress` as installed: flags, seeds, grouping, output, timeouts, signals, Ctrl-C.

Usage: stress_test.py --goro <prefix>/bin/goro [unittest args, e.g. StressGroupingTest]

The programs are shell scripts that read their seed from GORODEBUG and print what a goro program
prints when it fails (a panic, a race report, a deadlock), so every path of the driver is checked
without compiling anything; tests/e2e/replay_test.py runs real programs.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

GORO = None

# A program that fails by its seed: panic on seeds ending in 3 (the message carries the seed, a
# number the grouping must mask), a data race on seeds ending in 7 (seen from either side: the
# stacks swap on odd tens), exit status 3 on seed 20; passes otherwise. It appends
# "GORODEBUG|args..." to $STRESS_LOG in one write, so that runs in parallel do not interleave.
BY_SEED = textwrap.dedent("""\
    #!/bin/sh
    line=$GORODEBUG
    for a in "$@"; do line="$line|$a"; done
    printf '%s\\n' "$line" >> "$STRESS_LOG"
    seed=${GORODEBUG#schedseed=}
    seed=${seed%%,*}
    echo "starting $seed"
    case $seed in
      *3)
        printf 'panic: bad value %s\\n\\ngoroutine %s [running]:\\n' "$seed" "$seed" >&2
        printf 'check(int)\\n\\t/src/app/check.cpp:12 +0x1a\\n' >&2
        printf 'created by main in goroutine 1\\n\\t/src/app/main.cpp:5 +0x2c\\n' >&2
        exit 2;;
      *7)
        a='  load(int const*)\\n      /src/app/store.cpp:20 +0x1a\\n'
        b='  store(int*)\\n      /src/app/store.cpp:9 +0x11\\n'
        if [ $(( seed / 10 % 2 )) = 1 ]; then t=$a; a=$b; b=$t; fi
        printf '==================\\nWARNING: DATA RACE\\nRead at 0x%012x by goroutine %s:\\n' "$seed" "$seed" >&2
        printf "$a" >&2
        printf '\\nPrevious write at 0x00000000abcd by goroutine 2:\\n' >&2
        printf "$b" >&2
        printf '==================\\n' >&2
        exit 66;;
      20)
        echo "BUG: balance is 7, want 8" >&2
        exit 3;;
    esac
    exit 0
    """)


def write_program(path, text):
    path.write_text(text)
    path.chmod(0o755)
    return path


class StressTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="goro-stress-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.outputs = self.tmp / "tmpdir"  # the driver's TMPDIR: where the run output goes
        self.outputs.mkdir()
        self.log = self.tmp / "runs.log"
        self.env = dict(os.environ, TMPDIR=str(self.outputs), STRESS_LOG=str(self.log))
        for key in ["GORODEBUG", "GOMAXPROCS"]:
            self.env.pop(key, None)
        self.by_seed = write_program(self.tmp / "by_seed", BY_SEED)

    def stress(self, *args, env=None, timeout=120):
        return subprocess.run([GORO, "stress", *args], capture_output=True, text=True,
                              env=env or self.env, timeout=timeout, cwd=self.tmp)

    def logged_runs(self):
        if not self.log.exists():
            return []
        return [line.split("|") for line in self.log.read_text().splitlines()]

    def output_dirs(self):
        return sorted(self.outputs.iterdir())


class StressFlagsTest(StressTestCase):
    def assertUsage(self, args, message):
        r = self.stress(*args)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (2, "", message + "\n"))
        self.assertEqual(self.logged_runs(), [])

    def test_bad_flags_are_usage_errors_naming_the_flag(self):
        prog = str(self.by_seed)
        cases = [
            (["-n", "0", prog], 'goro stress: invalid value "0" for flag -n: a number of runs, '
                                '1 or more'),
            (["-n", "x", prog], 'goro stress: invalid value "x" for flag -n: a number of runs, '
                                '1 or more'),
            (["-p", "0", prog], 'goro stress: invalid value "0" for flag -p: how many runs at '
                                'once, 1 to 4096'),
            (["-timeout", "10", prog], 'goro stress: invalid value "10" for flag -timeout: a '
                                       'duration such as 500ms, 30s, 10m or 1h30m'),
            (["--pct", "17", prog], 'goro stress: invalid value "17" for flag --pct: a depth from '
                                    '1 to 16'),
            (["--seed-from", "-1", prog], 'goro stress: invalid value "-1" for flag --seed-from: '
                                          'a decimal number below 2^64'),
            (["--bogus", prog], "goro stress: unknown flag --bogus (-n, -p, -timeout, --pct, "
                                "--seed-from, --json, -o or --help)"),
            (["-n"], "goro stress: flag needs an argument: -n"),
            ([], "goro stress: no program given (usage: goro stress [flags] [--] PROG [ARGS...])"),
            (["-n", "3", "--"], "goro stress: no program given (usage: goro stress [flags] [--] "
                                "PROG [ARGS...])"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                self.assertUsage(args, message)

    def test_a_program_that_cannot_run_is_a_usage_error(self):
        self.assertUsage(["./missing"], "goro stress: ./missing: not an executable file")
        self.assertUsage(["no-such-program-anywhere"],
                         "goro stress: no-such-program-anywhere: executable file not found in $PATH")
        (self.tmp / "data.txt").write_text("x")
        self.assertUsage(["./data.txt"], "goro stress: ./data.txt: not an executable file")

    def test_help(self):
        for flag in ["-h", "-help", "--help"]:
            with self.subTest(flag):
                r = self.stress(flag)
                self.assertEqual((r.returncode, r.stderr), (0, ""))
                self.assertTrue(r.stdout.startswith("usage: goro stress "), r.stdout)

    def test_flags_after_the_program_are_the_programs(self):
        r = self.stress("-n", "1", "--seed-from", "1", str(self.by_seed), "-n", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.logged_runs(), [["schedseed=1", "-n", "--help"]])

    def test_go_flag_spellings(self):
        r = self.stress("--n=2", "-seed-from=5", "-p=1", "--timeout=1m", str(self.by_seed))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(run[0] for run in self.logged_runs()),
                         ["schedseed=5", "schedseed=6"])


class StressSeedsTest(StressTestCase):
    def test_runs_get_consecutive_seeds_from_seed_from(self):
        r = self.stress("-n", "3", "--seed-from", "100", str(self.by_seed), "x")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(self.logged_runs()),
                         [["schedseed=%d" % s, "x"] for s in range(100, 103)])
        self.assertEqual(r.stdout, "goro stress: 3 runs, none failed, seeds 100..102\n")
        self.assertEqual(self.output_dirs(), [])  # nothing kept when nothing failed

    def test_pct_and_the_users_other_godebug_keys_go_to_every_run(self):
        env = dict(self.env, GORODEBUG="leakcheck=1,schedseed=9,pct=2,partialdeadlock=warn")
        r = self.stress("-n", "2", "--seed-from", "40", "--pct", "3", str(self.by_seed), env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(run[0] for run in self.logged_runs()),
                         ["schedseed=%d,pct=3,leakcheck=1,partialdeadlock=warn" % s
                          for s in (40, 41)])
        self.assertIn("goro stress: GORODEBUG's schedseed=9 is ignored: each run gets its own\n",
                      r.stderr)
        self.assertIn("goro stress: GORODEBUG's pct=2 is ignored: each run gets its own\n",
                      r.stderr)
        self.assertIn("seeds 40..41 with pct=3", r.stdout)

    def test_without_seed_from_the_random_start_is_printed(self):
        prog = write_program(self.tmp / "passes",
                             '#!/bin/sh\nprintf "%s\\n" "$GORODEBUG" >> "$STRESS_LOG"\n')
        r = self.stress("-n", "3", str(prog))
        self.assertEqual(r.returncode, 0, r.stderr)
        start = int(re.search(r"seeds from (\d+)", r.stderr).group(1))
        self.assertEqual(sorted(run[0] for run in self.logged_runs()),
                         ["schedseed=%d" % s for s in range(start, start + 3)])

    def test_seeds_wrap_at_2_to_the_64(self):
        r = self.stress("-n", "2", "--seed-from", str(2**64 - 1), str(self.by_seed))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(run[0] for run in self.logged_runs()),
                         ["schedseed=0", "schedseed=%d" % (2**64 - 1)])


class StressGroupingTest(StressTestCase):
    def run_twenty(self, *flags):
        return self.stress("-n", "20", "--seed-from", "1", *flags, str(self.by_seed))

    def test_failures_grouped_by_kind_and_top_frames(self):
        r = self.run_twenty()
        self.assertEqual(r.returncode, 1, r.stderr)
        [out_dir] = self.output_dirs()
        prog = str(self.by_seed)
        want = textwrap.dedent("""\
            goro stress: 20 runs, 5 failed: 3 kinds of failure, seeds 1..20

            panic: 2 of 20 runs (first: seed 3)
              panic: bad value 3
              at check(int) /src/app/check.cpp:12
                 created by main in goroutine 1 /src/app/main.cpp:5
              reproduce: GORODEBUG=schedseed=3 {prog}
              output: {dir}/seed-3.log
                | panic: bad value 3
                |
                | goroutine 3 [running]:
                | check(int)
                | \t/src/app/check.cpp:12 +0x1a
                | created by main in goroutine 1
                | \t/src/app/main.cpp:5 +0x2c

            data race: 2 of 20 runs (first: seed 7)
              WARNING: DATA RACE
              at store(int*) /src/app/store.cpp:9
                 load(int const*) /src/app/store.cpp:20
              reproduce: GORODEBUG=schedseed=7 {prog}
              output: {dir}/seed-7.log
                | WARNING: DATA RACE
                | Read at 0x000000000007 by goroutine 7:
                |   load(int const*)
                |       /src/app/store.cpp:20 +0x1a
                |
                | Previous write at 0x00000000abcd by goroutine 2:
                |   store(int*)
                |       /src/app/store.cpp:9 +0x11
                | ==================

            exit status: 1 of 20 runs (first: seed 20)
              exit status 3
              reproduce: GORODEBUG=schedseed=20 {prog}
              output: {dir}/seed-20.log
                | starting 20
                | BUG: balance is 7, want 8
            """).format(prog=prog, dir=out_dir)
        self.assertEqual(r.stdout, want)
        # Only each group's first output is kept, whole.
        self.assertEqual(sorted(p.name for p in out_dir.iterdir()),
                         ["seed-20.log", "seed-3.log", "seed-7.log"])
        self.assertTrue((out_dir / "seed-3.log").read_text().startswith("starting 3\npanic: "))
        # Each new kind is announced as it is found.
        self.assertIn("goro stress: seed 3: panic: bad value 3\n", r.stderr)
        self.assertIn("goro stress: seed 20: exit status 3\n", r.stderr)

    def test_the_result_does_not_depend_on_parallelism(self):
        def without_dir(r):
            return re.sub(r"goro-stress-\w+", "DIR", r.stdout)
        one = self.run_twenty("-p", "1")
        many = self.run_twenty("-p", "8")
        self.assertEqual(without_dir(one), without_dir(many))

    def test_reproduce_command_replays_the_run_in_a_shell(self):
        args = ["a b", "it's", "$HOME", ""]
        r = self.stress("-n", "3", "--seed-from", "1", str(self.by_seed), *args)
        self.assertEqual(r.returncode, 1, r.stderr)
        command = re.search(r"reproduce: (.*)\n", r.stdout).group(1)
        self.assertEqual(command, "GORODEBUG=schedseed=3 %s 'a b' 'it'\\''s' '$HOME' ''"
                         % self.by_seed)
        self.log.unlink()
        replay = subprocess.run(["sh", "-c", command], capture_output=True, text=True,
                                env=self.env)
        self.assertEqual(replay.returncode, 2)
        self.assertEqual(self.logged_runs(), [["schedseed=3"] + args])

    def test_reproduce_names_gomaxprocs_when_set(self):
        env = dict(self.env, GOMAXPROCS="1", GORODEBUG="leakcheck=1")
        r = self.stress("-n", "1", "--seed-from", "3", "--pct", "2", str(self.by_seed), env=env)
        self.assertIn("reproduce: GORODEBUG=schedseed=3,pct=2,leakcheck=1 GOMAXPROCS=1 %s\n"
                      % self.by_seed, r.stdout)

    def test_signal_and_timeout(self):
        prog = write_program(self.tmp / "hangs", textwrap.dedent("""\
            #!/bin/sh
            seed=${GORODEBUG#schedseed=}
            case $seed in
              1) trap 'printf "SIGQUIT: quit\\n\\ngoroutine 1 [chan receive]:\\nwait_forever()\\n\\t/src/hang.cpp:4 +0x9\\n" >&2; exit 2' QUIT
                 while :; do sleep 0.05; done;;
              2) trap '' QUIT; exec sleep 60;;
              3) kill -s SEGV $$;;
            esac
            """))
        started = time.monotonic()
        r = self.stress("-n", "3", "-p", "3", "--seed-from", "1", "-timeout", "300ms", str(prog))
        self.assertLess(time.monotonic() - started, 50)  # SIGKILL came: sleep 60 did not finish
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("\ntimeout: 1 of 3 runs (first: seed 1)\n  timed out after 300ms\n"
                      "  at wait_forever() /src/hang.cpp:4\n", r.stdout)
        self.assertIn("\ntimeout: 1 of 3 runs (first: seed 2)\n  timed out after 300ms\n"
                      "  reproduce:", r.stdout)
        self.assertIn("\nsignal: 1 of 3 runs (first: seed 3)\n  killed by signal SIGSEGV\n",
                      r.stdout)

    def test_stack_use_after_return_is_its_own_kind_at_the_use(self):
        prog = write_program(self.tmp / "dangles", textwrap.dedent("""\
            #!/bin/sh
            printf '==================\\nWARNING: stack use after return\\n' >&2
            printf 'Write at 0x7f0000001000 by goroutine 2:\\n  worker()\\n      /src/w.cpp:8 +0x1a\\n' >&2
            printf '\\nPrevious write at 0x7f0000001000 by main goroutine:\\n' >&2
            printf '  start()\\n      /src/w.cpp:3 +0x11\\n==================\\n' >&2
            exit 66
            """))
        r = self.stress("-n", "2", "--seed-from", "1", str(prog))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("\nstack use after return: 2 of 2 runs (first: seed 1)\n"
                      "  WARNING: stack use after return\n  at worker() /src/w.cpp:8\n", r.stdout)

    def test_stdin_is_empty(self):
        prog = write_program(self.tmp / "reads", "#!/bin/sh\nread line && exit 5\nexit 0\n")
        r = subprocess.run([GORO, "stress", "-n", "2", str(prog)], capture_output=True,
                           text=True, env=self.env, input="a line\n", timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout)


class StressJsonTest(StressTestCase):
    FIELDS = ["version", "type", "time", "pid", "program", "kind", "headline", "runs", "of",
              "seed", "pct", "command", "frames", "output", "text"]

    def test_json_lines_on_stdout_and_in_the_output_file(self):
        out = self.tmp / "stress.json"
        out.write_text("old\n")
        r = self.stress("-n", "20", "--seed-from", "1", "--pct", "2", "--json", "-o", str(out),
                        str(self.by_seed))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(out.read_text(), r.stdout)
        lines = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([line["kind"] for line in lines], ["panic", "data race", "exit status"])
        for line in lines:
            self.assertEqual(list(line), self.FIELDS)
        panic = lines[0]
        self.assertEqual((panic["version"], panic["type"], panic["program"], panic["runs"],
                          panic["of"], panic["seed"], panic["pct"]),
                         (1, "stress_failure", str(self.by_seed), 2, 20, 3, 2))
        self.assertEqual(panic["headline"], "panic: bad value 3")
        self.assertEqual(panic["command"], "GORODEBUG=schedseed=3,pct=2 %s" % self.by_seed)
        self.assertEqual(panic["frames"][0], {"function": "check(int)",
                                              "file": "/src/app/check.cpp", "line": 12})
        self.assertTrue(panic["text"].startswith("panic: bad value 3\n\ngoroutine 3"))
        self.assertTrue(pathlib.Path(panic["output"]).is_file())
        self.assertRegex(panic["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_no_failures_write_an_empty_file(self):
        out = self.tmp / "stress.json"
        r = self.stress("-n", "2", "--seed-from", "1", "-o", str(out), str(self.by_seed))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out.read_text(), "")

    def test_an_output_file_that_cannot_be_written_fails_before_any_run(self):
        r = self.stress("-n", "2", "-o", str(self.tmp / "no" / "dir.json"), str(self.by_seed))
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertEqual(r.stderr, "goro stress: cannot write %s: No such file or directory\n"
                         % (self.tmp / "no" / "dir.json"))
        self.assertEqual(self.logged_runs(), [])


class StressInterruptTest(StressTestCase):
    SLOW = textwrap.dedent("""\
        #!/bin/sh
        echo $$ >> "$STRESS_LOG"
        seed=${GORODEBUG#schedseed=}
        [ "$seed" = "$FAIL_SEED" ] && { echo "panic: early" >&2; exit 2; }
        exec sleep 30
        """)

    def interrupt(self, fail_seed, wait_for):
        prog = write_program(self.tmp / "slow", self.SLOW)
        env = dict(self.env, FAIL_SEED=fail_seed)
        p = subprocess.Popen([GORO, "stress", "-n", "1000", "-p", "2", "--seed-from", "1",
                              str(prog)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
        deadline = time.monotonic() + 60
        while not (self.log.exists() and len(self.log.read_text().split()) >= wait_for):
            self.assertLess(time.monotonic(), deadline, "the runs never started")
            time.sleep(0.02)
        time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        return p.returncode, out, err

    def assertRunsGone(self):
        for pid in self.log.read_text().split():
            with self.assertRaises(ProcessLookupError, msg="run %s still alive" % pid):
                os.kill(int(pid), 0)

    def test_ctrl_c_stops_the_runs_and_prints_what_was_found(self):
        code, out, err = self.interrupt(fail_seed="1", wait_for=3)
        self.assertEqual(code, 1, err)
        self.assertRegex(out, r"^goro stress: interrupted after 1 of 1000 runs, 1 failed: "
                              r"1 kind of failure, seeds from 1\n\npanic: 1 of 1 runs "
                              r"\(first: seed 1\)\n")
        self.assertRunsGone()

    def test_runs_die_with_a_killed_driver(self):
        prog = write_program(self.tmp / "slow", self.SLOW)
        p = subprocess.Popen([GORO, "stress", "-n", "1000", "-p", "2", str(prog)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=dict(self.env, FAIL_SEED="none"))
        deadline = time.monotonic() + 60
        while not (self.log.exists() and len(self.log.read_text().split()) >= 2):
            self.assertLess(time.monotonic(), deadline, "the runs never started")
            time.sleep(0.02)
        p.kill()
        p.wait(timeout=60)
        pids = [int(pid) for pid in self.log.read_text().split()]
        deadline = time.monotonic() + 10  # the kernel signals them at the driver's death; they sleep 30 s
        while any(self.alive(pid) for pid in pids):
            self.assertLess(time.monotonic(), deadline, "runs outlived the killed driver")
            time.sleep(0.02)

    @staticmethod
    def alive(pid):
        try:
            with open("/proc/%d/stat" % pid) as stat:
                state = stat.read().split(") ", 1)[1][0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        return state != "Z"  # a zombie only waits to be reaped

    def test_ctrl_c_before_any_failure_exits_130(self):
        code, out, err = self.interrupt(fail_seed="none", wait_for=2)
        self.assertEqual(code, 130, err)
        self.assertEqual(out, "goro stress: interrupted after 0 of 1000 runs, none failed\n")
        self.assertRunsGone()
        self.assertEqual(self.output_dirs(), [])


def main():
    global GORO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goro", required=True, help="the staged driver, <prefix>/bin/goro")
    args, rest = parser.parse_known_args()
    GORO = os.path.abspath(args.goro)
    if not os.access(GORO, os.X_OK):
        sys.exit("stress_test: %s: not found" % GORO)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
