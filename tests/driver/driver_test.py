#!/usr/bin/env python3
"""Tests of the `goro` command as installed: help, version, flags, errors, and what it hands clang.

Usage: driver_test.py --goro <prefix>/bin/goro --version X.Y.Z [unittest args, e.g. FlagsTest]

Most tests copy the driver into a scratch install tree (the driver finds its tree from its own path)
and point GORO_CLANG at a fake compiler that records its command line and, when asked to link,
writes a small shell script as the "program". That checks every flag and every exit path without
needing the runtime libraries. RealToolchainTest uses the real clang++-14 and the staged tree, and
skips what the stage does not have yet.
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

GORO = None  # the staged driver, from --goro
VERSION = None  # the expected version, from --version

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

    def __init__(self, root, race=False, plugin=False):
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
        return subprocess.run([str(goro or GORO), *args], capture_output=True, text=True,
                              env=env if env is not None else self.env, cwd=cwd, timeout=120)

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


class HelpTest(DriverTestCase):
    COMMANDS = ["c++", "run", "flags", "version"]

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

    def test_unknown_help_topic(self):
        self.assertFails(self.goro("help", "bogus"), 2,
                         "goro help bogus: unknown help topic. Run 'goro help'.\n")

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

    def test_both_print_compile_flags_first(self):
        inst = self.install()
        both = self.flags(inst, "--ldflags", "--cxxflags")
        self.assertEqual(both, self.flags(inst, "--cxxflags") + self.flags(inst, "--ldflags"))

    def test_plugin_is_loaded_when_installed(self):
        inst = self.install(plugin=True)
        self.assertIn("-fplugin=" + inst.path("lib/goro/libgoro_instrument.so"),
                      self.flags(inst, "--cxxflags"))

    def test_race_uses_race_runtime_and_defines_goro_race(self):
        inst = self.install(race=True)
        self.assertIn("-DGORO_RACE=1", self.flags(inst, "-race", "--cxxflags"))
        self.assertNotIn("-DGORO_RACE=1", self.flags(inst, "--cxxflags"))
        self.assertEqual(self.flags(inst, "--ldflags", "-race")[0], inst.path("lib/libgoro_race.a"))

    def test_race_without_race_runtime(self):
        inst = self.install()
        self.assertFails(self.goro("flags", "-race", "--cxxflags", goro=inst.goro), 2,
                         "goro: -race: the race runtime is not installed (%s)\n"
                         % inst.path("lib/libgoro_race.a"))

    def test_unknown_flag(self):
        self.assertFails(self.goro("flags", "--bogus"), 2, "goro flags: unknown flag --bogus\n")

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
        inst = self.install(race=True)
        argv = self.cxx(inst, "-c", "a.cpp", "-race")
        self.assertNotIn("-race", argv)
        self.assertIn("-DGORO_RACE=1", argv)

    def test_race_without_race_runtime(self):
        inst = self.install()
        r = self.goro("c++", "-race", "a.cpp", goro=inst.goro)
        self.assertFails(r, 2, "goro: -race: the race runtime is not installed (%s)\n"
                         % inst.path("lib/libgoro_race.a"))
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
        self.assertEqual(argv[1:7], ["-std=c++20", "-O2", "-I", "inc", "main.cpp", "util.cc"])
        self.assertEqual(argv[7:9], ["-o", binary])
        self.assertIn(self.inst.path("lib/libgoro.a"), argv)
        self.assertEqual(pathlib.Path(binary).name, "main")
        self.assertEqual(pathlib.Path(binary).parent.parent, self.tmpdir)
        self.assertEqual(list(self.tmpdir.iterdir()), [])

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
        inst = ScratchInstall(self.tmp / "race-prefix", race=True)
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

    def test_cmake_package(self):
        for tool in ["cmake", "ninja", "clang++-14"]:
            if shutil.which(tool) is None:
                self.skipTest(tool + " not installed")
        project = self.tmp / "consumer"
        project.mkdir()
        (project / "main.cpp").write_text("int main() {}\n")
        (project / "CMakeLists.txt").write_text(textwrap.dedent("""\
            cmake_minimum_required(VERSION 3.20)
            project(consumer CXX)
            find_package(goro %s EXACT REQUIRED CONFIG)
            add_executable(app main.cpp)
            target_link_libraries(app PRIVATE goro::runtime)
            if(TARGET goro::race)
              add_executable(app_race main.cpp)
              target_link_libraries(app_race PRIVATE goro::race)
            endif()
            """ % VERSION))
        build = self.tmp / "build"
        r = subprocess.run(["cmake", "-S", str(project), "-B", str(build), "-G", "Ninja",
                            "-DCMAKE_CXX_COMPILER=clang++-14",
                            "-Dgoro_DIR=%s" % (self.prefix / "lib" / "cmake" / "goro")],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
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
                self.assertIn(str(self.prefix / "lib" / archive), link_line)
                self.assertIn(str(self.prefix / "lib" / "goro" / "libgoro_context.a"), link_line)


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
