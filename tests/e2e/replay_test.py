#!/usr/bin/env python3
"""Seeded schedules find each bug of the stress corpus, and a seed replays what it found.

Usage: replay_test.py --goro <prefix>/bin/goro --bug bench/stress/<name>.cpp [--cap N] [--pct D]

The bug (and, with --twin, its clean twin) is built as bench/stress/run builds it: `goro c++ -O1 -g`,
with -race when its `// DETECT:` line says race. Then, under GORODEBUG=schedseed=S (plus ,pct=D
with --pct), for S = 1, 2, ...:
  - some S <= --cap must fail (a non-zero exit status) with the kind of failure the DETECT line
    names: seeds are deterministic, so this is a fixed property of the program and the runtime,
    not a chance;
  - `goro stress -n 1 --seed-from S` must classify that run as the DETECT kind, and the command
    it prints to reproduce it, run 10 times with `sh -c`, must fail the same way each time: the
    same exit status and the same stderr once addresses are masked (the report's text, its
    goroutines and their stacks), and the report must end with the "seeded schedule:" line naming
    the setting;
  - with --twin, the clean twin must pass under the same seeds 1..S.
Exit status: 0 pass, 1 fail, 77 skipped (a race bug while the race runtime is not installed).
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

SKIP = 77
RUN_TIMEOUT = 60
REPLAYS = 10
DETECT = re.compile(r"^\s*//\s*DETECT:\s*(\w+)\s*$", re.M)
# What each DETECT kind looks like: the exit status and a line of stderr.
EXPECTED = {
    "check": (1, re.compile(r"^BUG: ", re.M)),
    "panic": (2, re.compile(r"^panic: ", re.M)),
    "deadlock": (2, re.compile(r"^fatal error: (all goroutines are asleep|partial deadlock)", re.M)),
    "race": (66, re.compile(r"^WARNING: DATA RACE$", re.M)),
}
ADDRESS = re.compile(r"0x[0-9a-f]+")
# The kind goro stress gives each DETECT kind's failure.
STRESS_KINDS = {
    "check": ("exit status",),
    "panic": ("panic",),
    "deadlock": ("deadlock", "partial deadlock"),
    "race": ("data race",),
}


def build(goro, source, race, out, twin):
    cmd = [goro, "c++", "-O1", "-g"] + (["-race"] if race else []) + \
          (["-DCLEAN_TWIN"] if twin else []) + [str(source), "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("build failed: %s\n%s" % (" ".join(cmd), r.stderr))


def clean_env():
    env = dict(os.environ)
    for key in ("GOMAXPROCS", "GORODEBUG", "GORACE"):  # a seed implies GOMAXPROCS=1
        env.pop(key, None)
    return env


def run(binary, setting):
    r = subprocess.run([str(binary)], env=dict(clean_env(), GORODEBUG=setting),
                       capture_output=True, text=True, timeout=RUN_TIMEOUT)
    return r.returncode, r.stderr


def printed_command(goro, binary, seed, pct):
    """The group goro stress prints for the run of `seed`, as its JSON line. The output it keeps
    goes beside the binary, into the test's temporary directory."""
    cmd = [goro, "stress", "-n", "1", "--seed-from", str(seed), "--json"] + \
          (["--pct", str(pct)] if pct else []) + ["--", str(binary)]
    r = subprocess.run(cmd, env=dict(clean_env(), TMPDIR=str(binary.parent)), capture_output=True,
                       text=True, timeout=RUN_TIMEOUT)
    lines = r.stdout.splitlines()
    if r.returncode != 1 or len(lines) != 1:
        sys.exit("goro stress did not report one failure: exit status %d\n%s%s" %
                 (r.returncode, r.stdout, r.stderr))
    return json.loads(lines[0])


def setting_for(seed, pct):
    return "schedseed=%d" % seed + (",pct=%d" % pct if pct else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goro", required=True)
    ap.add_argument("--bug", required=True, type=pathlib.Path)
    ap.add_argument("--cap", type=int, default=1000)
    ap.add_argument("--pct", type=int, default=0)
    ap.add_argument("--twin", action="store_true")
    args = ap.parse_args()

    kinds = DETECT.findall(args.bug.read_text())
    if len(kinds) != 1 or kinds[0] not in EXPECTED:
        sys.exit("%s: wants one // DETECT: line, one of %s" % (args.bug, ", ".join(EXPECTED)))
    kind = kinds[0]
    race = kind == "race"
    prefix = pathlib.Path(args.goro).resolve().parent.parent
    if race and not (prefix / "lib" / "libgoro_race.a").exists():
        print("skipped: the race runtime is not installed")
        return SKIP
    status, pattern = EXPECTED[kind]

    with tempfile.TemporaryDirectory(prefix="goro-replay-") as tmp:
        binary = pathlib.Path(tmp) / args.bug.stem
        build(args.goro, args.bug, race, binary, twin=False)
        found = None
        for seed in range(1, args.cap + 1):
            code, err = run(binary, setting_for(seed, args.pct))
            if code != 0:
                found = (seed, code, err)
                break
        if found is None:
            print("FAIL: no seed of 1..%d showed the bug" % args.cap)
            return 1
        seed, code, err = found
        setting = setting_for(seed, args.pct)
        print("found by GORODEBUG=%s (run %d), exit status %d" % (setting, seed, code))
        if code != status or not pattern.search(err):
            print("FAIL: expected exit status %d and %r, got %d:\n%s" %
                  (status, pattern.pattern, code, err))
            return 1
        # A check failure is the program's own exit: only the runtime's reports name the seed.
        if kind != "check" and ("seeded schedule: GORODEBUG=%s\n" % setting) not in err:
            print("FAIL: the report does not end with the seeded schedule line:\n" + err)
            return 1
        group = printed_command(args.goro, binary, seed, args.pct)
        if group["kind"] not in STRESS_KINDS[kind]:
            print("FAIL: goro stress calls it %r, not one of %s" % (group["kind"],
                                                                   STRESS_KINDS[kind]))
            return 1
        command = group["command"]
        if command != "GORODEBUG=%s %s" % (setting, binary):
            print("FAIL: goro stress prints %r" % command)
            return 1
        masked = ADDRESS.sub("0x?", err)
        for i in range(REPLAYS):
            again = subprocess.run(["sh", "-c", command], env=clean_env(), capture_output=True,
                                   text=True, timeout=RUN_TIMEOUT)
            if again.returncode != code or ADDRESS.sub("0x?", again.stderr) != masked:
                print("FAIL: replay %d of %s differs: exit status %d\n--- first:\n%s\n"
                      "--- replay:\n%s" % (i + 1, command, again.returncode, err, again.stderr))
                return 1
        print("%s, run %d times: the same failure each time" % (command, REPLAYS))

        if args.twin:
            twin = pathlib.Path(tmp) / (args.bug.stem + "_twin")
            build(args.goro, args.bug, race, twin, twin=True)
            for s in range(1, seed + 1):
                twin_code, twin_err = run(twin, setting_for(s, args.pct))
                if twin_code != 0:
                    print("FAIL: the clean twin failed under GORODEBUG=%s:\n%s" %
                          (setting_for(s, args.pct), twin_err))
                    return 1
            print("clean twin passed seeds 1..%d" % seed)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
