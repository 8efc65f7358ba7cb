#!/usr/bin/env python3
"""Tests of the `goro` command as installed: help, version, flags, errors, and what it hands clang.

Usage: driver_test.py --goro <prefix>/bin/goro --version X.Y.Z [unittest args, e.g. FlagsTest]

Most tests copy the driver into a scratch install tree (the driver finds its tree from its own path)
and point GORO_CLANG at a fake compiler that records its command line and, when asked to link,
writes a small shell script as the "program". That checks every flag and every exit path without
needing the runtime libraries. ReportTest feeds `goro report` hand-written JSON lines files.
RealToolchainTest uses the real clang++-14 and the staged tree, and skips what the stage does not
have yet.
"""

import argparse
import json
import os
import pathlib
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import xml.etree.ElementTree as ElementTree

GORO = None  # the staged driver, from --goro
VERSION = None  # the expected version, from --version
SOURCE = pathlib.Path(__file__).resolve().parents[2]  # the repository

FAKE_CLANG = textwrap.dedent("""\
    #!{python}
    # Records its arguments; with -o and no -c, writes a program that prints its own arguments.
    import json, os, sys
    args = sys.argv[1:]
    with open(os.environ["FAKE_CLANG_LOG"], "a") as log:
        log.write(json.dumps(sys.argv) + "\\n")
    if "-o" in args and "-c" not in args:
        out = args[len(args) - 1 - args[::-1].index("-o") + 1]
        with open(out, "w") as f:
            f.write('#!/bin/sh\\n'
                    'echo "$0" > "$FAKE_PROGRAM_LOG"\\n'
                    'printf "arg:%s\\\\n" "$@"\\n'
                    '[ -n "$FAKE_PROGRAM_SIGNAL" ] && kill -s "$FAKE_PROGRAM_SIGNAL" $$\\n'
                    '[ -n "$FAKE_PROGRAM_SLEEP" ] && exec sleep "$FAKE_PROGRAM_SLEEP"\\n'
                    'exit "${{FAKE_PROGRAM_EXIT:-0}}"\\n')
        os.chmod(out, 0o755)
    sys.exit(int(os.environ.get("FAKE_CLANG_EXIT", "0")))
    """)


class ScratchInstall:
    """A copy of the driver in <root>/bin with the install tree's files as empty stand-ins."""

    def __init__(self, root, race=False, plugin=False, heap=False):
        self.root = pathlib.Path(root)
        (self.root / "bin").mkdir(parents=True)
        (self.root / "include" / "goro").mkdir(parents=True)
        (self.root / "lib" / "goro").mkdir(parents=True)
        self.goro = self.root / "bin" / "goro"
        shutil.copy2(GORO, self.goro)
        for lib in ["libgoro.a", "goro/libgoro_context.a", "goro/libgoro_backtrace.a"]:
            (self.root / "lib" / lib).touch()
        if race:
            (self.root / "lib" / "libgoro_race.a").touch()
        if plugin:
            (self.root / "lib" / "goro" / "libgoro_instrument.so").touch()
        if heap:
            (self.root / "lib" / "goro" / "libgoro_malloc.a").touch()

    def path(self, rel):
        return str(self.root / rel)


class DriverTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="goro-driver-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.clang_log = self.tmp / "clang.log"
        self.program_log = self.tmp / "program.log"
        fake = self.tmp / "fake-clang++"
        fake.write_text(FAKE_CLANG.format(python=sys.executable))
        fake.chmod(0o755)
        self.env = dict(os.environ, GORO_CLANG=str(fake), FAKE_CLANG_LOG=str(self.clang_log),
                        FAKE_PROGRAM_LOG=str(self.program_log))
        for key in ["FAKE_CLANG_EXIT", "FAKE_PROGRAM_EXIT", "FAKE_PROGRAM_SIGNAL", "FAKE_PROGRAM_SLEEP",
                    "TMPDIR"]:
            self.env.pop(key, None)

    def install(self, **kwargs):
        return ScratchInstall(self.tmp / "prefix", **kwargs)

    def goro(self, *args, goro=None, env=None, cwd=None):
        # In the test's own directory by default: a relative output (`-o prog`) lands there, not
        # wherever the suite was started.
        return subprocess.run([str(goro or GORO), *args], capture_output=True, text=True,
                              env=env if env is not None else self.env, cwd=cwd or self.tmp,
                              timeout=120)

    def clang_calls(self):
        if not self.clang_log.exists():
            return []
        return [json.loads(line) for line in self.clang_log.read_text().splitlines()]

    def assertFails(self, result, status, stderr):
        self.assertEqual(result.returncode, status, result.stderr)
        self.assertEqual(result.stderr, stderr)
        self.assertEqual(result.stdout, "")


class VersionTest(DriverTestCase):
    def test_prints_version_and_platform(self):
        r = self.goro("version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^goro version " + re.escape(VERSION) + r" linux/[a-z0-9]+\n$")

    def test_rejects_arguments(self):
        self.assertFails(self.goro("version", "x"), 2, "goro version: unexpected argument x\n")
        self.assertFails(self.goro("version", "-x"), 2,
                         "goro version: unknown flag -x (-h or --help)\n")

    def test_dash_dash_version_is_version(self):
        r = self.goro("--version")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(r.stdout, self.goro("version").stdout)


class HelpTest(DriverTestCase):
    COMMANDS = ["c++", "run", "flags", "report", "stress", "trace", "vet", "version"]

    def test_help_lists_every_command_on_stdout(self):
        r = self.goro("help")
        self.assertEqual(r.returncode, 0)
        for name in self.COMMANDS:
            self.assertRegex(r.stdout, r"(?m)^\t" + re.escape(name) + r" +\S")
        self.assertIn('goro help <command>', r.stdout)

    def test_no_arguments_prints_usage_to_stderr_and_exits_2(self):
        r = self.goro()
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertIn("goro <command> [arguments]", r.stderr)

    def test_help_for_each_command_starts_with_its_usage(self):
        for name in self.COMMANDS:
            with self.subTest(name):
                r = self.goro("help", name)
                self.assertEqual(r.returncode, 0)
                self.assertTrue(r.stdout.startswith("usage: goro " + name), r.stdout)

    def test_help_flags_are_help(self):
        for flag in ["-h", "--help"]:
            with self.subTest(flag):
                self.assertEqual(self.goro(flag).stdout, self.goro("help").stdout)

    def test_help_lists_the_topics(self):
        r = self.goro("help")
        self.assertRegex(r.stdout, r"\nAdditional help topics:\n\n\tgorace +\S.*\n\tenv +\S.*\n\n"
                                   r"Use \"goro help <topic>\" for more information about that "
                                   r"topic.\n$")

    def test_unknown_help_topic_names_the_valid_ones(self):
        self.assertFails(self.goro("help", "bogus"), 2,
                         "goro help bogus: unknown help topic (c++, run, flags, report, stress, "
                         "trace, vet, version, gorace or env). Run 'goro help'.\n")

    def test_every_command_answers_help_flags(self):
        inst = self.install()  # goro c++ must not reach the (fake) compiler
        for name in self.COMMANDS:
            want = self.goro("help", name).stdout
            for flag in ["-h", "-help", "--help"]:
                with self.subTest(name=name, flag=flag):
                    r = self.goro(name, flag, goro=inst.goro)
                    self.assertEqual((r.returncode, r.stderr, r.stdout), (0, "", want))
        self.assertEqual(self.clang_calls(), [])

    def test_help_flag_among_a_commands_own_arguments(self):
        inst = self.install(race=True, plugin=True)
        for args, name in [(["report", "view", "--help"], "report"),
                           (["report", "summary", "--strip", "/src/", "-h", "x.json"], "report"),
                           (["report", "--bogus", "--help"], "report"),
                           (["flags", "-race", "--cxxflags", "--help"], "flags"),
                           (["run", "-race", "-O2", "-I", "inc", "--help", "main.cpp"], "run"),
                           (["c++", "-race", "--help"], "c++")]:
            with self.subTest(args=args):
                r = self.goro(*args, goro=inst.goro)
                self.assertEqual((r.returncode, r.stderr), (0, ""))
                self.assertEqual(r.stdout, self.goro("help", name).stdout)
        self.assertEqual(self.clang_calls(), [])

    def test_help_of_help_is_the_usage(self):
        for flag in ["-h", "--help"]:
            with self.subTest(flag):
                r = self.goro("help", flag)
                self.assertEqual((r.returncode, r.stdout), (0, self.goro("help").stdout))

    def test_cxx_help_with_other_arguments_is_clangs(self):
        inst = self.install()
        r = self.goro("c++", "--help", "-v", goro=inst.goro)
        self.assertEqual(r.returncode, 0, r.stderr)
        [argv] = self.clang_calls()
        self.assertIn("--help", argv)

    def test_report_help_after_double_dash_is_a_file(self):
        r = self.goro("report", "--", "--help")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "goro report: --help: No such file or directory\n")

    def test_gorace_topic_documents_every_key_the_detector_reads(self):
        r = self.goro("help", "gorace")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        text = " ".join(r.stdout.split())
        options = SOURCE / "detector" / "src" / "options.cpp"
        joined = re.sub(r'"\s*\n\s*"', "", options.read_text())  # adjacent string literals
        keys = re.search(r"keys: ([a-z_ ]+)", joined).group(1).split()
        self.assertIn("atexit_sleep_ms", keys)
        for key in keys:
            self.assertIn("\t%s=" % key, r.stdout, "goro help gorace does not describe " + key)
        defaults = (SOURCE / "detector" / "src" / "options.hpp").read_text()
        for field, where in [("exitcode", "of a program that found races. Default: %s."),
                             ("history_size", "Default: %s (")]:
            value = re.search(r"int %s = (\d+);" % field, defaults).group(1)
            self.assertIn(where % value, text)
        for words in ["race:PATTERN", "'*' matches any run of characters", "a leading '^'",
                      "trailing '$'", "before strip_path_prefix", "lines starting with '#'",
                      "exit status 2", "Accepted, so a GORACE written for Go works, and ignored",
                      "a run without races leaves it empty"]:
            self.assertIn(words, text)

    def test_env_topic_documents_every_variable_goro_reads(self):
        r = self.goro("help", "env")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        read = {"GORACE"}  # the detector reads it from the loader's environment block
        for area in ["runtime/src", "detector/src", "driver"]:
            for path in (SOURCE / area).rglob("*.[ch]pp"):
                read.update(re.findall(r'getenv\("([A-Z_]+)"\)', path.read_text()))
        self.assertTrue({"GOMAXPROCS", "GORO_STACK_SIZE", "GORO_CLANG"} <= read, read)
        for name in sorted(read):
            self.assertRegex(r.stdout, r"(?m)^\t([A-Z_]+, )*%s\b" % name,
                             "goro help env (driver/help.cpp) does not describe %s, which the "
                             "code reads" % name)

    def test_unknown_command(self):
        self.assertFails(self.goro("bogus"), 2,
                         'goro: unknown command "bogus"\nRun \'goro help\' for usage.\n')


class FlagsTest(DriverTestCase):
    def flags(self, inst, *args):
        r = self.goro("flags", *args, goro=inst.goro)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("\n"), 1)
        return r.stdout.split()

    def test_cxxflags(self):
        inst = self.install()
        self.assertEqual(self.flags(inst, "--cxxflags"), [
            "-std=c++20", "-I" + inst.path("include"), "-fno-omit-frame-pointer",
            "-mno-omit-leaf-frame-pointer", "-pthread"])

    def test_ldflags(self):
        inst = self.install()
        self.assertEqual(self.flags(inst, "--ldflags"), [
            inst.path("lib/libgoro.a"), inst.path("lib/goro/libgoro_context.a"),
            inst.path("lib/goro/libgoro_backtrace.a"), "-pthread"])

    def heap_words(self, inst):
        return ["-Wl,--whole-archive", inst.path("lib/goro/libgoro_malloc.a"),
                "-Wl,--no-whole-archive", "-ltbbmalloc"]

    def test_ldflags_bring_the_default_heap_when_installed(self):
        inst = self.install(heap=True)
        base = [inst.path("lib/libgoro.a"), inst.path("lib/goro/libgoro_context.a"),
                inst.path("lib/goro/libgoro_backtrace.a")]
        for value in [None, "", "tbb"]:
            with self.subTest(GORO_MALLOC=value):
                if value is not None:
                    self.env["GORO_MALLOC"] = value
                self.assertEqual(self.flags(inst, "--ldflags"),
                                 base + self.heap_words(inst) + ["-pthread"])

    def test_goro_malloc_glibc_leaves_the_heap_out(self):
        inst = self.install(heap=True)
        self.env["GORO_MALLOC"] = "glibc"
        self.assertEqual(self.flags(inst, "--ldflags"), [
            inst.path("lib/libgoro.a"), inst.path("lib/goro/libgoro_context.a"),
            inst.path("lib/goro/libgoro_backtrace.a"), "-pthread"])

    def test_race_never_links_the_heap(self):
        inst = self.install(race=True, plugin=True, heap=True)
        for value in [None, "tbb"]:
            with self.subTest(GORO_MALLOC=value):
                if value is not None:
                    self.env["GORO_MALLOC"] = value
                self.assertNotIn("-ltbbmalloc", self.flags(inst, "--ldflags", "-race"))

    def test_bad_goro_malloc_is_a_usage_error(self):
        inst = self.install(heap=True)
        self.env["GORO_MALLOC"] = "jemalloc"
        self.assertFails(self.goro("flags", "--ldflags", goro=inst.goro), 2,
                         "goro: GORO_MALLOC=jemalloc: expected tbb (the default) or glibc\n")
        # Compile-only commands never link: the variable is not looked at.
        r = self.goro("flags", "--cxxflags", goro=inst.goro)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_both_print_compile_flags_first(self):
        inst = self.install()
        both = self.flags(inst, "--ldflags", "--cxxflags")
        self.assertEqual(both, self.flags(inst, "--cxxflags") + self.flags(inst, "--ldflags"))

    def test_plugin_is_loaded_when_installed(self):
        inst = self.install(plugin=True)
        self.assertIn("-fplugin=" + inst.path("lib/goro/libgoro_instrument.so"),
                      self.flags(inst, "--cxxflags"))

    def test_race_uses_race_runtime_and_defines_goro_race(self):
        inst = self.install(race=True, plugin=True)
        self.assertIn("-DGORO_RACE=1", self.flags(inst, "-race", "--cxxflags"))
        self.assertNotIn("-DGORO_RACE=1", self.flags(inst, "--cxxflags"))
        self.assertEqual(self.flags(inst, "--ldflags", "-race")[0], inst.path("lib/libgoro_race.a"))

    def test_race_keeps_every_frame(self):
        # ThreadSanitizer's advice: frame pointers, and no tail call replacing a caller's frame.
        inst = self.install(race=True, plugin=True)
        race = self.flags(inst, "-race", "--cxxflags")
        self.assertEqual(race[-2:], ["-fno-optimize-sibling-calls", "-DGORO_RACE=1"])
        self.assertIn("-fno-omit-frame-pointer", race)
        self.assertNotIn("-fno-optimize-sibling-calls", self.flags(inst, "--cxxflags"))

    def test_race_sets_libstdcxx_race_detector_switch(self):
        inst = self.install(race=True, plugin=True)
        self.assertIn("-D_GLIBCXX_TSAN=1", self.flags(inst, "-race", "--cxxflags"))
        self.assertNotIn("-D_GLIBCXX_TSAN=1", self.flags(inst, "--cxxflags"))

    def test_race_without_race_runtime(self):
        inst = self.install()
        self.assertFails(self.goro("flags", "-race", "--cxxflags", goro=inst.goro), 2,
                         "goro: -race: the race runtime is not installed (%s)\n"
                         % inst.path("lib/libgoro_race.a"))

    def test_race_without_plugin(self):
        # An uninstrumented race build would find no race and say nothing.
        inst = self.install(race=True)
        self.assertFails(self.goro("flags", "-race", "--cxxflags", goro=inst.goro), 2,
                         "goro: -race: the instrumentation plugin is not installed (%s)\n"
                         % inst.path("lib/goro/libgoro_instrument.so"))
        self.assertIn("-I" + inst.path("include"), self.flags(inst, "--cxxflags"))

    def test_unknown_flag(self):
        self.assertFails(self.goro("flags", "--bogus"), 2, "goro flags: unknown flag --bogus "
                         "(-race, --cxxflags, --ldflags or --help)\n")

    def test_needs_a_choice(self):
        r = self.goro("flags")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--cxxflags or --ldflags", r.stderr)

    def test_quotes_paths_for_the_shell(self):
        inst = ScratchInstall(self.tmp / "my prefix")
        r = self.goro("flags", "--cxxflags", goro=inst.goro)
        self.assertIn("'-I%s'" % inst.path("include"), r.stdout)

    def test_missing_headers_means_not_installed(self):
        inst = self.install()
        shutil.rmtree(inst.root / "include")
        r = self.goro("flags", "--cxxflags", goro=inst.goro)
        self.assertEqual(r.returncode, 2)
        self.assertIn("include/goro: not found", r.stderr)


class CxxTest(DriverTestCase):
    def cxx(self, inst, *args):
        r = self.goro("c++", *args, goro=inst.goro)
        self.assertEqual(r.returncode, 0, r.stderr)
        calls = self.clang_calls()
        self.assertEqual(len(calls), 1)
        return calls[0]

    def test_compile_and_link(self):
        inst = self.install(plugin=True)
        argv = self.cxx(inst, "-O2", "-g", "a.cpp", "b.cpp", "-o", "prog")
        self.assertEqual(argv, [
            self.env["GORO_CLANG"], "-std=c++20", "-O2", "-g", "a.cpp", "b.cpp", "-o", "prog",
            "-I" + inst.path("include"), "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer",
            "-pthread", "-fplugin=" + inst.path("lib/goro/libgoro_instrument.so"),
            inst.path("lib/libgoro.a"), inst.path("lib/goro/libgoro_context.a"),
            inst.path("lib/goro/libgoro_backtrace.a"), "-pthread"])

    def test_flags_match_goro_flags(self):
        inst = self.install(plugin=True, race=True)
        for race in [[], ["-race"]]:
            with self.subTest(race=race):
                self.clang_log.unlink(missing_ok=True)
                argv = self.cxx(inst, *race, "main.cpp")
                flags = self.goro("flags", *race, "--cxxflags", "--ldflags", goro=inst.goro)
                want = flags.stdout.split()
                self.assertEqual(argv[1:], [want[0], "main.cpp"] + want[1:])

    def test_compile_only_does_not_link(self):
        inst = self.install()
        for stop in ["-c", "-S", "-E", "-fsyntax-only", "-M", "-MM"]:
            with self.subTest(stop):
                self.clang_log.unlink(missing_ok=True)
                argv = self.cxx(inst, stop, "a.cpp")
                self.assertIn("-pthread", argv)
                self.assertNotIn(inst.path("lib/libgoro.a"), argv)

    def test_no_inputs_does_not_link(self):
        inst = self.install()
        argv = self.cxx(inst, "--version")
        self.assertNotIn(inst.path("lib/libgoro.a"), argv)

    def test_link_only(self):
        inst = self.install()
        argv = self.cxx(inst, "a.o", "b.o", "-o", "prog")
        self.assertEqual(argv[-4:-1], [inst.path("lib/libgoro.a"),
                                       inst.path("lib/goro/libgoro_context.a"),
                                       inst.path("lib/goro/libgoro_backtrace.a")])

    def test_language_override_is_reset_before_archives(self):
        inst = self.install()
        argv = self.cxx(inst, "-x", "c++", "prog.in", "-o", "prog")
        i = argv.index(inst.path("lib/libgoro.a"))
        self.assertEqual(argv[i - 2:i], ["-x", "none"])

    def test_user_std_comes_after_default(self):
        inst = self.install()
        argv = self.cxx(inst, "-std=c++23", "-c", "a.cpp")
        self.assertLess(argv.index("-std=c++20"), argv.index("-std=c++23"))

    def test_race_anywhere_is_goros(self):
        inst = self.install(race=True, plugin=True)
        argv = self.cxx(inst, "-c", "a.cpp", "-race")
        self.assertNotIn("-race", argv)
        self.assertIn("-DGORO_RACE=1", argv)

    def test_race_frames_cannot_be_optimised_away(self):
        inst = self.install(race=True, plugin=True)
        argv = self.cxx(inst, "-race", "-O2", "-foptimize-sibling-calls", "-c", "a.cpp")
        self.assertLess(argv.index("-foptimize-sibling-calls"),
                        argv.index("-fno-optimize-sibling-calls"))

    def test_race_without_race_runtime(self):
        inst = self.install()
        r = self.goro("c++", "-race", "a.cpp", goro=inst.goro)
        self.assertFails(r, 2, "goro: -race: the race runtime is not installed (%s)\n"
                         % inst.path("lib/libgoro_race.a"))
        self.assertEqual(self.clang_calls(), [])

    def test_race_without_plugin(self):
        inst = self.install(race=True)
        r = self.goro("c++", "-race", "a.cpp", goro=inst.goro)
        self.assertFails(r, 2, "goro: -race: the instrumentation plugin is not installed (%s)\n"
                         % inst.path("lib/goro/libgoro_instrument.so"))
        self.assertEqual(self.clang_calls(), [])

    def test_static_link_keeps_glibc_malloc(self):
        # There is no static tbbmalloc: -static and -static-pie links leave the heap out.
        inst = self.install(heap=True)
        src = self.tmp / "a.cpp"
        src.write_text("int main() {}\n")
        for flag in ["-static", "-static-pie", None]:
            with self.subTest(flag=flag):
                self.clang_log.unlink(missing_ok=True)
                extra = [flag] if flag else []
                r = self.goro("c++", *extra, str(src), "-o", str(self.tmp / "a"), goro=inst.goro)
                self.assertEqual(r.returncode, 0, r.stderr)
                [call] = self.clang_calls()
                self.assertEqual("-ltbbmalloc" in call, flag is None, call)

    def test_sanitizer_with_its_own_malloc_keeps_glibc_malloc(self):
        # AddressSanitizer and its kind replace malloc themselves: tbbmalloc would take it from
        # them (an AddressSanitizer program crashed before main). Lists are read in order.
        inst = self.install(heap=True)
        src = self.tmp / "a.cpp"
        src.write_text("int main() {}\n")
        cases = [
            (["-fsanitize=address"], False),
            (["-fsanitize=undefined,thread"], False),
            (["-fsanitize=leak"], False),
            (["-fsanitize=scudo"], False),
            (["-fsanitize=undefined"], True),
            (["-fsanitize=address,undefined", "-fno-sanitize=address"], True),
            (["-fsanitize=address", "-fno-sanitize=all"], True),
            (["-fno-sanitize=address", "-fsanitize=address"], False),
        ]
        for flags, tbb in cases:
            with self.subTest(flags=flags):
                self.clang_log.unlink(missing_ok=True)
                r = self.goro("c++", *flags, str(src), "-o", str(self.tmp / "a"), goro=inst.goro)
                self.assertEqual(r.returncode, 0, r.stderr)
                [call] = self.clang_calls()
                self.assertEqual("-ltbbmalloc" in call, tbb, call)

    def test_bad_goro_malloc_stops_a_link_before_clang(self):
        inst = self.install(heap=True)
        self.env["GORO_MALLOC"] = "tcmalloc"
        src = self.tmp / "a.cpp"
        src.write_text("int main() {}\n")
        self.assertFails(self.goro("c++", str(src), "-o", str(self.tmp / "a"), goro=inst.goro), 2,
                         "goro: GORO_MALLOC=tcmalloc: expected tbb (the default) or glibc\n")
        self.assertEqual(self.clang_calls(), [])

    def test_exit_status_is_clangs(self):
        inst = self.install()
        r = self.goro("c++", "a.cpp", goro=inst.goro, env=dict(self.env, FAKE_CLANG_EXIT="7"))
        self.assertEqual(r.returncode, 7)

    def test_clang_not_on_path(self):
        env = dict(self.env, PATH=str(self.tmp / "empty"))
        del env["GORO_CLANG"]
        self.assertFails(self.goro("c++", "a.cpp", env=env), 2,
                         "goro: clang++-14 not found on PATH (install clang-14)\n")

    def test_goro_clang_not_found(self):
        env = dict(self.env, GORO_CLANG="no-such-clang++")
        r = self.goro("c++", "a.cpp", env=env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("GORO_CLANG=no-such-clang++", r.stderr)

    def test_goro_clang_is_looked_up_on_path(self):
        inst = self.install()
        env = dict(self.env, GORO_CLANG="fake-clang++", PATH=str(self.tmp))
        (self.tmp / "fake-clang++").rename(self.tmp / "fake-clang++.real")
        (self.tmp / "fake-clang++").symlink_to(self.tmp / "fake-clang++.real")
        r = self.goro("c++", "-c", "a.cpp", goro=inst.goro, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.clang_calls()[0][0], str(self.tmp / "fake-clang++"))


class RunTest(DriverTestCase):
    def setUp(self):
        super().setUp()
        self.inst = self.install()
        self.src = self.tmp / "src"
        self.src.mkdir()
        for name in ["main.cpp", "util.cc"]:
            (self.src / name).write_text("int main() {}\n")
        self.tmpdir = self.tmp / "runs"
        self.tmpdir.mkdir()
        self.env["TMPDIR"] = str(self.tmpdir)

    def run_goro(self, *args, **env):
        return self.goro("run", *args, goro=self.inst.goro, env=dict(self.env, **env),
                         cwd=self.src)

    def test_compiles_runs_and_cleans_up(self):
        r = self.run_goro("-O2", "-I", "inc", "main.cpp", "util.cc", "--", "a b", "--", "-x")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "arg:a b\narg:--\narg:-x\n")
        [argv] = self.clang_calls()
        binary = self.program_log.read_text().strip()
        self.assertEqual(argv[1:8], ["-std=c++20", "-g", "-O2", "-I", "inc", "main.cpp",
                                     "util.cc"])
        self.assertEqual(argv[8:10], ["-o", binary])
        self.assertIn(self.inst.path("lib/libgoro.a"), argv)
        self.assertEqual(pathlib.Path(binary).name, "main")
        self.assertEqual(pathlib.Path(binary).parent.parent, self.tmpdir)
        self.assertEqual(list(self.tmpdir.iterdir()), [])

    def test_line_information_unless_the_user_chooses(self):
        for flags, want in [([], ["-g"]), (["-O2"], ["-g"]), (["-g0"], []), (["-g"], []),
                            (["-gline-tables-only", "-O2"], []), (["-gdwarf-4"], []),
                            (["-I", "-gdir"], ["-g"])]:  # a flag's value is not a flag
            with self.subTest(flags=flags):
                self.clang_log.unlink(missing_ok=True)
                r = self.run_goro(*flags, "main.cpp")
                self.assertEqual(r.returncode, 0, r.stderr)
                [argv] = self.clang_calls()
                self.assertEqual(argv[1:2 + len(want) + len(flags)],
                                 ["-std=c++20"] + want + flags)
                self.assertEqual(argv.count("-g"), len(want) + flags.count("-g"))

    def test_arguments_after_files_without_separator(self):
        r = self.run_goro("main.cpp", "x", "y.cpp")
        self.assertEqual(r.stdout, "arg:x\narg:y.cpp\n")

    def test_exit_status_is_the_programs(self):
        self.assertEqual(self.run_goro("main.cpp", FAKE_PROGRAM_EXIT="66").returncode, 66)
        self.assertEqual(list(self.tmpdir.iterdir()), [])

    def test_signal_becomes_128_plus_signal(self):
        r = self.run_goro("main.cpp", FAKE_PROGRAM_SIGNAL="SEGV")
        self.assertEqual(r.returncode, 128 + signal.SIGSEGV)
        self.assertEqual(r.stderr, "")
        self.assertEqual(list(self.tmpdir.iterdir()), [])

    def test_sigterm_is_forwarded_and_the_binary_removed(self):
        env = dict(self.env, FAKE_PROGRAM_SLEEP="60")
        p = subprocess.Popen([str(self.inst.goro), "run", "main.cpp"], env=env, cwd=self.src,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not self.program_log.exists() and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the program writes the log before it execs sleep
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        self.assertEqual(list(self.tmpdir.iterdir()), [])

    def test_compile_failure_is_clangs_status(self):
        r = self.run_goro("main.cpp", FAKE_CLANG_EXIT="1")
        self.assertEqual(r.returncode, 1)
        self.assertFalse(self.program_log.exists())
        self.assertEqual(list(self.tmpdir.iterdir()), [])

    def test_race(self):
        inst = ScratchInstall(self.tmp / "race-prefix", race=True, plugin=True)
        r = self.goro("run", "-race", "main.cpp", goro=inst.goro, cwd=self.src)
        self.assertEqual(r.returncode, 0, r.stderr)
        argv = self.clang_calls()[0]
        self.assertIn("-DGORO_RACE=1", argv)
        self.assertIn(inst.path("lib/libgoro_race.a"), argv)

    def test_missing_file(self):
        self.assertFails(self.run_goro("main.cpp", "nothere.cpp"), 1,
                         "goro run: nothere.cpp: no such file\n")
        self.assertEqual(self.clang_calls(), [])

    def test_no_files(self):
        for args in [[], ["-O2"], ["--", "x"]]:
            with self.subTest(args=args):
                r = self.run_goro(*args)
                self.assertEqual(r.returncode, 2)
                self.assertIn("goro run: no source files", r.stderr)

    def test_not_a_source_file(self):
        self.assertFails(self.run_goro("main.cp"), 2,
                         "goro run: main.cp: not a C++ source file (.cpp, .cc, .cxx, .c)\n")


# ---- goro report: JSON lines fixtures (schema v1, docs/report-format.md), written by hand.

def frame(function, file, line, offset=0x1a, pc="0x563f367c85aa"):
    return {"function": function, "file": file, "line": line, "offset": offset, "pc": pc}


def goroutine(gid, state="running", created_at=None, kind="goroutine", main=False):
    if kind == "thread":
        name = "main thread" if main else "thread T%d" % gid
    else:
        name = "main goroutine" if main else "goroutine %d" % gid
    return {"id": gid, "name": name, "kind": kind, "main": main, "state": state,
            "created_at": created_at}


def access(op, stack, who, atomic=False, address="0x7f3e1a5fbf78"):
    return {"op": op, "atomic": atomic, "address": address, "goroutine": who,
            "restored": bool(stack), "stack": stack}


def race(current, previous, text, pid=4242):
    return {"version": 1, "type": "data_race", "time": "2025-01-31T12:00:00.123Z", "pid": pid,
            "program": "/src/app/a.out", "current": current, "previous": previous, "text": text}


def answer_race(text="(rendered by the runtime)"):
    """The example of docs/report-format.md: goroutine 3 reads what finished goroutine 2 wrote."""
    main_frame = frame("main", "/src/app/main.cpp", 12, 0x24)
    return race(
        access("read", [frame("load_answer(int const*)", "/src/app/answer.cpp", 39),
                        frame("reader(int const*)", "/src/app/answer.cpp", 47)],
               goroutine(3, "running", [frame("start_writer_then_reader(int*)",
                                              "/src/app/answer.cpp", 58, 0xcf), main_frame])),
        access("write", [frame("store_answer(int*)", "/src/app/answer.cpp", 26),
                         frame("writer(int*)", "/src/app/answer.cpp", 33)],
               goroutine(2, "finished", [frame("start_writer_then_reader(int*)",
                                               "/src/app/answer.cpp", 53, 0x92), main_frame])),
        text)


ANSWER_TEXT = """\
==================
WARNING: DATA RACE
Read at 0x7f3e1a5fbf78 by goroutine 3:
  load_answer(int const*)
      /src/app/answer.cpp:39 +0x1a
  reader(int const*)
      /src/app/answer.cpp:47 +0x1a

Previous write at 0x7f3e1a5fbf78 by goroutine 2:
  store_answer(int*)
      /src/app/answer.cpp:26 +0x1a
  writer(int*)
      /src/app/answer.cpp:33 +0x1a

Goroutine 3 (running) created at:
  start_writer_then_reader(int*)
      /src/app/answer.cpp:58 +0xcf
  main
      /src/app/main.cpp:12 +0x24

Goroutine 2 (finished) created at:
  start_writer_then_reader(int*)
      /src/app/answer.cpp:53 +0x92
  main
      /src/app/main.cpp:12 +0x24
==================
"""


def swapped(report):
    """The same race found from the other side: current and previous exchanged."""
    r = json.loads(json.dumps(report))
    r["current"], r["previous"] = r["previous"], r["current"]
    return r


def unknown_previous_race():
    """The main goroutine's atomic write races with a read the detector no longer knows."""
    return race(
        access("write", [frame("increment(int*)", "/src/app/counter.cpp", 12, 0x10)],
               goroutine(1, main=True), atomic=True, address="0x00c000012340"),
        access("read", [], None, address="0x00c000012340"),
        "(rendered by the runtime)")


UNKNOWN_PREVIOUS_TEXT = """\
==================
WARNING: DATA RACE
Atomic write at 0x00c000012340 by main goroutine:
  increment(int*)
      /src/app/counter.cpp:12 +0x10

Previous read at 0x00c000012340 by unknown goroutine:
  [failed to restore the stack]
==================
"""


def template_race():
    """Names that need escaping in XML, on threads: thread T1 and the main thread."""
    push = frame('std::vector<int>::push_back(int&&) [with "T" = int&]', "/src/app/q&a.cpp", 7)
    return race(
        access("write", [push], goroutine(1, "running", [frame("main", "/src/app/q&a.cpp", 3)],
                                          kind="thread")),
        access("read", [frame("peek<'x'>()", "/src/app/q&a.cpp", 9)],
               goroutine(0, kind="thread", main=True)),
        "(rendered by the runtime)")


def json_lines(*reports):
    return "".join(json.dumps(r) + "\n" for r in reports)


def lock_order_inversion(pid=4242):
    """Goroutine 7 took M2 while holding M1; goroutine 8, M1 while holding M2."""
    def edge(frm, to, gid, fn, line, held_line):
        return {"from": frm, "to": to, "from_op": "write", "to_op": "write",
                "goroutine": goroutine(gid, "finished", [frame("main", "/src/app/main.cpp", 20)]),
                "stack": [frame(fn, "/src/app/locks.cpp", line)],
                "held_stack": [frame(fn, "/src/app/locks.cpp", held_line)]}
    return {"version": 1, "type": "lock_order_inversion", "time": "2025-01-31T12:00:00.123Z",
            "pid": pid, "program": "/src/app/a.out",
            "cycle": [edge("0x7b0400000010", "0x7b0400000020", 7, "a_then_b()", 5, 4),
                      edge("0x7b0400000020", "0x7b0400000010", 8, "b_then_a()", 11, 10)],
            "text": "(rendered by the runtime)"}


LOCK_ORDER_TEXT = """\
==================
WARNING: lock-order inversion (potential deadlock)
Cycle in lock order graph: M1 (0x7b0400000010) => M2 (0x7b0400000020) => M1

Mutex M2 acquired here while holding mutex M1 in goroutine 7:
  a_then_b()
      /src/app/locks.cpp:5 +0x1a

Mutex M1 previously acquired by the same goroutine here:
  a_then_b()
      /src/app/locks.cpp:4 +0x1a

Mutex M1 acquired here while holding mutex M2 in goroutine 8:
  b_then_a()
      /src/app/locks.cpp:11 +0x1a

Mutex M2 previously acquired by the same goroutine here:
  b_then_a()
      /src/app/locks.cpp:10 +0x1a

Goroutine 7 (finished) created at:
  main
      /src/app/main.cpp:20 +0x1a

Goroutine 8 (finished) created at:
  main
      /src/app/main.cpp:20 +0x1a
==================
"""


def partial_deadlock(pid=4242, fatal=True):
    """Goroutines 7 and 9 each hold one Mutex and want the other's."""
    def member(gid, other, wants, holds, line):
        return {"goroutine": goroutine(gid, "running", [frame("main", "/src/app/main.cpp", 30)]),
                "state": "sync.Mutex.Lock", "wants": wants, "lock": "sync.Mutex", "mode": "lock",
                "waits_for": other,
                "says": ["wants sync.Mutex %s, held by goroutine %d" % (wants, other),
                         "holds sync.Mutex %s, wanted by goroutine %d" % (holds, other)],
                "stack": [frame("std::lock_guard<goro::Mutex>::lock_guard(goro::Mutex&)",
                                "/usr/include/c++/12/bits/std_mutex.h", 229),
                          frame("transfer(Account&, Account&)", "/src/app/bank.cpp", line)]}
    return {"version": 1, "type": "partial_deadlock", "time": "2025-01-31T12:00:00.123Z",
            "pid": pid, "program": "/src/app/a.out", "fatal": fatal,
            "goroutines": [member(7, 9, "0x7b0400000020", "0x7b0400000010", 21),
                           member(9, 7, "0x7b0400000010", "0x7b0400000020", 22)],
            "text": "(rendered by the runtime)"}


PARTIAL_DEADLOCK_TEXT = """\
fatal error: partial deadlock: goroutines 7, 9 wait for each other's locks

goroutine 7 [sync.Mutex.Lock]:
\twants sync.Mutex 0x7b0400000020, held by goroutine 9
\tholds sync.Mutex 0x7b0400000010, wanted by goroutine 9
std::lock_guard<goro::Mutex>::lock_guard(goro::Mutex&)
\t/usr/include/c++/12/bits/std_mutex.h:229 +0x1a
transfer(Account&, Account&)
\t/src/app/bank.cpp:21 +0x1a
created by main
\t/src/app/main.cpp:30 +0x1a

goroutine 9 [sync.Mutex.Lock]:
\twants sync.Mutex 0x7b0400000010, held by goroutine 7
\tholds sync.Mutex 0x7b0400000020, wanted by goroutine 7
std::lock_guard<goro::Mutex>::lock_guard(goro::Mutex&)
\t/usr/include/c++/12/bits/std_mutex.h:229 +0x1a
transfer(Account&, Account&)
\t/src/app/bank.cpp:22 +0x1a
created by main
\t/src/app/main.cpp:30 +0x1a
"""


def stress_frame(function, file, line):
    return {"function": function, "file": file, "line": line}


def stress_group(kind, headline, runs, seed, frames, pct=0, output="", text="", of=1000):
    """A stress_failure line as `goro stress -o` writes it, for ./bank --accounts 2."""
    setting = "schedseed=%d" % seed + (",pct=%d" % pct if pct else "")
    return {"version": 1, "type": "stress_failure", "time": "2026-12-05T10:00:00.123Z",
            "pid": 4242, "program": "./bank", "kind": kind, "headline": headline, "runs": runs,
            "of": of, "seed": seed, "pct": pct,
            "command": "GORODEBUG=%s ./bank --accounts 2" % setting, "frames": frames,
            "output": output, "text": text}


def bank_race_group():
    """A data race: its frames are the pair of top frames of its two stacks."""
    return stress_group("data race", "WARNING: DATA RACE", 35, 17,
                        [stress_frame("deposit(int)", "/src/app/bank.cpp", 12),
                         stress_frame("audit()", "/src/app/bank.cpp", 30)],
                        output="/tmp/goro-stress-ab12/seed-17.log",
                        text="==================\nWARNING: DATA RACE\n\n"
                             "Read at 0x7b0400000010 by goroutine 7:\n")


def panic_group():
    """A panic under PCT: its frames are the top frames of one stack; no output file kept."""
    return stress_group("panic", "panic: send on closed channel", 4, 23,
                        [stress_frame("produce(goro::chan<int>)", "/src/app/pipe.cpp", 8),
                         stress_frame("main::$_0::operator()() const", "/src/app/main.cpp", 40)],
                        pct=3, text="panic: send on closed channel\n\ngoroutine 5 [running]:\n")


def exit_group():
    """A failure without frames, output or excerpt."""
    return stress_group("exit status", "exit status 1", 2, 99, [])


BANK_RACE_GROUP_TEXT = """\
goro stress: data race: 35 of 1000 runs failed (first: seed 17)
WARNING: DATA RACE
  deposit(int)
      /src/app/bank.cpp:12
  audit()
      /src/app/bank.cpp:30
reproduce: GORODEBUG=schedseed=17 ./bank --accounts 2
output: /tmp/goro-stress-ab12/seed-17.log
  | ==================
  | WARNING: DATA RACE
  |
  | Read at 0x7b0400000010 by goroutine 7:
"""

PANIC_GROUP_TEXT = """\
goro stress: panic: 4 of 1000 runs failed (first: seed 23, pct=3)
panic: send on closed channel
  produce(goro::chan<int>)
      /src/app/pipe.cpp:8
  main::$_0::operator()() const
      /src/app/main.cpp:40
reproduce: GORODEBUG=schedseed=23,pct=3 ./bank --accounts 2
  | panic: send on closed channel
  |
  | goroutine 5 [running]:
"""

EXIT_GROUP_TEXT = """\
goro stress: exit status: 2 of 1000 runs failed (first: seed 99)
exit status 1
reproduce: GORODEBUG=schedseed=99 ./bank --accounts 2
"""

# Fails by its seed under goro stress: a panic at check.cpp:12 on seeds ending in 3, exit status 3
# on seed 20, passes otherwise.
FAILS_BY_SEED = textwrap.dedent("""\
    #!/bin/sh
    seed=${GORODEBUG#schedseed=}
    seed=${seed%%,*}
    case $seed in
      *3)
        printf 'panic: bad value %s\\n\\ngoroutine 1 [running]:\\n' "$seed" >&2
        printf 'check(int)\\n\\t/src/app/check.cpp:12 +0x1a\\n' >&2
        exit 2;;
      20)
        echo "BUG: balance is 7, want 8" >&2
        exit 3;;
    esac
    exit 0
    """)


class ReportTest(DriverTestCase):
    def write(self, name, text):
        path = self.tmp / name
        path.write_text(text)
        return str(path)

    def report(self, *args, stdin=None, env=None):
        return subprocess.run([GORO, "report", *args], capture_output=True, text=True,
                              input=stdin, env=env if env is not None else self.env, timeout=60)

    def assertReport(self, result, status, stdout, stderr=""):
        self.assertEqual((result.returncode, result.stderr), (status, stderr), result.stdout)
        self.assertEqual(result.stdout, stdout)

    # partial deadlocks (type "partial_deadlock")

    def test_view_renders_a_partial_deadlock_as_a_goroutine_dump(self):
        lines = self.write("r.json", json_lines(partial_deadlock(), answer_race()))
        self.assertReport(self.report("view", lines), 0, PARTIAL_DEADLOCK_TEXT + ANSWER_TEXT)
        warned = self.write("w.json", json_lines(partial_deadlock(fatal=False)))
        r = self.report("view", "--strip", "/src/", warned)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(
            "WARNING: partial deadlock: goroutines 7, 9 wait for each other's locks and will "
            "never run again (GORODEBUG=partialdeadlock=warn: the program goes on)\n"), r.stdout)
        self.assertIn("\tapp/bank.cpp:21 +0x1a\n", r.stdout)

    def test_summary_locates_a_partial_deadlock_in_the_programs_own_frames(self):
        lines = self.write("r.json", json_lines(partial_deadlock(), partial_deadlock(43),
                                                answer_race()))
        r = self.report("summary", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2  partial deadlock: /src/app/bank.cpp:21 transfer(Account&, Account&) <-> "
                      "/src/app/bank.cpp:22 transfer(Account&, Account&)\n", r.stdout)
        self.assertTrue(r.stdout.endswith(
            "3 reports, 1 distinct race, 1 distinct partial deadlock in 2 files\n"), r.stdout)

    def test_sarif_has_a_partial_deadlock_rule_after_the_lock_order_one(self):
        for reports, rules, index in [
                ([partial_deadlock()], ["data-race", "partial-deadlock"], 1),
                ([lock_order_inversion(), partial_deadlock()],
                 ["data-race", "lock-order-inversion", "partial-deadlock"], 2)]:
            with self.subTest(rules=rules):
                lines = self.write("r.json", json_lines(*reports))
                r = self.report("sarif", lines)
                self.assertEqual(r.returncode, 0, r.stderr)
                run = json.loads(r.stdout)["runs"][0]
                self.assertEqual([rule["id"] for rule in run["tool"]["driver"]["rules"]], rules)
                [result] = [x for x in run["results"] if x["ruleId"] == "partial-deadlock"]
                self.assertEqual(result["ruleIndex"], index)
                self.assertIn("Partial deadlock: goroutines 7 (sync.Mutex.Lock in ",
                              result["message"]["text"])
                self.assertEqual(len(result["stacks"]), 2)

    def test_junit_fails_a_testcase_per_partial_deadlock(self):
        lines = self.write("r.json", json_lines(partial_deadlock()))
        r = self.report("junit", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('<failure type="partial deadlock" message="partial deadlock (1 report)">',
                      r.stdout)

    def test_partial_deadlock_with_a_bad_member_is_a_clear_error(self):
        bad = partial_deadlock()
        bad["goroutines"][1]["mode"] = "exclusive"
        lines = self.write("r.json", json_lines(bad))
        r = self.report("view", lines)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('r.json:1: goroutines[1].mode: expected "lock" or "write" or "read", got '
                      '"exclusive"', r.stderr)

    # goro stress failure groups (type "stress_failure")

    def test_view_renders_stress_failure_groups_in_input_order(self):
        lines = self.write("s.json", json_lines(bank_race_group(), answer_race(), panic_group(),
                                                exit_group()))
        self.assertReport(self.report("view", lines), 0,
                          BANK_RACE_GROUP_TEXT + ANSWER_TEXT + PANIC_GROUP_TEXT + EXIT_GROUP_TEXT)
        one_run = dict(exit_group(), runs=1, of=1)
        r = self.report(self.write("one.json", json_lines(one_run)))
        self.assertEqual(r.stdout.splitlines()[0],
                         "goro stress: exit status: 1 of 1 run failed (first: seed 99)")

    def test_view_shows_the_source_around_a_stress_groups_locating_frames(self):
        src = self.tmp / "src"
        src.mkdir()
        for name in ["bank.cpp", "pipe.cpp", "main.cpp"]:
            (src / name).write_text("".join("%s %d\n" % (name, n) for n in range(1, 61)))
        groups = [bank_race_group(), panic_group()]
        for group in groups:
            for f in group["frames"]:
                f["file"] = f["file"].replace("/src/app/", str(src) + "/")
        r = self.report(self.write("s.json", json_lines(*groups)))
        self.assertEqual(r.returncode, 0, r.stderr)
        # Of a pair (a data race), after both frames; of one stack, after the top frame alone.
        self.assertIn("bank.cpp:12\n"
                      "        10 | bank.cpp 10\n"
                      "        11 | bank.cpp 11\n"
                      "      > 12 | bank.cpp 12\n"
                      "        13 | bank.cpp 13\n"
                      "        14 | bank.cpp 14\n"
                      "  audit()\n", r.stdout)
        self.assertIn("      > 30 | bank.cpp 30\n        31 | bank.cpp 31\n        32 | bank.cpp 32\n"
                      "reproduce: ", r.stdout)
        self.assertIn("pipe.cpp:8\n         6 | pipe.cpp 6\n", r.stdout)
        self.assertIn("      >  8 | pipe.cpp 8\n", r.stdout)
        self.assertNotIn("main.cpp 40", r.stdout)

    def test_view_colours_a_stress_failure_group_on_a_terminal(self):
        lines = self.write("s.json", json_lines(panic_group()))
        status, out = self.run_on_terminal("report", lines)
        self.assertEqual(status, 0)
        self.assertIn("\x1b[1mgoro stress: panic: 4 of 1000 runs failed (first: seed 23, pct=3)"
                      "\x1b[0m", out)
        self.assertIn("\x1b[1;31mpanic: send on closed channel\x1b[0m", out)
        self.assertIn("\x1b[36m/src/app/pipe.cpp:8\x1b[0m", out)

    def test_summary_lists_stress_groups_after_the_races_by_failed_runs(self):
        lines = self.write("s.json", json_lines(exit_group(), answer_race(), panic_group(),
                                                bank_race_group()))
        self.assertReport(self.report("summary", lines), 0,
                          " 1  /src/app/answer.cpp:26 store_answer(int*) <-> "
                          "/src/app/answer.cpp:39 load_answer(int const*)\n"
                          "35  stress failure (data race): /src/app/bank.cpp:12 deposit(int) <-> "
                          "/src/app/bank.cpp:30 audit() (of 1000 runs)\n"
                          " 4  stress failure (panic): /src/app/pipe.cpp:8 "
                          "produce(goro::chan<int>) (of 1000 runs)\n"
                          " 2  stress failure (exit status): exit status 1 (of 1000 runs)\n"
                          "4 reports, 1 distinct race, 3 stress failure groups in 3 files\n")
        # Groups are never merged, not even two equal lines; ties keep the input order.
        again = self.write("again.json", json_lines(exit_group(), dict(exit_group(), seed=5),
                                                    exit_group()))
        r = self.report("summary", again)
        self.assertEqual(r.stdout.splitlines()[-1],
                         "3 reports, 0 distinct races, 3 stress failure groups in 0 files")
        self.assertEqual(len(r.stdout.splitlines()), 4)

    def test_sarif_has_a_rule_per_stress_kind_and_a_result_per_group(self):
        lines = self.write("s.json", json_lines(answer_race(), exit_group(), bank_race_group(),
                                                panic_group()))
        r = self.report("sarif", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = json.loads(r.stdout)["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        self.assertEqual([rule["id"] for rule in rules],
                         ["data-race", "stress/data-race", "stress/panic", "stress/exit-status"])
        self.assertEqual(rules[3]["name"], "StressExitStatus")
        race, race_group, panic, exit = run["results"]
        self.assertEqual(race["ruleId"], "data-race")
        self.assertEqual([(x["ruleId"], x["ruleIndex"]) for x in [race_group, panic, exit]],
                         [("stress/data-race", 1), ("stress/panic", 2), ("stress/exit-status", 3)])
        self.assertEqual(race_group["message"]["text"],
                         "goro stress: WARNING: DATA RACE (35 of 1000 runs failed, first: seed "
                         "17). Reproduce: GORODEBUG=schedseed=17 ./bank --accounts 2")
        self.assertEqual(race_group["occurrenceCount"], 35)
        [where] = race_group["locations"]
        self.assertEqual(where["physicalLocation"]["artifactLocation"]["uri"],
                         "file:///src/app/bank.cpp")
        self.assertEqual(where["physicalLocation"]["region"]["startLine"], 12)
        [related] = race_group["relatedLocations"]
        self.assertEqual(related["physicalLocation"]["region"]["startLine"], 30)
        self.assertEqual(related["message"]["text"], "the other stack's top frame")
        self.assertEqual(panic["relatedLocations"][0]["message"]["text"],
                         "further out on the same stack")
        self.assertEqual((exit["locations"], "relatedLocations" in exit), ([], False))
        # The fingerprint names the group, not the session: another seed and count, the same one.
        other = dict(bank_race_group(), runs=3, seed=4)
        again = json.loads(self.report("sarif", self.write("again.json", json_lines(
            other, dict(panic_group(), kind="fatal error")))).stdout)["runs"][0]["results"]
        self.assertEqual([x["ruleId"] for x in again], ["stress/fatal-error", "stress/data-race"])
        self.assertEqual(again[1]["partialFingerprints"], race_group["partialFingerprints"])
        self.assertNotEqual(again[0]["partialFingerprints"], panic["partialFingerprints"])

    def test_sarif_locates_a_stress_group_only_at_a_frame_with_a_file(self):
        nameless = dict(panic_group(), frames=[stress_frame("??", "", 0),
                                               stress_frame("run()", "/src/app/run.cpp", 3)])
        r = self.report("sarif", self.write("s.json", json_lines(nameless)))
        [result] = json.loads(r.stdout)["runs"][0]["results"]
        self.assertEqual(result["locations"], [])
        [related] = result["relatedLocations"]
        self.assertEqual(related["physicalLocation"]["artifactLocation"]["uri"],
                         "file:///src/app/run.cpp")

    def test_junit_fails_a_testcase_per_stress_group_in_its_own_suite(self):
        lines = self.write("s.json", json_lines(answer_race(), panic_group()))
        r = self.report("junit", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ElementTree.fromstring(r.stdout)
        self.assertEqual((root.get("name"), root.get("tests"), root.get("failures")),
                         ("goro race", "2", "2"))
        races, stress = root.findall("testsuite")
        self.assertEqual((races.get("name"), races.get("tests")), ("goro race", "1"))
        self.assertEqual((stress.get("name"), stress.get("tests"), stress.get("failures")),
                         ("goro stress", "1", "1"))
        [case] = stress.findall("testcase")
        self.assertEqual(case.get("classname"), "goro stress")
        self.assertEqual(case.get("name"),
                         "stress failure (panic): /src/app/pipe.cpp:8 produce(goro::chan<int>)")
        failure = case.find("failure")
        self.assertEqual(failure.get("type"), "panic")
        self.assertEqual(failure.get("message"),
                         "panic: send on closed channel (4 of 1000 runs failed; reproduce: "
                         "GORODEBUG=schedseed=23,pct=3 ./bank --accounts 2)")
        self.assertEqual(failure.text, PANIC_GROUP_TEXT + "\nReported once:\n  %s:2 (./bank, pid "
                                       "4242, 2026-12-05T10:00:00.123Z)\n" % lines)
        # Groups alone: their suite is the only one.
        root = ElementTree.fromstring(self.report("junit", self.write(
            "only.json", json_lines(exit_group(), bank_race_group()))).stdout)
        [suite] = root.findall("testsuite")
        self.assertEqual((root.get("name"), suite.get("name"), suite.get("tests")),
                         ("goro stress", "goro stress", "2"))
        self.assertEqual([c.get("name") for c in suite.findall("testcase")],
                         ["stress failure (data race): /src/app/bank.cpp:12 deposit(int) <-> "
                          "/src/app/bank.cpp:30 audit()",
                          "stress failure (exit status): exit status 1"])

    def test_stress_failure_with_bad_fields_is_a_clear_error(self):
        def changed(edit):
            r = bank_race_group()
            edit(r)
            return r

        cases = [
            (lambda r: r.pop("command"), "command: missing"),
            (lambda r: r.update(runs="35"), "runs: expected a non-negative integer, got string"),
            (lambda r: r.update(runs=0), "runs: expected at least 1, got 0"),
            (lambda r: r.update(of=20), "of: expected at least runs (35), got 20"),
            (lambda r: r.update(seed=-1), "seed: expected a non-negative integer, got number -1"),
            (lambda r: r.update(pct=1.5), "pct: expected a non-negative integer, got number 1.5"),
            (lambda r: r.update(headline=5), "headline: expected a string, got number 5"),
            (lambda r: r.update(kind="crash"),
             'kind: expected "data race" or "lock-order inversion" or "deadlock" or "partial '
             'deadlock" or "panic" or "fatal error" or "timeout" or "signal" or "exit status", '
             'got "crash"'),
            (lambda r: r.update(frames={}), "frames: expected an array, got object"),
            (lambda r: r["frames"][1].update(line="30"),
             "frames[1].line: expected a non-negative integer, got string"),
            (lambda r: r["frames"][0].pop("function"), "frames[0].function: missing"),
            (lambda r: r.update(output=None), "output: expected a string, got null"),
            (lambda r: r.pop("text"), "text: missing"),
        ]
        lines = self.write("s.json", json_lines(*[changed(edit) for edit, _ in cases],
                                                exit_group()))
        want = "".join("goro report: %s:%d: %s\n" % (lines, i + 1, problem)
                       for i, (_, problem) in enumerate(cases))
        self.assertReport(self.report(lines), 1, EXIT_GROUP_TEXT, want)
        r = self.report("summary", lines)
        self.assertEqual((r.returncode, r.stderr), (1, want))
        self.assertTrue(r.stdout.endswith("1 report, 0 distinct races, 1 stress failure group in "
                                          "0 files\n"), r.stdout)

    def test_strip_applies_to_a_stress_groups_frames_only(self):
        lines = self.write("s.json", json_lines(bank_race_group()))
        view = self.report("--strip", "/src/", lines)
        self.assertEqual(view.stdout, BANK_RACE_GROUP_TEXT.replace("/src/", ""))
        # Neither the output file nor the command is a source file name.
        view = self.report("--strip", "/tmp/", lines)
        self.assertEqual(view.stdout, BANK_RACE_GROUP_TEXT)
        summary = self.report("summary", "--strip=/src/", lines)
        self.assertTrue(summary.stdout.startswith(
            "35  stress failure (data race): app/bank.cpp:12 deposit(int) <-> app/bank.cpp:30 "
            "audit()"), summary.stdout)
        sarif = json.loads(self.report("sarif", "--strip", "/src/", lines).stdout)
        [result] = sarif["runs"][0]["results"]
        self.assertEqual(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                         "app/bank.cpp")
        junit = self.report("junit", "--strip", "/src/", lines)
        self.assertNotIn("/src/", junit.stdout)

    def test_filter_matches_a_stress_groups_frames(self):
        lines = self.write("s.json", json_lines(answer_race(), bank_race_group(), panic_group(),
                                                exit_group()))
        for filters, count in [
                (["--filter", "deposit"], 1),           # a function of the pair
                (["--filter", "main::$_0"], 1),         # not only the top frame
                (["--filter=pipe.cpp"], 1),             # a file
                (["--filter", "/src/app/"], 3),         # not the group without frames
                (["--filter", "exit status"], 0),       # the headline is not a frame
                (["--filter", "./bank"], 0),            # nor is the command
                (["--filter", "audit", "--filter", "load_answer"], 2)]:
            with self.subTest(filters=filters):
                self.assertEqual(self.summary_count(self.report("summary", *filters, lines)),
                                 count)
        r = self.report("summary", "--strip", "/src/", "--filter", "/src/app/bank", lines)
        self.assertEqual(self.summary_count(r), 1)

    def test_reads_what_goro_stress_writes(self):
        program = self.tmp / "fails_by_seed"
        program.write_text(FAILS_BY_SEED)
        program.chmod(0o755)
        out = self.tmp / "stress.json"
        env = dict(self.env, TMPDIR=str(self.tmp))
        stress = subprocess.run([GORO, "stress", "-n", "20", "--seed-from", "1", "-o", str(out),
                                 str(program)], capture_output=True, text=True, env=env,
                                timeout=120)
        self.assertEqual(stress.returncode, 1, stress.stdout + stress.stderr)
        self.assertReport(self.report("summary", str(out)), 0,
                          "2  stress failure (panic): /src/app/check.cpp:12 check(int) "
                          "(of 20 runs)\n"
                          "1  stress failure (exit status): exit status 3 (of 20 runs)\n"
                          "2 reports, 0 distinct races, 2 stress failure groups in 1 file\n")
        view = self.report(str(out))
        self.assertEqual(view.returncode, 0, view.stderr)
        self.assertIn("goro stress: panic: 2 of 20 runs failed (first: seed 3)\n"
                      "panic: bad value 3\n"
                      "  check(int)\n"
                      "      /src/app/check.cpp:12\n"
                      "reproduce: GORODEBUG=schedseed=3 %s\n" % program, view.stdout)
        root = ElementTree.fromstring(self.report("junit", str(out)).stdout)
        self.assertEqual(root.get("tests"), "2")

    # lock-order inversions (type "lock_order_inversion")

    def test_view_renders_a_lock_order_inversion(self):
        lines = self.write("r.json", json_lines(lock_order_inversion(), answer_race()))
        self.assertReport(self.report("view", lines), 0, LOCK_ORDER_TEXT + ANSWER_TEXT)

    def test_summary_counts_lock_order_inversions_apart(self):
        lines = self.write("r.json", json_lines(lock_order_inversion(), lock_order_inversion(43),
                                                answer_race()))
        r = self.report("summary", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2  lock-order inversion: /src/app/locks.cpp:5 a_then_b() <-> "
                      "/src/app/locks.cpp:11 b_then_a()\n", r.stdout)
        self.assertTrue(r.stdout.endswith(
            "3 reports, 1 distinct race, 1 distinct lock-order inversion in 2 files\n"), r.stdout)

    def test_sarif_has_a_lock_order_rule_and_result(self):
        lines = self.write("r.json", json_lines(lock_order_inversion()))
        r = self.report("sarif", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = json.loads(r.stdout)["runs"][0]
        self.assertEqual([rule["id"] for rule in run["tool"]["driver"]["rules"]],
                         ["data-race", "lock-order-inversion"])
        [result] = run["results"]
        self.assertEqual((result["ruleId"], result["ruleIndex"]), ("lock-order-inversion", 1))
        self.assertIn("Lock-order inversion (potential deadlock): M2 taken in a_then_b()",
                      result["message"]["text"])
        self.assertEqual(len(result["stacks"]), 4)

    def test_junit_fails_a_testcase_per_lock_order_inversion(self):
        lines = self.write("r.json", json_lines(lock_order_inversion()))
        r = self.report("junit", lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('<failure type="lock-order inversion" message="lock-order inversion (1 report)">',
                      r.stdout)
        self.assertIn("WARNING: lock-order inversion (potential deadlock)", r.stdout)

    def test_lock_order_inversion_with_a_bad_edge_is_a_clear_error(self):
        bad = lock_order_inversion()
        del bad["cycle"][1]["held_stack"]
        lines = self.write("r.json", json_lines(bad))
        r = self.report("view", lines)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("r.json:1: cycle[1].held_stack: missing", r.stderr)

    def test_unknown_type_names_the_known_types(self):
        other = dict(answer_race(), type="goroutine_leak")
        lines = self.write("r.json", json_lines(other))
        r = self.report("view", lines)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('unknown report type "goroutine_leak" (goro report reads "data_race", '
                      '"lock_order_inversion", "partial_deadlock" and "stress_failure")', r.stderr)

    # view

    def test_view_renders_the_runtimes_text_from_the_fields(self):
        races = self.write("r.json", json_lines(answer_race(), unknown_previous_race()))
        for args in [[races], ["view", races]]:
            with self.subTest(args=args):
                self.assertReport(self.report(*args), 0, ANSWER_TEXT + UNKNOWN_PREVIOUS_TEXT)

    def test_view_of_a_stack_use_after_return(self):
        with_owner = answer_race()
        with_owner["after_return"] = True
        no_owner = unknown_previous_race()
        no_owner["after_return"] = True
        r = self.report(self.write("r.json", json_lines(with_owner, no_owner)))
        self.assertEqual(r.returncode, 0, r.stderr)
        first, second = r.stdout.split("==================\n==================\n")
        self.assertIn("WARNING: stack use after return\nRead at 0x7f3e1a5fbf78 by goroutine 3:\n",
                      first)
        self.assertIn("\nPrevious write at 0x7f3e1a5fbf78 by goroutine 2:\n", first)
        self.assertNotIn("DATA RACE", r.stdout)
        # No previous access known: no previous block at all.
        self.assertEqual(second, "WARNING: stack use after return\n"
                                 "Atomic write at 0x00c000012340 by main goroutine:\n"
                                 "  increment(int*)\n      /src/app/counter.cpp:12 +0x10\n"
                                 "==================\n")

    def test_view_of_threads(self):
        races = self.write("r.json", json_lines(template_race()))
        r = self.report(races)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Write at 0x7f3e1a5fbf78 by thread T1:\n", r.stdout)
        self.assertIn("Previous read at 0x7f3e1a5fbf78 by main thread:\n", r.stdout)
        self.assertIn("\nThread T1 (running) created at:\n  main\n      /src/app/q&a.cpp:3 +0x1a\n",
                      r.stdout)
        self.assertNotIn("Thread T0", r.stdout)

    def test_view_shows_the_source_around_each_top_frame(self):
        src = self.tmp / "src"
        src.mkdir()
        (src / "answer.cpp").write_text("".join("line %d\n" % n for n in range(1, 61)))
        report = answer_race()
        for side in ["current", "previous"]:
            for f in report[side]["stack"] + report[side]["goroutine"]["created_at"]:
                f["file"] = f["file"].replace("/src/app/", str(src) + "/")
        races = self.write("r.json", json_lines(report))
        r = self.report(races)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("answer.cpp:39 +0x1a\n"
                      "        37 | line 37\n"
                      "        38 | line 38\n"
                      "      > 39 | line 39\n"
                      "        40 | line 40\n"
                      "        41 | line 41\n"
                      "  reader(int const*)\n", r.stdout)
        self.assertIn("      > 26 | line 26\n", r.stdout)
        self.assertNotIn("> 47 |", r.stdout)  # only the top frame
        self.assertNotIn("> 58 |", r.stdout)  # not for creation stacks
        # A stripped name is looked for in the working directory.
        r = subprocess.run([GORO, "report", "--strip", str(self.tmp) + "/", races],
                           capture_output=True, text=True, env=self.env, cwd=self.tmp)
        self.assertIn("      src/answer.cpp:39 +0x1a\n        37 | line 37\n", r.stdout)

    def run_on_terminal(self, *args, **env):
        """Runs goro with stdout on a pseudo-terminal; returns (status, what it printed)."""
        controller, terminal = pty.openpty()
        env = dict({k: v for k, v in self.env.items() if k != "NO_COLOR"}, TERM="xterm", **env)
        p = subprocess.Popen([GORO, *args], stdout=terminal, stderr=subprocess.PIPE, env=env)
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            output += chunk
        os.close(controller)
        p.wait(timeout=60)
        p.stderr.close()
        return p.returncode, output.decode()

    def test_view_is_coloured_on_a_terminal_unless_no_color(self):
        races = self.write("r.json", json_lines(answer_race()))
        status, out = self.run_on_terminal("report", races)
        self.assertEqual(status, 0)
        self.assertIn("\x1b[1;31mWARNING: DATA RACE\x1b[0m", out)
        status, out = self.run_on_terminal("report", races, NO_COLOR="1")
        self.assertEqual(status, 0)
        self.assertNotIn("\x1b[", out)
        self.assertIn("WARNING: DATA RACE", out)

    # summary

    def test_summary_counts_distinct_races_across_files(self):
        a = self.write("a.json", json_lines(answer_race(), unknown_previous_race(),
                                            swapped(answer_race())))
        b = self.write("b.json", json_lines(answer_race()))
        self.assertReport(self.report("summary", a, b), 0,
                          "3  /src/app/answer.cpp:26 store_answer(int*) <-> "
                          "/src/app/answer.cpp:39 load_answer(int const*)\n"
                          "1  /src/app/counter.cpp:12 increment(int*) <-> [stack not restored]\n"
                          "4 reports, 2 distinct races in 2 files\n")

    def test_summary_counts_the_source_files_the_races_are_in(self):
        nameless = race(access("write", [frame("??", "", 0)], goroutine(4)),
                        access("write", [frame("??", "", 0)], goroutine(5)), "(text)")
        for inputs, footer in [
                ([[answer_race(), unknown_previous_race(), template_race()]],
                 "3 reports, 3 distinct races in 3 files"),  # answer.cpp, counter.cpp, q&a.cpp
                ([[answer_race()], [swapped(answer_race())], [answer_race()]],
                 "3 reports, 1 distinct race in 1 file"),
                ([[nameless]], "1 report, 1 distinct race in 0 files")]:
            with self.subTest(footer=footer):
                files = [self.write("in%d.json" % i, json_lines(*reports))
                         for i, reports in enumerate(inputs)]
                r = self.report("summary", *files)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.splitlines()[-1], footer)

    def test_summary_of_nothing(self):
        self.assertReport(self.report("summary", self.write("empty.json", "")), 0,
                          "0 reports, 0 distinct races in 0 files\n")
        one = self.write("one.json", json_lines(unknown_previous_race()))
        self.assertReport(self.report("summary", one), 0,
                          "1  /src/app/counter.cpp:12 increment(int*) <-> [stack not restored]\n"
                          "1 report, 1 distinct race in 1 file\n")

    # sarif

    def test_sarif(self):
        races = self.write("r.json", json_lines(answer_race(), unknown_previous_race(),
                                                swapped(answer_race())))
        r = self.report("sarif", races)
        self.assertEqual(r.returncode, 0, r.stderr)
        log = json.loads(r.stdout)
        self.assertEqual(log["version"], "2.1.0")
        self.assertIn("sarif-schema-2.1.0.json", log["$schema"])
        [run] = log["runs"]
        self.assertEqual(run["tool"]["driver"]["name"], "goro")
        self.assertEqual([rule["id"] for rule in run["tool"]["driver"]["rules"]], ["data-race"])
        answer, unknown = run["results"]
        self.assertEqual(len(run["results"]), 2)
        self.assertEqual(answer["ruleId"], "data-race")
        self.assertEqual(answer["occurrenceCount"], 2)
        [where] = answer["locations"]
        self.assertEqual(where["physicalLocation"]["artifactLocation"]["uri"],
                         "file:///src/app/answer.cpp")
        self.assertEqual(where["physicalLocation"]["region"]["startLine"], 39)
        [related] = answer["relatedLocations"]
        self.assertEqual(related["physicalLocation"]["region"]["startLine"], 26)
        self.assertIn("load_answer(int const*)", answer["message"]["text"])
        self.assertEqual([len(s["frames"]) for s in answer["stacks"]], [2, 2])
        self.assertNotIn("relatedLocations", unknown)
        self.assertEqual(len(unknown["stacks"]), 1)
        # The same race gets the same fingerprint in another run.
        again = json.loads(self.report("sarif", self.write("again.json", json_lines(
            swapped(answer_race())))).stdout)
        self.assertEqual(again["runs"][0]["results"][0]["partialFingerprints"],
                         answer["partialFingerprints"])

    def test_sarif_uris_are_relative_after_strip_and_encoded(self):
        races = self.write("r.json", json_lines(template_race()))
        r = self.report("sarif", "--strip", "/src/", races)
        [result] = json.loads(r.stdout)["runs"][0]["results"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        self.assertEqual(uri, "app/q%26a.cpp")

    def test_sarif_of_nothing(self):
        r = self.report("sarif", self.write("empty.json", ""))
        self.assertEqual(json.loads(r.stdout)["runs"][0]["results"], [])

    # junit

    def test_junit(self):
        races = self.write("r.json", json_lines(answer_race(), template_race(),
                                                swapped(answer_race()), unknown_previous_race()))
        r = self.report("junit", races)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n'))
        root = ElementTree.fromstring(r.stdout)
        self.assertEqual(root.tag, "testsuites")
        [suite] = root.findall("testsuite")
        self.assertEqual(suite.get("name"), "goro race")
        for element in [root, suite]:
            self.assertEqual((element.get("tests"), element.get("failures")), ("3", "3"))
        cases = suite.findall("testcase")
        self.assertEqual(len(cases), 3)
        names = [c.get("name") for c in cases]
        self.assertEqual(names[0], "/src/app/answer.cpp:26 store_answer(int*) <-> "
                                   "/src/app/answer.cpp:39 load_answer(int const*)")
        self.assertEqual(names[2], '/src/app/q&a.cpp:7 std::vector<int>::push_back(int&&) '
                                   '[with "T" = int&] <-> /src/app/q&a.cpp:9 peek<\'x\'>()')
        failures = [c.find("failure") for c in cases]
        self.assertTrue(failures[0].text.startswith(ANSWER_TEXT))
        self.assertIn("Reported 2 times:\n  %s:1 (" % races, failures[0].text)
        self.assertEqual(failures[0].get("message"), "data race (2 reports)")
        self.assertIn("peek<'x'>()", "".join(f.text for f in failures))

    def test_junit_of_nothing(self):
        root = ElementTree.fromstring(self.report("junit", self.write("e.json", "")).stdout)
        self.assertEqual((root.get("tests"), root.find("testsuite").get("tests")), ("0", "0"))

    # --strip and --filter

    def test_strip_applies_to_every_output(self):
        races = self.write("r.json", json_lines(answer_race()))
        for flag in [["--strip", "/src/"], ["--strip=/src/"]]:
            with self.subTest(flag=flag):
                view = self.report(*flag, races)
                self.assertEqual(view.stdout, ANSWER_TEXT.replace("/src/", ""))
                summary = self.report("summary", races, *flag)
                self.assertTrue(summary.stdout.startswith("1  app/answer.cpp:26 store_answer"))
                junit = self.report("junit", *flag, races)
                self.assertNotIn("/src/", junit.stdout.replace("/src/app/a.out", ""))

    def test_strip_leaves_other_names(self):
        races = self.write("r.json", json_lines(answer_race()))
        self.assertEqual(self.report("--strip", "/elsewhere/", races).stdout, ANSWER_TEXT)

    def summary_count(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        return int(result.stdout.splitlines()[-1].split()[0])

    def test_filter_keeps_reports_naming_a_function_or_file(self):
        races = self.write("r.json", json_lines(answer_race(), unknown_previous_race(),
                                                template_race()))
        for filters, count in [
                (["--filter", "store_answer"], 1),          # a previous access's function
                (["--filter", "reader(int const*)"], 1),    # not only the top frame
                (["--filter=counter.cpp"], 1),              # a file
                (["--filter", "/src/app/"], 3),
                (["--filter", "increment", "--filter", "peek"], 2),  # any of several
                (["--filter", "start_writer_then_reader"], 0),       # creation stacks don't count
                (["--filter", "nowhere"], 0)]:
            with self.subTest(filters=filters):
                self.assertEqual(self.summary_count(self.report("summary", *filters, races)), count)

    def test_filter_sees_names_before_strip(self):
        races = self.write("r.json", json_lines(answer_race()))
        r = self.report("summary", "--strip", "/src/", "--filter", "/src/app/answer", races)
        self.assertEqual(self.summary_count(r), 1)

    # bad input: named by file and line, skipped, the rest still shown, status 1

    def test_malformed_line(self):
        races = self.write("r.json", json_lines(answer_race()) + "{bad\n" +
                           json_lines(unknown_previous_race()))
        r = self.report(races)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^goro report: %s:2: invalid JSON at column 2: [^\n]+\n$"
                         % re.escape(races))
        self.assertEqual(r.stdout, ANSWER_TEXT + UNKNOWN_PREVIOUS_TEXT)

    def test_truncated_last_line(self):
        whole = json_lines(answer_race())
        races = self.write("r.json", whole + whole[:len(whole) // 2])
        self.assertReport(self.report(races), 1, ANSWER_TEXT,
                          "goro report: %s:2: truncated last line (the input ends inside a "
                          "report)\n" % races)

    def test_truncated_line_in_the_middle(self):
        whole = json_lines(answer_race())
        races = self.write("r.json", whole[:100] + "\n" + whole)
        self.assertReport(self.report(races), 1, ANSWER_TEXT,
                          "goro report: %s:1: truncated JSON (the line ends inside a report)\n"
                          % races)

    def test_last_line_without_newline_is_fine(self):
        races = self.write("r.json", json_lines(answer_race()).rstrip("\n"))
        self.assertReport(self.report(races), 0, ANSWER_TEXT)

    def test_blank_lines_are_ignored_but_counted(self):
        races = self.write("r.json", "\n  \n" + json_lines(answer_race()) + "\n\t\n[]\n\n")
        self.assertReport(self.report(races), 1, ANSWER_TEXT,
                          "goro report: %s:6: expected an object, got array\n" % races)

    def test_unknown_version_is_rejected(self):
        for version, problem in [(2, "unknown version 2 (goro report reads version 1)"),
                                 (1.5, "unknown version 1.5 (goro report reads version 1)"),
                                 ("1", "version: expected a number, got string")]:
            with self.subTest(version=version):
                newer = dict(answer_race(), version=version)
                races = self.write("r.json", json_lines(newer, unknown_previous_race()))
                self.assertReport(self.report(races), 1, UNKNOWN_PREVIOUS_TEXT,
                                  "goro report: %s:1: %s\n" % (races, problem))

    def test_wrong_fields(self):
        def changed(edit):
            r = answer_race()
            edit(r)
            return r

        cases = [
            (lambda r: r["current"]["stack"][1].update(line="47"),
             "current.stack[1].line: expected a non-negative integer, got string"),
            (lambda r: r.update(pid=-1), "pid: expected a non-negative integer, got number -1"),
            (lambda r: r["current"].update(op="modify"),
             'current.op: expected "read" or "write", got "modify"'),
            (lambda r: r["previous"]["goroutine"].update(state=None),
             'previous.goroutine.state: expected a string, got null'),
            (lambda r: r["current"]["goroutine"].update(created_at={}),
             "current.goroutine.created_at: expected an array, got object"),
            (lambda r: r["current"].update(atomic=0), "current.atomic: expected true or false, "
                                                      "got number 0"),
            (lambda r: r.pop("previous"), "previous: missing"),
            (lambda r: r["previous"]["stack"].__setitem__(0, "store_answer"),
             "previous.stack[0]: expected an object, got string"),
            (lambda r: r.update(type="deadlock"),
             'type: unknown report type "deadlock" (goro report reads "data_race", '
             '"lock_order_inversion", "partial_deadlock" and "stress_failure")'),
            (lambda r: r.update(text=None), "text: expected a string, got null"),
        ]
        races = self.write("r.json", json_lines(*[changed(edit) for edit, _ in cases],
                                                unknown_previous_race()))
        want = "".join("goro report: %s:%d: %s\n" % (races, i + 1, problem)
                       for i, (_, problem) in enumerate(cases))
        self.assertReport(self.report(races), 1, UNKNOWN_PREVIOUS_TEXT, want)

    def test_extra_fields_are_ignored(self):
        races = self.write("r.json", json_lines(dict(answer_race(), added_later=[1, 2])))
        self.assertReport(self.report(races), 0, ANSWER_TEXT)

    def test_unreadable_files_are_named_and_the_rest_shown(self):
        races = self.write("r.json", json_lines(answer_race()))
        missing = str(self.tmp / "nothere.json")
        r = self.report("summary", missing, races, str(self.tmp))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "goro report: %s: No such file or directory\n"
                                   "goro report: %s: Is a directory\n" % (missing, self.tmp))
        self.assertTrue(r.stdout.endswith("1 report, 1 distinct race in 1 file\n"), r.stdout)

    def test_stdin(self):
        races = self.write("r.json", json_lines(answer_race()))
        r = self.report("summary", "-", races, stdin=json_lines(answer_race()) + "oops\n")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.split(": invalid JSON")[0],
                         "goro report: <standard input>:2")
        self.assertTrue(r.stdout.endswith("2 reports, 1 distinct race in 1 file\n"), r.stdout)
        self.assertReport(self.report("-", stdin=json_lines(answer_race())), 0, ANSWER_TEXT)

    # usage errors: one line, status 2, nothing read

    def test_usage_errors(self):
        races = self.write("r.json", json_lines(answer_race()))
        for args, stderr in [
                (["--bogus", races],
                 "goro report: unknown flag --bogus (--strip, --filter, -o or --help)\n"),
                (["summary", races, "-x"],
                 "goro report: unknown flag -x (--strip, --filter, -o or --help)\n"),
                (["bogus", races],
                 'goro report: unknown output "bogus" (view, summary, sarif or junit)\n'),
                (["sarif", races, "-o"], "goro report: flag needs an argument: -o\n"),
                (["junit", "--output", races, "--output"],
                 "goro report: flag needs an argument: --output\n"),
                (["summary", "-o", "s.txt", races], "goro report: -o is for sarif and junit; "
                                                    "view and summary print to standard output\n"),
                ([races, "--output=v.txt"], "goro report: -o is for sarif and junit; "
                                            "view and summary print to standard output\n"),
                (["sumary", races],
                 'goro report: unknown output "sumary" (view, summary, sarif or junit)\n'),
                ([races, "--strip"], "goro report: flag needs an argument: --strip\n"),
                (["junit", races, "--filter"], "goro report: flag needs an argument: --filter\n")]:
            with self.subTest(args=args):
                self.assertFails(self.report(*args), 2, stderr)
        for args in [[], ["summary"], ["sarif", "--strip", "/src/"], ["--"]]:
            with self.subTest(args=args):
                r = self.report(*args)
                self.assertEqual((r.returncode, r.stdout), (2, ""))
                self.assertIn("goro report: no report files given (usage: goro report "
                              "[view|summary|sarif|junit]", r.stderr)

    def test_double_dash_ends_the_flags(self):
        self.write("--odd.json", json_lines(answer_race()))
        r = subprocess.run([GORO, "report", "summary", "--", "--odd.json"], capture_output=True,
                           text=True, env=self.env, cwd=self.tmp)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_help_documents_the_flags(self):
        r = self.goro("help", "report")
        self.assertEqual(r.returncode, 0)
        for word in ["--strip PREFIX", "--filter PATTERN", "summary", "sarif", "junit", "view",
                     "NO_COLOR", "json_path", "-o FILE", "--output FILE"]:
            self.assertIn(word, r.stdout)

    # -o

    def test_sarif_and_junit_write_to_a_file(self):
        races = self.write("r.json", json_lines(answer_race(), unknown_previous_race()))
        out = self.tmp / "out.xml"
        for kind in ["sarif", "junit"]:
            want = self.report(kind, races).stdout
            for flag in [["-o", str(out)], ["--output", str(out)], ["-o=%s" % out],
                         ["--output=%s" % out]]:
                with self.subTest(kind=kind, flag=flag):
                    out.write_text("older and longer content " * 1000)
                    self.assertReport(self.report(kind, *flag, races), 0, "")
                    self.assertEqual(out.read_text(), want)
            with self.subTest(kind=kind, flag="-o -"):
                self.assertReport(self.report(kind, races, "-o", "-"), 0, want)

    def test_file_output_with_input_problems(self):
        races = self.write("r.json", json_lines(answer_race()) + "{bad\n")
        out = self.tmp / "races.sarif"
        r = self.report("sarif", "-o", str(out), races)
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertIn("%s:2: invalid JSON" % races, r.stderr)
        self.assertEqual(len(json.loads(out.read_text())["runs"][0]["results"]), 1)

    def test_unwritable_output_file(self):
        races = self.write("r.json", json_lines(answer_race()))
        missing = self.tmp / "no" / "such" / "dir" / "r.sarif"
        self.assertReport(self.report("sarif", "-o", str(missing), races), 1, "",
                          "goro report: %s: No such file or directory\n" % missing)
        self.assertReport(self.report("junit", "--output", str(self.tmp), races), 1, "",
                          "goro report: %s: Is a directory\n" % self.tmp)
        if os.path.exists("/dev/full"):  # opens, then fails to write; a device is not removed
            self.assertReport(self.report("sarif", "-o", "/dev/full", races), 1, "",
                              "goro report: writing /dev/full: No space left on device\n")
            self.assertTrue(os.path.exists("/dev/full"))

    def test_a_file_that_fails_to_be_written_is_removed(self):
        if shutil.which("prlimit") is None:
            self.skipTest("prlimit not installed")
        races = self.write("r.json", json_lines(answer_race()))
        out = self.tmp / "r.sarif"
        # RLIMIT_FSIZE of 100 bytes: the write fails (SIGXFSZ ignored, so EFBIG) part-way.
        r = subprocess.run(["prlimit", "--fsize=100", "--", "sh", "-c",
                            'trap "" XFSZ; exec "$0" "$@"', GORO, "report", "sarif", "-o",
                            str(out), races], capture_output=True, text=True, env=self.env,
                           timeout=60)
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertEqual(r.stderr, "goro report: writing %s: File too large\n" % out)
        self.assertFalse(out.exists())


class RealToolchainTest(DriverTestCase):
    """The staged driver with the real clang++-14: what the stage has so far."""

    def setUp(self):
        super().setUp()
        if shutil.which("clang++-14") is None:
            self.skipTest("clang++-14 not installed")
        del self.env["GORO_CLANG"]
        self.prefix = pathlib.Path(GORO).resolve().parent.parent
        self.src = self.tmp / "hello.cpp"
        self.src.write_text(textwrap.dedent("""\
            #include <goro/goro.hpp>
            #include <cstdio>
            #ifndef GORO_RACE
            #define GORO_RACE 0
            #endif
            int main(int argc, char** argv) {
              return goro::run([&] {
                goro::go([=] { std::printf("hello %s race=%d\\n", argv[1], GORO_RACE); });
                while (goro::num_goroutine() > 1) goro::yield();
                return 5;
              });
            }
            """))

    def test_compile_only_with_staged_headers(self):
        obj = self.tmp / "hello.o"
        r = self.goro("c++", "-c", "-O1", "-g", str(self.src), "-o", str(obj))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(obj.exists())

    def test_separate_race_compile_and_link_are_quiet(self):
        self.require("libgoro_race.a")
        obj = self.tmp / "hello.o"
        compiled = self.goro("c++", "-race", "-c", "-O1", str(self.src), "-o", str(obj))
        self.assertEqual((compiled.returncode, compiled.stderr), (0, ""))
        binary = self.tmp / "hello"
        linked = self.goro("c++", "-race", str(obj), "-o", str(binary))
        self.assertEqual((linked.returncode, linked.stderr), (0, ""))
        run = subprocess.run([str(binary), "world"], capture_output=True, text=True, timeout=120)
        self.assertEqual((run.returncode, run.stdout), (5, "hello world race=1\n"), run.stderr)

    def test_compile_error_is_clangs(self):
        bad = self.tmp / "bad.cpp"
        bad.write_text("int main() { return undeclared; }\n")
        r = self.goro("c++", "-c", str(bad), "-o", str(self.tmp / "bad.o"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("undeclared", r.stderr)

    def require(self, lib):
        if not (self.prefix / "lib" / lib).exists():
            self.skipTest(lib + " is not staged yet")

    def test_run(self):
        self.require("libgoro.a")
        r = self.goro("run", str(self.src), "--", "world")
        self.assertEqual((r.returncode, r.stdout), (5, "hello world race=0\n"), r.stderr)

    def test_run_race(self):
        self.require("libgoro_race.a")
        r = self.goro("run", "-race", str(self.src), "--", "world")
        self.assertEqual((r.returncode, r.stdout), (5, "hello world race=1\n"), r.stderr)

    def test_report_of_a_race_free_run(self):
        self.require("libgoro_race.a")
        races = self.tmp / "races.json"
        r = self.goro("run", "-race", str(self.src), "--", "world",
                      env=dict(self.env, GORACE="json_path=%s" % races))
        self.assertEqual((r.returncode, r.stdout), (5, "hello world race=1\n"), r.stderr)
        self.assertEqual(races.read_text(), "")
        summary = self.goro("report", "summary", str(races))
        self.assertEqual((summary.returncode, summary.stdout, summary.stderr),
                         (0, "0 reports, 0 distinct races in 0 files\n", ""))

    def test_report_of_a_racy_run(self):
        self.require("libgoro_race.a")
        # The repository's example race, copied: the source is deleted below.
        racy = self.tmp / "racy.cpp"
        shutil.copy(SOURCE / "examples" / "racy.cpp", racy)
        binary = self.tmp / "racy"
        r = self.goro("c++", "-race", "-g", "-O1", str(racy), "-o", str(binary))
        self.assertEqual(r.returncode, 0, r.stderr)
        races = self.tmp / "races.json"
        run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=120,
                             env=dict(self.env, GORACE="json_path=%s" % races))
        self.assertEqual(run.returncode, 66, run.stderr)
        summary = self.goro("report", "summary", str(races))
        self.assertEqual(summary.returncode, 0, summary.stderr)
        first, total = summary.stdout.splitlines()
        self.assertRegex(first, r"^1  .*racy\.cpp:(\d+) increment\(int\*\) <-> .*racy\.cpp:\1 ")
        self.assertEqual(total, "1 report, 1 distinct race in 1 file")
        # Without the source (no snippet), view re-renders exactly what the program printed.
        racy.unlink()
        [line] = races.read_text().splitlines()
        view = self.goro("report", str(races))
        self.assertEqual((view.returncode, view.stdout), (0, json.loads(line)["text"]))

    def test_report_of_a_partial_deadlock(self):
        self.require("libgoro_race.a")
        src = self.tmp / "abba.cpp"
        src.write_text(textwrap.dedent("""\
            #include <goro/goro.hpp>
            #include <chrono>
            #include <mutex>
            goro::Mutex a, b;
            void take(goro::Mutex& first, goro::Mutex& second, goro::WaitGroup& both) {
              std::lock_guard f(first);
              both.done();
              both.wait();
              std::lock_guard s(second);
            }
            int main() {
              return goro::run([] {
                static goro::WaitGroup both;
                both.add(2);
                goro::go([] { take(a, b, both); });
                goro::go([] { take(b, a, both); });
                for (int i = 0; i < 3000; ++i) goro::sleep(std::chrono::milliseconds(10));
                return 0;
              });
            }
            """))
        binary = self.tmp / "abba"
        r = self.goro("c++", "-race", "-g", "-O1", str(src), "-o", str(binary))
        self.assertEqual(r.returncode, 0, r.stderr)
        reports = self.tmp / "reports.json"
        run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=120,
                             env=dict(self.env, GORACE="json_path=%s" % reports))
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("fatal error: partial deadlock: goroutines", run.stderr)
        [line] = reports.read_text().splitlines()
        self.assertEqual(json.loads(line)["type"], "partial_deadlock")
        summary = self.goro("report", "summary", str(reports))
        self.assertEqual(summary.returncode, 0, summary.stderr)
        first, total = summary.stdout.splitlines()
        self.assertRegex(first, r"^1  partial deadlock: .*abba\.cpp:9 take\(goro::Mutex&, "
                                r"goro::Mutex&, goro::WaitGroup&\) <-> .*abba\.cpp:9 take")
        self.assertEqual(total, "1 report, 0 distinct races, 1 distinct partial deadlock in 1 file")
        view = self.goro("report", "view", str(reports))
        self.assertEqual(view.returncode, 0, view.stderr)
        self.assertTrue(view.stdout.startswith(run.stderr.split("\n")[0] + "\n"), view.stdout)


    HEAP_PROGRAM = textwrap.dedent("""\
        // Which heap the program got, and whether it works across threads: goroutines allocate
        // strings that another goroutine (usually on another M) and a plain thread free.
        #include <goro/goro.hpp>
        #include <dlfcn.h>
        #include <malloc.h>
        #include <cstdio>
        #include <cstdlib>
        #include <cstring>
        #include <string>
        #include <thread>
        #include <vector>
        // Whether the middle of a 64 MiB block may use transparent huge pages (smaps' THPeligible).
        static int huge_eligible(const char* p) {
          const unsigned long mid = reinterpret_cast<unsigned long>(p) + (32ul << 20);
          FILE* f = std::fopen("/proc/self/smaps", "r");
          char line[512];
          bool in = false;
          int eligible = -1;
          while (std::fgets(line, sizeof line, f)) {
            unsigned long lo, hi;
            if (std::sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
              in = lo <= mid && mid < hi;
            else if (in && std::sscanf(line, "THPeligible: %d", &eligible) == 1)
              break;
          }
          std::fclose(f);
          return eligible;
        }
        int main() {
          return goro::run([] {
            auto c = goro::make_chan<std::vector<std::string>>(16);
            goro::go([c] {
              for (int i = 0; i < 10000; ++i) c.send(std::vector<std::string>(4, std::string(100 + i % 50, 'x')));
              c.close();
            });
            long total = 0;
            std::vector<std::vector<std::string>> kept;
            for (auto v : c) {
              for (auto& s : v) total += static_cast<long>(s.size());
              kept.push_back(std::move(v));
            }
            std::thread([&] { kept.clear(); kept.shrink_to_fit(); }).join();
            void* a = aligned_alloc(4096, 10000);
            void* m = memalign(48, 100);  // not a power of two: rounded up, as glibc does
            char* big = static_cast<char*>(std::malloc(64u << 20));
            std::memset(big, 1, 64u << 20);
            std::printf("heap=%s total=%ld aligned=%d usable=%d huge=%d\\n",
                        dlsym(RTLD_DEFAULT, "scalable_malloc") != nullptr ? "tbb" : "glibc", total,
                        reinterpret_cast<unsigned long>(a) % 4096 == 0 && m != nullptr,
                        malloc_usable_size(big) >= (64u << 20), huge_eligible(big));
            std::free(big);
            std::free(a);
            std::free(m);
            return 0;
          });
        }
        """)

    def thp_mode(self):
        try:
            text = pathlib.Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
        except OSError:
            return "never"
        return re.search(r"\[(\w+)\]", text).group(1)

    def run_heap_program(self, *flags, env=None):
        src = self.tmp / "heap.cpp"
        src.write_text(self.HEAP_PROGRAM)
        binary = self.tmp / "heap"
        r = self.goro("c++", *flags, "-O1", str(src), "-o", str(binary), env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        return run.stdout.strip()

    def test_default_heap_is_tbbmalloc_with_large_blocks_in_huge_pages(self):
        self.require("goro/libgoro_malloc.a")
        total = sum(4 * (100 + i % 50) for i in range(10000))
        out = self.run_heap_program()
        # THPeligible is 1 for an advised range whenever THP is not "never"; glibc's malloc never
        # advises, so under "madvise" (the kernel default) only the tbb heap's block says 1.
        huge = {"never": 0, "always": 1, "madvise": 1}[self.thp_mode()]
        self.assertEqual(out, "heap=tbb total=%d aligned=1 usable=1 huge=%d" % (total, huge))
        glibc = self.run_heap_program(env=dict(self.env, GORO_MALLOC="glibc"))
        huge = {"never": 0, "always": 1, "madvise": 0}[self.thp_mode()]
        self.assertEqual(glibc, "heap=glibc total=%d aligned=1 usable=1 huge=%d" % (total, huge))

    def test_race_build_keeps_glibc_malloc_under_the_detector(self):
        self.require("libgoro_race.a")
        out = self.run_heap_program("-race", env=dict(self.env, GORO_MALLOC="tbb"))
        self.assertTrue(out.startswith("heap=glibc total="), out)


class PackageTest(DriverTestCase):
    """The staged pkg-config files and CMake package agree with `goro flags`."""

    def setUp(self):
        super().setUp()
        self.prefix = pathlib.Path(GORO).resolve().parent.parent

    @staticmethod
    def normalized(words):
        """Resolves the "../.." of paths relative to the .pc file."""
        out = []
        for w in words:
            i = w.find("/")
            out.append(w if i < 0 else w[:i] + os.path.normpath(w[i:]))
        return out

    def pkg_config(self, *args):
        if shutil.which("pkg-config") is None:
            self.skipTest("pkg-config not installed")
        env = dict(os.environ, PKG_CONFIG_PATH=str(self.prefix / "lib" / "pkgconfig"))
        return subprocess.run(["pkg-config", *args], capture_output=True, text=True, env=env)

    def test_pkg_config_matches_goro_flags(self):
        for race in [False, True]:
            with self.subTest(race=race):
                staged = (self.prefix / "lib" / "libgoro_race.a").exists()
                name = "goro-race" if race else "goro"
                r = self.pkg_config("--cflags", "--libs", name)
                if race and not staged:
                    self.assertNotEqual(r.returncode, 0, "goro-race.pc without libgoro_race.a")
                    continue
                self.assertEqual(r.returncode, 0, r.stderr)
                flags = self.goro("flags", *(["-race"] if race else []), "--cxxflags", "--ldflags")
                self.assertEqual(self.normalized(r.stdout.split()), flags.stdout.split())

    def test_pkg_config_version(self):
        self.assertEqual(self.pkg_config("--modversion", "goro").stdout.strip(), VERSION)

    CONSUMER = textwrap.dedent("""\
        // At GOMAXPROCS=1 main spins until a goroutine has run: only the plugin's preemption
        // points let one run. The two goroutines race on the counter, which goro::race reports.
        #include <goro/goro.hpp>
        #include <atomic>
        void increment(int* counter) { ++*counter; }
        int main() {
          return goro::run([] {
            std::atomic<bool> ran{false};
            int counter = 0;
            goro::WaitGroup wg;
            wg.add(2);
            goro::go([&] { increment(&counter); ran.store(true); wg.done(); });
            goro::go([&] { increment(&counter); wg.done(); });
            while (!ran.load(std::memory_order_relaxed)) {
            }
            wg.wait();
            return 7;
          });
        }
        """)

    def cmake_configure(self, lists, compiler, languages="CXX"):
        """Configures a project of main.cpp and `lists` with `compiler`; returns the result."""
        for tool in ["cmake", "ninja", compiler]:
            if shutil.which(tool) is None:
                self.skipTest(tool + " not installed")
        project = self.tmp / "consumer"
        project.mkdir()
        (project / "main.cpp").write_text(self.CONSUMER)
        (project / "CMakeLists.txt").write_text(
            "cmake_minimum_required(VERSION 3.20)\nproject(consumer %s)\n" % languages +
            textwrap.dedent(lists))
        self.build = self.tmp / "build"
        compiler_var = "CMAKE_C_COMPILER" if languages == "C" else "CMAKE_CXX_COMPILER"
        return subprocess.run(["cmake", "-S", str(project), "-B", str(self.build), "-G", "Ninja",
                               "-D%s=%s" % (compiler_var, compiler),
                               "-Dgoro_DIR=%s" % (self.prefix / "lib" / "cmake" / "goro")],
                              capture_output=True, text=True, timeout=120)

    def test_cmake_package(self):
        r = self.cmake_configure("""\
            find_package(goro %s EXACT REQUIRED CONFIG)
            add_executable(app main.cpp)
            target_link_libraries(app PRIVATE goro::runtime)
            if(TARGET goro::race)
              add_executable(app_race main.cpp)
              target_link_libraries(app_race PRIVATE goro::race)
            endif()
            """ % VERSION, "clang++-14")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        build = self.build
        commands = subprocess.run(["ninja", "-C", str(build), "-t", "commands"],
                                  capture_output=True, text=True, check=True).stdout.splitlines()
        race = (self.prefix / "lib" / "libgoro_race.a").exists()
        plugin = self.prefix / "lib" / "goro" / "libgoro_instrument.so"
        for target, archive in [("app", "libgoro.a")] + ([("app_race", "libgoro_race.a")] if race else []):
            with self.subTest(target):
                compile_line = next(c for c in commands if "/%s.dir/" % target in c and " -c " in c)
                link_line = next(c for c in commands if "-o %s " % target in c)
                self.assertIn("-I%s" % (self.prefix / "include"), compile_line.replace("-isystem ", "-I"))
                self.assertIn("-fno-omit-frame-pointer", compile_line)
                self.assertIn("20", re.search(r"-std=\S+", compile_line).group(0))
                self.assertEqual("-fplugin=%s" % plugin in compile_line, plugin.exists())
                self.assertEqual("-DGORO_RACE=1" in compile_line, target == "app_race")
                self.assertEqual("-fno-optimize-sibling-calls" in compile_line,
                                 target == "app_race")
                self.assertIn(str(self.prefix / "lib" / archive), link_line)
                self.assertIn(str(self.prefix / "lib" / "goro" / "libgoro_context.a"), link_line)

    def test_cmake_package_builds_programs_that_preempt_and_detect(self):
        for lib in ["libgoro.a", "libgoro_race.a", "goro/libgoro_instrument.so"]:
            if not (self.prefix / "lib" / lib).exists():
                self.skipTest(lib + " is not staged yet")
        r = self.cmake_configure("""\
            find_package(goro REQUIRED)
            add_executable(app main.cpp)
            target_link_libraries(app PRIVATE goro::runtime)
            add_executable(app_race main.cpp)
            target_link_libraries(app_race PRIVATE goro::race)
            """, "clang++-14")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run(["ninja", "-C", str(self.build)], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        env = dict(os.environ, GOMAXPROCS="1")
        env.pop("GORACE", None)
        plain = subprocess.run([str(self.build / "app")], capture_output=True, text=True, env=env,
                               timeout=60)
        self.assertEqual(plain.returncode, 7, plain.stderr)
        racy = subprocess.run([str(self.build / "app_race")], capture_output=True, text=True,
                              env=env, timeout=60)
        self.assertEqual(racy.returncode, 66, racy.stderr)
        self.assertIn("WARNING: DATA RACE", racy.stderr)

    def test_cmake_package_refuses_another_compiler(self):
        # g++ cannot load the plugin: no preemption, no race detection. Configuring must say so.
        r = self.cmake_configure("""\
            find_package(goro REQUIRED)
            add_executable(app main.cpp)
            target_link_libraries(app PRIVATE goro::race)
            """, "g++")
        self.assertNotEqual(r.returncode, 0, r.stdout)
        message = " ".join(r.stderr.split())
        self.assertIn("goro needs clang 14 as the C++ compiler, but CMAKE_CXX_COMPILER is GNU ",
                      message)
        self.assertIn("Configure a new build directory with -DCMAKE_CXX_COMPILER=clang++-14",
                      message)
        self.assertFalse((self.build / "build.ninja").exists())

    def test_optional_cmake_package_with_another_compiler_defines_no_targets(self):
        r = self.cmake_configure("""\
            find_package(goro)
            if(goro_FOUND OR TARGET goro::runtime OR TARGET goro::race)
              message(FATAL_ERROR "goro found with g++")
            endif()
            """, "g++")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("goro needs clang 14", " ".join(r.stderr.split()))

    def test_cmake_package_needs_cxx(self):
        r = self.cmake_configure("find_package(goro REQUIRED)\n", "clang-14", languages="C")
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("has not enabled C++", " ".join(r.stderr.split()))


def main():
    global GORO, VERSION
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goro", required=True, help="the staged driver, <prefix>/bin/goro")
    parser.add_argument("--version", required=True, help="the version goro should report")
    args, rest = parser.parse_known_args()
    GORO, VERSION = os.path.abspath(args.goro), args.version
    if not os.access(GORO, os.X_OK):
        sys.exit("driver_test: %s: not found (install the build: cmake --install build "
                 "--prefix build/stage)" % GORO)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
