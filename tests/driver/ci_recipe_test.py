#!/usr/bin/env python3
"""Runs the CI recipe of docs/ci.md as written, against a staged goro.

Usage: ci_recipe_test.py --goro <prefix>/bin/goro [--doc docs/ci.md] [--examples examples]
       [unittest args]

docs/ci.md marks its fenced blocks with HTML comments: `<!-- ci-test: build -->`, `run` and
`reports` before the three `sh` blocks it runs, `install` before the install commands (root and
network: not run), `github` and `gitlab` before the two YAML files. This test extracts them, so
the page and the test cannot drift apart:

- in a scratch directory holding `app.cpp` (a copy of examples/racy.cpp, then of the race-free
  examples/hello.cpp), it runs the three sh blocks in order with `sh -e -c`, the staged goro first
  on PATH, and checks their exit statuses and the files they leave: races.json, races.sarif,
  junit.xml;
- it checks that each YAML file contains every command line of the four sh blocks (and, when
  PyYAML is installed, that it parses).

Exit status 77 (ctest: skipped) when the race runtime is not staged.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

GORO = None  # --goro
DOC = None  # --doc
EXAMPLES = None  # --examples

MARKER = re.compile(r"^<!-- ci-test: ([a-z]+) -->$")
SH_BLOCKS = ("build", "run", "reports")  # run, in this order
LISTED_BLOCKS = ("install",)  # only checked against the YAML
YAML_BLOCKS = ("github", "gitlab")


def marked_blocks(text):
    """{name: block text} for every fenced block right after a `<!-- ci-test: NAME -->` line."""
    lines = text.splitlines()
    blocks = {}
    for i, line in enumerate(lines):
        m = MARKER.match(line)
        if not m:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            raise ValueError(f"{DOC}:{i + 1}: marker {m.group(1)!r} is not followed by a fence")
        body = []
        for j in range(i + 2, len(lines)):
            if lines[j].startswith("```"):
                break
            body.append(lines[j])
        else:
            raise ValueError(f"{DOC}:{i + 1}: block {m.group(1)!r} is not closed")
        if m.group(1) in blocks:
            raise ValueError(f"{DOC}:{i + 1}: block {m.group(1)!r} is marked twice")
        blocks[m.group(1)] = "\n".join(body) + "\n"
    return blocks


def command_lines(block):
    """The block's commands: its lines without blanks and comments."""
    return [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith("#")]


def yaml_lines(block):
    """The YAML's lines as a shell would see a command in them: no indentation, list dash or
    `run:` key, and no trailing comment."""
    out = set()
    for line in block.splitlines():
        s = line.strip()
        s = re.sub(r"^- ", "", s)
        s = re.sub(r"^run: ", "", s)
        s = re.sub(r"\s+#\s.*$", "", s)
        out.add(s)
    return out


class Recipe:
    blocks = None

    @classmethod
    def load(cls):
        if cls.blocks is None:
            cls.blocks = marked_blocks(pathlib.Path(DOC).read_text(encoding="utf-8"))
        return cls.blocks


class DocumentTest(unittest.TestCase):
    def test_every_block_is_marked(self):
        blocks = Recipe.load()
        for name in LISTED_BLOCKS + SH_BLOCKS + YAML_BLOCKS:
            self.assertIn(name, blocks, f"docs/ci.md has no block marked ci-test: {name}")

    def test_yaml_files_run_the_tested_commands(self):
        blocks = Recipe.load()
        commands = [c for name in LISTED_BLOCKS + SH_BLOCKS for c in command_lines(blocks[name])]
        self.assertTrue(commands)
        for name in YAML_BLOCKS:
            have = yaml_lines(blocks[name])
            for command in commands:
                with self.subTest(yaml=name, command=command):
                    self.assertIn(command, have, f"the {name} YAML does not run: {command}")

    def test_yaml_parses(self):
        try:
            import yaml  # noqa: PLC0415 (optional: not one of goro's build dependencies)
        except ImportError:
            self.skipTest("PyYAML is not installed")
        blocks = Recipe.load()
        for name in YAML_BLOCKS:
            with self.subTest(yaml=name):
                self.assertIsInstance(yaml.safe_load(blocks[name]), dict)


class RecipeRun:
    """The three sh blocks run in order in a scratch directory holding `app.cpp`."""

    def __init__(self, test, source):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="goro-ci-recipe-"))
        test.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        shutil.copy(source, self.dir / "app.cpp")
        self.env = dict(os.environ)
        self.env["PATH"] = str(pathlib.Path(GORO).resolve().parent) + os.pathsep + self.env["PATH"]
        self.env.pop("GORACE", None)
        self.env.pop("NO_COLOR", None)

    def run(self, name):
        block = Recipe.load()[name]
        # -e: stop at the first failing command, as a CI step does.
        p = subprocess.run(["sh", "-e", "-c", block], cwd=self.dir, env=self.env,
                           capture_output=True, text=True, timeout=240)
        return p

    def file(self, name):
        return self.dir / name


class RecipeTest(unittest.TestCase):
    def run_recipe(self, example, run_status):
        r = RecipeRun(self, pathlib.Path(EXAMPLES) / example)
        build = r.run("build")
        self.assertEqual(build.returncode, 0, f"build block failed:\n{build.stderr}")
        self.assertTrue(r.file("app").is_file())
        run = r.run("run")
        self.assertEqual(run.returncode, run_status,
                         f"run block: exit {run.returncode}, want {run_status}\n{run.stderr}")
        reports = r.run("reports")
        self.assertEqual(reports.returncode, 0,
                         f"reports block failed:\n{reports.stdout}\n{reports.stderr}")
        return r, run, reports

    def sarif_results(self, r):
        sarif = json.loads(r.file("races.sarif").read_text(encoding="utf-8"))
        self.assertEqual(sarif["version"], "2.1.0")
        self.assertEqual(len(sarif["runs"]), 1)
        self.assertEqual(sarif["runs"][0]["tool"]["driver"]["name"], "goro")
        return sarif["runs"][0]["results"]

    def junit_suite(self, r):
        root = ElementTree.parse(r.file("junit.xml")).getroot()
        self.assertEqual(root.tag, "testsuites")
        suites = root.findall("testsuite")
        self.assertEqual(len(suites), 1)
        self.assertEqual(suites[0].get("name"), "goro race")
        return suites[0]

    def test_racy_program(self):
        r, run, reports = self.run_recipe("racy.cpp", 66)
        self.assertIn("WARNING: DATA RACE", run.stderr)
        self.assertIn("Found 1 data race(s)", run.stderr)

        # races.json: exactly the named file (no .<pid> suffix), one report.
        self.assertEqual(sorted(p.name for p in r.dir.glob("races.json*")), ["races.json"])
        lines = r.file("races.json").read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 1, lines)
        report = json.loads(lines[0])
        self.assertEqual(report["type"], "data_race")
        self.assertTrue(report["current"]["stack"][0]["file"].endswith("/app.cpp"))

        self.assertIn("1 report, 1 distinct race in 1 file", reports.stdout)
        self.assertRegex(reports.stdout, r"(?m)^1  app\.cpp:\d+ increment\(int\*\) <-> ")

        results = self.sarif_results(r)
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["ruleId"], "data-race")
        location = results[0]["locations"][0]["physicalLocation"]
        self.assertEqual(location["artifactLocation"]["uri"], "app.cpp")  # --strip "$PWD/"
        self.assertGreater(location["region"]["startLine"], 0)

        suite = self.junit_suite(r)
        self.assertEqual(suite.get("tests"), "1")
        self.assertEqual(suite.get("failures"), "1")
        [case] = suite.findall("testcase")
        self.assertTrue(case.get("name").startswith("app.cpp:"), case.get("name"))
        failure = case.find("failure")
        self.assertIsNotNone(failure)
        self.assertIn("WARNING: DATA RACE", failure.text)

    def test_race_free_program(self):
        r, run, reports = self.run_recipe("hello.cpp", 0)
        self.assertNotIn("DATA RACE", run.stderr)
        self.assertIn("sum of squares", run.stdout)

        self.assertTrue(r.file("races.json").is_file(),
                        "a race-free run with json_path set must still create the file")
        self.assertEqual(r.file("races.json").stat().st_size, 0)

        self.assertRegex(reports.stdout, r"^0 reports\b")
        self.assertEqual(self.sarif_results(r), [])
        suite = self.junit_suite(r)
        self.assertEqual(suite.get("tests"), "0")
        self.assertEqual(suite.get("failures"), "0")
        self.assertEqual(suite.findall("testcase"), [])


def main():
    global GORO, DOC, EXAMPLES
    root = pathlib.Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goro", required=True, help="the staged driver, <prefix>/bin/goro")
    parser.add_argument("--doc", default=str(root / "docs" / "ci.md"))
    parser.add_argument("--examples", default=str(root / "examples"))
    args, rest = parser.parse_known_args()
    GORO, DOC, EXAMPLES = args.goro, args.doc, args.examples
    race_runtime = pathlib.Path(GORO).resolve().parent.parent / "lib" / "libgoro_race.a"
    if not race_runtime.is_file():
        print(f"skipped: the race runtime is not staged ({race_runtime})")
        return 77
    if shutil.which("sh") is None:
        print("skipped: no sh")
        return 77
    program = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
