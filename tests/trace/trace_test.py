#!/usr/bin/env python3
"""GORODEBUG=trace=FILE and `goro trace summary`, on a program built with the staged goro.

The trace must be Chrome trace-event JSON whose goroutine tracks cover each goroutine's life with
slices that do not overlap, whose P tracks do not overlap either, named after the creation sites;
the summary must add it up per site; bad input must give a clear error.

Usage: trace_test.py --goro <prefix>/bin/goro --program tests/trace/traced.cpp
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from marked_lines import marked_lines  # noqa: E402

ARGS = None


class TraceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="goro-trace-"))
        cls.binary = cls.tmp / "traced"
        subprocess.run([ARGS.goro, "c++", "-O1", "-g", str(ARGS.program), "-o", str(cls.binary)],
                       check=True)
        cls.lines = marked_lines(ARGS.program)

    def traced_run(self, *args, procs="2"):
        path = self.tmp / ("trace-%s-%s.json" % (procs, "-".join(args) or "run"))
        env = dict(os.environ, GORODEBUG="trace=%s" % path, GOMAXPROCS=procs)
        r = subprocess.run([str(self.binary), *args], capture_output=True, text=True, env=env,
                           timeout=120)
        self.assertEqual((r.returncode, r.stdout), (0, "sum 4900\n"), r.stderr)
        return path

    def summary(self, *args):
        return subprocess.run([ARGS.goro, "trace", *args], capture_output=True, text=True,
                              timeout=60)

    def check_shape(self, path):
        doc = json.loads(path.read_text())
        events = doc["traceEvents"]
        self.assertEqual(doc["otherData"]["dropped_events"], 0)
        names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
                 if e["ph"] == "M" and e["name"] == "thread_name"}
        slices = [e for e in events if e["ph"] == "X"]
        self.assertTrue(slices)
        by_track = {}
        for e in slices:
            self.assertGreaterEqual(e["dur"], 0)
            self.assertIn((e["pid"], e["tid"]), names, e)
            by_track.setdefault((e["pid"], e["tid"]), []).append(e)
        for track, items in by_track.items():
            items.sort(key=lambda e: e["ts"])
            for a, b in zip(items, items[1:]):
                # one state at a time (timestamps are printed to the nanosecond)
                self.assertLessEqual(a["ts"] + a["dur"], b["ts"] + 0.002, (track, a, b))
        # A goroutine's states follow each other as the scheduler moves it: an event stamped out of
        # order (a start before the ready that preceded it) or a wake-up not recorded (a network
        # poll's, a wait called off at once) would show as a forbidden step.
        successors = {"runnable": {"running"}, "running": {"blocked", "runnable", "syscall"},
                      "blocked": {"runnable"}, "syscall": {"running", "runnable"}}
        for (pid, tid), items in by_track.items():
            if pid != 2:
                continue
            for a, b in zip(items, items[1:]):
                self.assertIn(b["cat"], successors[a["cat"]], (tid, a, b))
        goroutines = {tid: name for (pid, tid), name in names.items() if pid == 2}
        self.assertEqual(len(goroutines), 7, goroutines)  # main, 4 producers, sleeper, poller
        producers = [n for n in goroutines.values()
                     if n.endswith("traced.cpp:%d" % self.lines["producers"])]
        self.assertEqual(len(producers), 4, goroutines)
        cats = {e["cat"] for e in slices if e["pid"] == 2}
        self.assertLessEqual({"running", "runnable", "blocked", "syscall"}, cats)
        reasons = {e["name"] for e in slices if e["pid"] == 2 and e["cat"] == "blocked"}
        self.assertLessEqual({"chan send", "sleep", "IO wait"}, reasons)
        self.assertTrue(any(e["pid"] == 1 and e["name"].startswith("G") for e in slices))
        return doc

    def test_trace_file_at_one_and_two_ps(self):
        for procs in ["1", "2"]:
            with self.subTest(procs=procs):
                self.check_shape(self.traced_run(procs=procs))

    def test_a_program_ending_with_exit_writes_it_too(self):
        self.check_shape(self.traced_run("exit"))

    def test_summary_per_creation_site(self):
        r = self.summary("summary", str(self.traced_run()))
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertTrue(r.stdout.startswith("7 goroutines from 4 creation sites"), r.stdout)
        producers = re.search(r"\n\S.*traced\.cpp:%d\n  goroutines 4 .*\n  blocked on: .*chan send"
                              % self.lines["producers"], r.stdout)
        self.assertIsNotNone(producers, r.stdout)
        sleeper = re.search(r"\n\S.*traced\.cpp:%d\n  goroutines 1 .*blocking calls (\S+) .*\n"
                            r"  blocked on: .*sleep" % self.lines["sleeper"], r.stdout)
        self.assertIsNotNone(sleeper, r.stdout)
        self.assertGreater(float(sleeper.group(1)), 0)
        self.assertIn("\n(main goroutine)\n  goroutines 1 ", r.stdout)

    def test_errors(self):
        truncated = self.tmp / "truncated.json"
        truncated.write_text(self.traced_run().read_text()[:300])
        other = self.tmp / "other.json"
        other.write_text('{"events": []}')
        missing = self.tmp / "missing.json"
        cases = [
            (["summary", str(missing)], 1,
             "goro trace summary: %s: No such file or directory\n" % missing),
            (["summary", str(truncated)], 1,
             "goro trace summary: %s: not a goro trace: invalid or truncated JSON\n" % truncated),
            (["summary", str(other)], 1,
             "goro trace summary: %s: not a goro trace: no traceEvents array\n" % other),
            ([], 2, "goro trace: missing subcommand (summary)\n"),
            (["view", "x"], 2, "goro trace: unknown subcommand view (summary)\n"),
            (["summary"], 2, "goro trace summary: want exactly one trace file\n"),
        ]
        for args, status, message in cases:
            with self.subTest(args=args):
                r = self.summary(*args)
                self.assertEqual((r.returncode, r.stdout, r.stderr), (status, "", message))

    def test_an_unwritable_trace_file_is_named_on_stderr(self):
        env = dict(os.environ, GORODEBUG="trace=%s" % (self.tmp / "no-such-dir" / "t.json"))
        r = subprocess.run([str(self.binary)], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual((r.returncode, r.stdout), (0, "sum 4900\n"))
        self.assertIn("GORODEBUG=trace: cannot write %s" % (self.tmp / "no-such-dir" / "t.json"),
                      r.stderr)

    def test_an_empty_file_name_is_a_start_up_error(self):
        env = dict(os.environ, GORODEBUG="trace=")
        r = subprocess.run([str(self.binary)], capture_output=True, text=True, env=env, timeout=120)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("GORODEBUG: trace=: expected a file name", r.stderr)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--goro", required=True)
    ap.add_argument("--program", required=True, type=pathlib.Path)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
