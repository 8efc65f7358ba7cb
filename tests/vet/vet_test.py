#!/usr/bin/env python3
"""Tests of `goro vet` (driver/vet/), run against the staged goro.

CasesTest: each check's cases (cases/*.cpp) warn exactly on the lines marked
`// want: goro-<check>`, and the project's examples get no warning at all.
CommandLineTest: flags and their errors, exit statuses, unparsable files, NOLINT.
DatabasesTest: compile_commands.json (-p, found above a file, `goro c++` as the compiler), flags
after "--", a header's warning printed once.
SarifTest: --sarif's log against the printed warnings.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

GORO = None
EXAMPLES = None
CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases')
WARNING = re.compile(r'^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): warning: (?P<message>.+) '
                     r'\[goro-(?P<check>[a-z-]+)\]$')
WANT = re.compile(r'// want: (goro-[a-z-]+(?:, goro-[a-z-]+)*)')


def vet(*args, cwd=None):
    return subprocess.run([GORO, 'vet', *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd)


def warnings(stderr):
    """(file basename, line, check) of every warning line in goro vet's output."""
    found = []
    for line in stderr.splitlines():
        m = WARNING.match(line)
        if m:
            found.append((os.path.basename(m['file']), int(m['line']), m['check']))
    return found


def wanted(path):
    found = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            for checks in WANT.findall(line):
                for check in checks.split(', '):
                    found.append((os.path.basename(path), number, check[len('goro-'):]))
    return found


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, 'w') as f:
        f.write(textwrap.dedent(text))
    return path


CLOSED_TWICE = """\
    #include <goro/goro.hpp>
    void f() {
      auto c = goro::make_chan<int>(1);
      c.close();
      c.send(1);
    }
    int main() { return 0; }
    """

CLEAN = """\
    #include <goro/goro.hpp>
    int main() {
      return goro::run([] {
        auto c = goro::make_chan<int>(1);
        c.send(1);
        return c.recv() - 1;
      });
    }
    """


class CasesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.files = sorted(glob.glob(os.path.join(CASES, '*.cpp')))
        cls.vetted = vet('-j', '2', *cls.files)

    def test_each_case_warns_exactly_where_marked(self):
        found = warnings(self.vetted.stderr)
        for path in self.files:
            name = os.path.basename(path)
            with self.subTest(case=name):
                want = wanted(path)
                self.assertTrue(want, name + ' marks no line')
                self.assertEqual(sorted(w for w in found if w[0] == name), sorted(want),
                                 self.vetted.stderr)

    def test_warned_run_exits_1_and_prints_nothing_else(self):
        self.assertEqual(self.vetted.returncode, 1, self.vetted.stderr)
        self.assertEqual(self.vetted.stdout, '')
        others = [l for l in self.vetted.stderr.splitlines() if not WARNING.match(l)]
        self.assertEqual(others, [])

    def test_output_does_not_depend_on_jobs(self):
        two = [os.path.join(CASES, n) for n in ('closed_channel.cpp', 'lock_unlock.cpp')]
        one_job = vet('-j1', *two)
        self.assertEqual(one_job.returncode, 1, one_job.stderr)
        names = [os.path.basename(n) for n in two]
        printed = [l for l in self.vetted.stderr.splitlines()
                   if os.path.basename(l.split(':')[0]) in names]
        self.assertEqual(one_job.stderr.splitlines(), printed)

    def test_examples_are_clean(self):
        examples = sorted(glob.glob(os.path.join(EXAMPLES, '*.cpp')))
        self.assertTrue(examples)
        run = vet(*examples)
        self.assertEqual((run.returncode, run.stderr), (0, ''))


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def assertUsage(self, run, message):
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn('goro vet: ' + message, run.stderr)

    def test_help(self):
        for flag in ('--help', '-h'):
            run = vet(flag)
            self.assertEqual(run.returncode, 0)
            self.assertIn('usage: goro vet', run.stdout)
            self.assertIn('[goro-CHECK]', run.stdout)

    def test_usage_errors(self):
        self.assertUsage(vet(), 'nothing to check')
        self.assertUsage(vet('--bogus', 'x.cpp'), 'unknown flag --bogus (-p, -j, --sarif or --help)')
        self.assertUsage(vet('-p'), 'flag needs an argument: -p')
        self.assertUsage(vet('--sarif'), 'flag needs an argument: --sarif')
        self.assertUsage(vet('-j', '0', 'x.cpp'), '-j: expected a number')
        self.assertUsage(vet('-jx', 'x.cpp'), 'unknown flag -jx')

    def test_missing_file(self):
        missing = os.path.join(self.dir.name, 'nope.cpp')
        self.assertUsage(vet(missing), missing + ': no such file')
        self.assertUsage(vet(self.dir.name), self.dir.name + ': is a directory')

    def test_clean_file_exits_0_silently(self):
        run = vet(write(self.dir.name, 'clean.cpp', CLEAN))
        self.assertEqual((run.returncode, run.stdout, run.stderr), (0, '', ''))

    def test_unparsable_file_exits_2_and_keeps_the_others(self):
        broken = write(self.dir.name, 'broken.cpp', 'int main() { return missing; }\n')
        buggy = write(self.dir.name, 'buggy.cpp', CLOSED_TWICE)
        run = vet(broken, buggy)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertRegex(run.stderr, r"broken\.cpp:1:\d+: error: use of undeclared identifier")
        self.assertEqual(warnings(run.stderr), [('buggy.cpp', 5, 'closed-channel')])
        self.assertIn('goro vet: 1 of 2 files could not be analysed', run.stderr)

    def test_relative_names_stay_relative(self):
        write(self.dir.name, 'buggy.cpp', CLOSED_TWICE)
        run = vet('buggy.cpp', cwd=self.dir.name)
        self.assertTrue(run.stderr.startswith('buggy.cpp:5:5: warning: send on channel'),
                        run.stderr)

    def test_nolint_silences_one_check(self):
        source = write(self.dir.name, 'quiet.cpp', """\
            #include <goro/goro.hpp>
            void f() {
              auto c = goro::make_chan<int>(1);
              c.close();
              c.send(1);  // NOLINT(goro-closed-channel): the test wants the panic
            }
            void g() {
              auto c = goro::make_chan<int>(1);
              c.close();
              // NOLINTNEXTLINE(goro-*)
              c.send(1);
            }
            void h() {
              auto c = goro::make_chan<int>(1);
              c.close();
              c.send(1);  // NOLINT(goro-lock-unlock): another check
            }
            void i() {
              auto c = goro::make_chan<int>(1);
              c.close();
              c.send(1);  // NOLINT
            }
            int main() { return 0; }
            """)
        run = vet(source)
        self.assertEqual(warnings(run.stderr), [('quiet.cpp', 16, 'closed-channel')], run.stderr)

    def test_flags_after_dashes_apply(self):
        source = write(self.dir.name, 'maybe.cpp', """\
            #include <goro/goro.hpp>
            void f() {
            #ifdef BUGGY
              goro::chan<int> c;
              c.recv();
            #endif
            }
            int main() { return 0; }
            """)
        self.assertEqual(vet(source, '--').returncode, 0)
        run = vet(source, '--', '-DBUGGY')
        self.assertEqual(warnings(run.stderr), [('maybe.cpp', 5, 'nil-channel')], run.stderr)


class DatabasesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.src = os.path.join(self.dir.name, 'src')
        self.build = os.path.join(self.dir.name, 'build')
        os.makedirs(self.src)
        os.makedirs(self.build)
        write(self.src, 'buggy.hpp', """\
            #pragma once
            #include <goro/goro.hpp>
            inline void finish(goro::Mutex& mu, bool early) {
              mu.lock();
              if (early) return;
              mu.unlock();
            }
            """)
        for name in ('one.cpp', 'two.cpp'):
            write(self.src, name, """\
                #include "buggy.hpp"
                void f() {
                #ifdef BUGGY
                  goro::chan<int> c;
                  c.send(1);
                #endif
                }
                """)

    def database(self, directory, compiler):
        entries = [{'directory': self.build, 'file': os.path.join(self.src, name),
                    'command': compiler + ' -DBUGGY -O2 -c ' + os.path.join(self.src, name) +
                    ' -o ' + name + '.o'} for name in ('one.cpp', 'two.cpp')]
        with open(os.path.join(directory, 'compile_commands.json'), 'w') as f:
            json.dump(entries, f)

    def expected(self):
        return [('buggy.hpp', 4, 'lock-unlock'), ('one.cpp', 5, 'nil-channel'),
                ('two.cpp', 5, 'nil-channel')]

    def test_every_file_of_the_database(self):
        self.database(self.build, 'clang++-14 -std=c++20')
        run = vet('-p', self.build)
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertEqual(sorted(warnings(run.stderr)), self.expected())
        self.assertFalse(os.path.exists(os.path.join(self.build, 'one.cpp.o')))

    def test_named_files_with_the_database(self):
        self.database(self.build, 'clang++-14')
        run = vet('-p', self.build, os.path.join(self.src, 'two.cpp'))
        self.assertEqual(sorted(warnings(run.stderr)), self.expected()[::2], run.stderr)

    def test_goro_wrapper_as_the_compiler(self):
        self.database(self.build, GORO + ' c++ -race')
        run = vet('-p', self.build)
        self.assertEqual(sorted(warnings(run.stderr)), self.expected(), run.stderr)

    def test_database_found_above_the_file(self):
        self.database(self.dir.name, 'clang++-14')
        run = vet(os.path.join(self.src, 'one.cpp'))
        self.assertEqual(sorted(warnings(run.stderr)), self.expected()[:2], run.stderr)

    def test_missing_or_malformed_database(self):
        run = vet('-p', self.build)
        self.assertEqual(run.returncode, 2)
        self.assertIn('compile_commands.json: no such file', run.stderr)
        self.assertIn('CMAKE_EXPORT_COMPILE_COMMANDS', run.stderr)
        with open(os.path.join(self.build, 'compile_commands.json'), 'w') as f:
            f.write('[{"directory": ')
        run = vet('-p', self.build)
        self.assertEqual(run.returncode, 2)
        self.assertIn('compile_commands.json: ', run.stderr)


class SarifTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def test_log_matches_the_warnings(self):
        log = os.path.join(self.dir.name, 'vet.sarif')
        case = os.path.join(CASES, 'closed_channel.cpp')
        run = vet('--sarif', log, case)
        self.assertEqual(run.returncode, 1, run.stderr)
        with open(log) as f:
            sarif = json.load(f)
        self.assertEqual(sarif['version'], '2.1.0')
        tool = sarif['runs'][0]['tool']['driver']
        self.assertEqual(tool['name'], 'goro')
        rules = [r['id'] for r in tool['rules']]
        self.assertIn('goro-closed-channel', rules)
        results = sarif['runs'][0]['results']
        printed = [(int(m['line']), int(m['col']), m['check'], m['message'])
                   for m in map(WARNING.match, run.stderr.splitlines())]
        logged = []
        for r in results:
            where = r['locations'][0]['physicalLocation']
            self.assertTrue(where['artifactLocation']['uri'].endswith('closed_channel.cpp'))
            self.assertEqual(rules[r['ruleIndex']], r['ruleId'])
            self.assertEqual(r['level'], 'warning')
            logged.append((where['region']['startLine'], where['region']['startColumn'],
                           r['ruleId'][len('goro-'):], r['message']['text']))
        self.assertEqual(logged, printed)

    def test_clean_run_writes_an_empty_log(self):
        log = os.path.join(self.dir.name, 'vet.sarif')
        run = vet('--sarif', log, write(self.dir.name, 'clean.cpp', CLEAN))
        self.assertEqual(run.returncode, 0, run.stderr)
        with open(log) as f:
            self.assertEqual(json.load(f)['runs'][0]['results'], [])

    def test_unwritable_log_is_refused_before_any_work(self):
        log = os.path.join(self.dir.name, 'no', 'such', 'dir', 'vet.sarif')
        run = vet('--sarif', log, write(self.dir.name, 'clean.cpp', CLEAN))
        self.assertEqual(run.returncode, 2)
        self.assertIn('goro vet: cannot write ' + log, run.stderr)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--goro', required=True)
    parser.add_argument('--examples', required=True)
    args, rest = parser.parse_known_args()
    GORO = os.path.abspath(args.goro)
    EXAMPLES = args.examples
    vet_program = os.path.join(os.path.dirname(os.path.dirname(GORO)), 'lib', 'goro', 'goro-vet')
    if not os.path.exists(vet_program):
        print('goro-vet is not staged: skipped')
        sys.exit(77)
    unittest.main(argv=[sys.argv[0]] + rest)
