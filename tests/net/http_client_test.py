#!/usr/bin/env python3
"""The HTTP example under a real client: build examples/http_hello.cpp with the staged goro (plain
or -race), serve on a free loopback port, run wrk with 100 keep-alive connections for a few seconds,
and require that every response succeeded and, in the race build, that nothing was reported.

Exit 0 on success, 1 on failure, 77 (skipped) for the race mode when the race runtime is not staged.
wrk comes from Debian (./dev installs it); its absence is a failure, not a skip, so CI cannot pass
without having run the client.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

SERVE_SECONDS = 60  # the server stops by itself after this, whatever happens to this script
WRK_SECONDS = 3


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goro", required=True)
    ap.add_argument("--example", required=True)
    ap.add_argument("--mode", choices=["plain", "race"], required=True)
    args = ap.parse_args()

    race = args.mode == "race"
    stage_lib = os.path.join(os.path.dirname(os.path.dirname(args.goro)), "lib", "libgoro_race.a")
    if race and not os.path.exists(stage_lib):
        print("race runtime not staged: skipped")
        sys.exit(77)
    wrk = shutil.which("wrk")
    if wrk is None:
        fail("wrk is not installed (./dev installs it)")

    with tempfile.TemporaryDirectory(prefix="goro-http-") as tmp:
        exe = os.path.join(tmp, "http_hello")
        build = [args.goro, "c++", "-O1", "-g"] + (["-race"] if race else []) + [args.example, "-o", exe]
        r = subprocess.run(build, capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"build failed: {' '.join(build)}\n{r.stdout}{r.stderr}")

        env = dict(os.environ, GOMAXPROCS="2")
        server = subprocess.Popen([exe, "127.0.0.1:0", str(SERVE_SECONDS)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        stderr_lines = []
        drain = threading.Thread(target=lambda: stderr_lines.extend(server.stderr), daemon=True)
        drain.start()
        try:
            line = server.stdout.readline()
            m = re.match(r"listening on (\S+)", line)
            if not m:
                fail(f"server did not print its address; first line: {line!r}")
            url = f"http://{m.group(1)}/"
            w = subprocess.run([wrk, "-t", "2", "-c", "100", "-d", f"{WRK_SECONDS}s", url],
                               capture_output=True, text=True, timeout=120)
            print(w.stdout)
            if w.returncode != 0:
                fail(f"wrk exited {w.returncode}: {w.stderr}")
            done = re.search(r"(\d+) requests in", w.stdout)
            if not done or int(done.group(1)) == 0:
                fail("wrk completed no request")
            if "Socket errors" in w.stdout:
                fail("wrk saw socket errors")
            if "Non-2xx or 3xx responses" in w.stdout:
                fail("some responses were not 200")
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            drain.join(timeout=10)
        err = "".join(stderr_lines)
        if "DATA RACE" in err:
            fail(f"the race build reported a race:\n{err}")
        if "fatal error" in err or "panic:" in err:
            fail(f"the server failed:\n{err}")
        print(f"{done.group(1)} requests, all 200 ({args.mode} build)")


if __name__ == "__main__":
    main()
