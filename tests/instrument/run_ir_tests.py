#!/usr/bin/env python3
"""Tests of libgoro_instrument.so, the clang plugin: what it does to IR, and programs it built.

Usage: run_ir_tests.py --plugin <libgoro_instrument.so> [--clang clang++-14] [--cc clang-14]
                       [--opt opt-14] [unittest args, e.g. AtomicTest or -k loop]

Each IR test compiles a small C or C++ snippet with
    clang++-14 -fplugin=<plugin> [-fplugin-arg-goro-race] -S -emit-llvm -O<n>
and asserts on the IR text, function by function (FileCheck is not a build dependency). When
opt-14 is installed every module is also run through the IR verifier, since release clang skips
it. RunTest links programs/*.cpp (and .c) built with the plugin against fake_runtime.c — a C
implementation of detector/include/goro/race_abi.h that performs each operation and counts it —
and runs them: the results must be right and the counts as expected.

ctest runs one test class per entry (tests/instrument/CMakeLists.txt).
"""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ABI_INCLUDE = ROOT / "detector" / "include"
RUNTIME_INCLUDE = ROOT / "runtime" / "include"
OPTIONS = None  # set by main()

# Hooks of the race build; none may appear in a build without -race.
RACE_HOOK = re.compile(r"@__goro_(read|write|atomic|mem|func_|race_init)")
DEFINE = re.compile(r'^define [^@]*@("[^"]+"|[\w.$]+)\(')


class Module:
    """An IR module's text, with its function bodies by (mangled) name."""

    def __init__(self, text):
        self.text = text
        self.functions = {}
        name, body = None, []
        for line in text.splitlines():
            m = DEFINE.match(line)
            if m:
                name, body = m.group(1).strip('"'), [line]
            elif name is not None:
                body.append(line)
                if line == "}":
                    self.functions[name] = "\n".join(body)
                    name = None

    def function(self, fragment):
        """The body of the one function whose name contains fragment."""
        found = [n for n in self.functions if fragment in n]
        if len(found) != 1:
            raise AssertionError("%d functions match %r: %s" % (len(found), fragment,
                                                               sorted(self.functions)))
        return self.functions[found[0]]


def count_calls(body, callee):
    return len(re.findall(r"(?:call|invoke) [^@\n]*@%s\(" % re.escape(callee), body))


class PluginTest(unittest.TestCase):
    """Compiles snippets with the plugin."""

    maxDiff = None

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="goro-instr-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def compile(self, source, *flags, lang="c++", race=True, output="-S", check=True,
                plugin_args=()):
        """Compiles source; returns the CompletedProcess (output file in self.tmp/out)."""
        src = self.tmp / ("snippet.c" if lang == "c" else "snippet.cpp")
        src.write_text(textwrap.dedent(source))
        compiler = OPTIONS.cc if lang == "c" else OPTIONS.clang
        argv = [compiler, "-fplugin=" + OPTIONS.plugin]
        if lang != "c":
            argv.append("-std=c++20")
        if race:
            argv.append("-fplugin-arg-goro-race")
        argv += ["-fplugin-arg-goro-" + a for a in plugin_args]
        argv += ["-I", str(ABI_INCLUDE), "-I", str(RUNTIME_INCLUDE), "-I", str(HERE)]
        argv += list(flags)
        out = self.tmp / "out"
        if output == "-S":
            argv += ["-S", "-emit-llvm"]
        elif output == "-c":
            argv += ["-c"]
        elif output == "asm":
            argv += ["-S"]
        argv += [str(src), "-o", str(out)]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(r.returncode, 0, "%s\n%s" % (" ".join(argv), r.stderr))
        return r

    def ir(self, source, *flags, **kw):
        """The instrumented module of source (default -O0, race build)."""
        if not any(f.startswith("-O") for f in flags):
            flags = ("-O0",) + flags
        self.compile(source, *flags, **kw)
        text = (self.tmp / "out").read_text()
        self.verify(self.tmp / "out")
        return Module(text)

    def codegen(self, ir_path, opt):
        """Compiles an IR file to an object, as the back end of a whole compile would."""
        obj = self.tmp / "out.o"
        r = subprocess.run([OPTIONS.clang, opt, "-c", "-x", "ir", str(ir_path), "-o", str(obj)],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, "code generation from %s:\n%s" % (ir_path, r.stderr))

    def verify(self, path):
        if OPTIONS.opt is None:
            return
        r = subprocess.run([OPTIONS.opt, "-verify", "-disable-output", str(path)],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, "IR verifier:\n" + r.stderr)

    def assertCalls(self, body, callee, n=None):
        found = count_calls(body, callee)
        if n is None:
            self.assertGreater(found, 0, "no call of %s in:\n%s" % (callee, body))
        else:
            self.assertEqual(found, n, "%d calls of %s (want %d) in:\n%s" % (found, callee, n, body))

    def assertNoCall(self, body, callee):
        self.assertCalls(body, callee, 0)

    def assertHookCall(self, body, hook, args_tail):
        """Some call of hook ends its argument list with args_tail."""
        lines = [l for l in body.splitlines() if "@%s(" % hook in l]
        self.assertTrue(any(l.rstrip().endswith(args_tail + ")") for l in lines),
                        "no %s(..., %s) in:\n%s" % (hook, args_tail, body))

    def assertNoRaceHooks(self, body):
        self.assertIsNone(RACE_HOOK.search(body), body)


class AccessTest(PluginTest):
    """Plain loads and stores."""

    def test_global_int_store_and_load(self):
        m = self.ir("""
            int g;
            void store() { g = 5; }
            int load() { return g; }
        """)
        self.assertCalls(m.function("store"), "__goro_write4", 1)
        self.assertCalls(m.function("load"), "__goro_read4", 1)
        # The hook comes before the access.
        body = m.function("store")
        self.assertLess(body.index("@__goro_write4"), body.index("store i32 5"))

    def test_every_size_has_its_hook(self):
        m = self.ir("""
            char c; short s; int i; long l; unsigned __int128 w;
            void f() { c = 1; s = 2; i = 3; l = 4; w = 5; }
        """, "-O2")
        body = m.function("_Z1fv")
        for n in [1, 2, 4, 8, 16]:
            self.assertCalls(body, "__goro_write%d" % n, 1)

    def test_unaligned_access_uses_the_size_hook(self):
        m = self.ir("""
            struct __attribute__((packed)) P { char c; int i; };
            P p;
            int f() { return p.i; }
        """, "-O2")
        body = m.function("_Z1fv")
        self.assertIn("align 1", body)
        self.assertCalls(body, "__goro_read4", 1)

    def test_other_sizes_use_ranges(self):
        m = self.ir("""
            long double ld;
            void f() { ld = 1.0L; }
            long double g() { return ld; }
        """, "-O2")
        self.assertIn("__goro_write_range(i8* bitcast (x86_fp80* @ld to i8*), i64 10)",
                      m.function("_Z1fv"))
        self.assertCalls(m.function("_Z1gv"), "__goro_read_range", 1)

    def test_non_escaping_local_is_not_instrumented(self):
        m = self.ir("""
            int f(int n) { int x = n; int a[4] = {1, 2, 3, 4}; x += a[n & 3]; return x; }
        """)
        body = m.function("_Z1fi")
        self.assertNoRaceHooks(body)

    def test_escaping_local_is_instrumented(self):
        m = self.ir("""
            void keep(int*);
            int f() { int x = 1; keep(&x); return x; }
        """)
        body = m.function("_Z1fv")
        self.assertCalls(body, "__goro_write4")
        self.assertCalls(body, "__goro_read4")

    def test_local_passed_to_a_noescape_parameter_stays_private(self):
        # The runtime's channel entry points take the value being sent with noescape (a use that
        # ends with the call): the temporary is still the goroutine's own.
        m = self.ir("""
            void send(__attribute__((noescape)) void* elem);
            void keep(void* elem);
            void f(long v) { long tmp = v; send(&tmp); }
            void g(long v) { long tmp = v; keep(&tmp); }
        """)
        self.assertNoCall(m.function("_Z1fl"), "__goro_write8")
        self.assertNoCall(m.function("_Z1fl"), "__goro_read8")
        self.assertCalls(m.function("_Z1gl"), "__goro_write8")

    def test_local_with_many_uses_stays_private(self):
        # Unrolled, a loop receiving into one local uses it dozens of times (lifetime markers and
        # the call in each iteration): still private, however many uses it has.
        m = self.ir("""
            bool recv(__attribute__((noescape)) void* dst);
            long f() {
              long sum = 0;
              for (int i = 0; i < 16; ++i) { long v; recv(&v); sum += v; }
              return sum;
            }
        """, "-O2")
        body = m.function("_Z1fv")
        self.assertGreater(body.count("@_Z4recvPv("), 8, "the loop was not unrolled:\n" + body)
        self.assertNoCall(body, "__goro_read8")

    def test_address_chosen_between_private_objects_is_private(self):
        # A select (or phi) of two addresses is private only if both sources are.
        m = self.ir("""
            static const int table[2][4] = {{1, 2, 3, 4}, {5, 6, 7, 8}};
            int g[4];
            int f(int i, bool b) { return (b ? table[0] : table[1])[i & 3]; }
            int h(int i, bool b) { return (b ? table[0] : g)[i & 3]; }
        """, "-O2")
        self.assertNoCall(m.function("_Z1fib"), "__goro_read4")
        self.assertCalls(m.function("_Z1hib"), "__goro_read4", 1)

    def test_local_reached_through_gep_and_captured_elsewhere(self):
        # The slot escapes through one pointer; an access through another GEP is still checked.
        m = self.ir("""
            void keep(int*);
            int f() { int a[4] = {}; keep(&a[0]); return a[2]; }
        """, "-O1")
        self.assertCalls(m.function("_Z1fv"), "__goro_read4", 1)

    def test_local_copied_to_a_global_stays_private(self):
        # -O0 copies the local with llvm.memcpy, which becomes a hook call taking its address: the
        # local's own stores must still be seen as private.
        m = self.ir("""
            struct S { long a[8]; };
            S gs;
            void f(long v) { S s; s.a[1] = v; gs = s; }
        """)
        body = m.function("_Z1fl")
        self.assertCalls(body, "__goro_memcpy", 1)
        self.assertNoCall(body, "__goro_write8")

    def test_byval_argument_is_a_private_slot(self):
        m = self.ir("""
            struct Big { long a[8]; };
            long sum(Big b) { long s = 0; for (int i = 0; i < 8; ++i) s += b.a[i]; return s; }
            void keep(Big*);
            long shared(Big b) { keep(&b); return b.a[0]; }
        """)
        self.assertNoRaceHooks(m.function("_Z3sum3Big"))
        self.assertCalls(m.function("_Z6shared3Big"), "__goro_read8", 1)

    def test_constant_global_and_errno_are_skipped(self):
        m = self.ir("""
            #include <errno.h>
            const int table[4] = {1, 2, 3, 4};
            int f(int i) { return table[i & 3]; }
            void h() { errno = 0; }
        """, "-O2")
        for name in ["_Z1fi", "_Z1hv"]:
            self.assertNoRaceHooks(m.function(name).replace("@__goro_func_", "@x"))

    def test_thread_local_accesses_call_the_tls_hooks(self):
        for opt in ["-O0", "-O2"]:
            with self.subTest(opt=opt):
                m = self.ir("""
                    thread_local int tls;
                    struct S { S(); long v; };
                    thread_local S dynamic_tls;
                    void g() { tls = 1; }
                    long r() { return dynamic_tls.v; }
                """, opt)
                self.assertHookCall(m.function("_Z1gv"), "__goro_tls_write", "i64 4")
                self.assertNoCall(m.function("_Z1gv"), "__goro_write4")
                self.assertHookCall(m.function("_Z1rv"), "__goro_tls_read", "i64 8")
                self.assertNoCall(m.function("_Z1rv"), "__goro_read8")

    def test_vtable_pointer_load_calls_vptr_read(self):
        m = self.ir("""
            struct B { virtual int f(); };
            int call(B* b) { return b->f(); }
        """, "-O2")
        body = m.function("_Z4callP1B")
        self.assertIn('!tbaa', body)
        self.assertCalls(body, "__goro_vptr_read", 1)
        self.assertNoCall(body, "__goro_read8")

    def test_free_realloc_and_delete_are_hinted(self):
        for opt in ["-O0", "-O2"]:
            with self.subTest(opt=opt):
                m = self.ir("""
                    #include <stdlib.h>
                    struct S { long v; };
                    void f(S* s) { delete s; }
                    void g(void* p) { free(p); }
                    void h(S* s) { delete[] s; }
                    void* k(void* p) { return realloc(p, 64); }
                """, opt)
                self.assertCalls(m.function("_Z1fP1S"), "__goro_free_hint", 1)
                self.assertCalls(m.function("_Z1gPv"), "__goro_free_hint", 1)
                self.assertCalls(m.function("_Z1hP1S"), "__goro_free_hint", 1)
                self.assertCalls(m.function("_Z1kPv"), "__goro_free_hint", 1)

    def test_vtable_pointer_store_in_a_destructor_calls_vptr_update(self):
        m = self.ir("""
            struct B { virtual ~B(); virtual void f(); };
            void ext(B*);
            B::~B() { ext(this); }
        """, "-O2")
        body = m.function("_ZN1BD2Ev")
        self.assertCalls(body, "__goro_vptr_update", 1)
        self.assertNoCall(body, "__goro_write8")

    def test_volatile_accesses_are_instrumented(self):
        m = self.ir("""
            volatile int v;
            int f() { v = 1; return v; }
        """, "-O2")
        body = m.function("_Z1fv")
        self.assertCalls(body, "__goro_write4", 1)
        self.assertCalls(body, "__goro_read4", 1)

    def test_read_before_write_in_one_stretch_is_checked_as_the_write(self):
        m = self.ir("""
            int g;
            void inc() { g = g + 1; }
            void ext();
            void split() { int v = g; ext(); g = v + 1; }
        """, "-O2")
        self.assertNoCall(m.function("_Z3incv"), "__goro_read4")
        self.assertCalls(m.function("_Z3incv"), "__goro_write4", 1)
        # A call between them: both checked.
        self.assertCalls(m.function("_Z5splitv"), "__goro_read4", 1)
        self.assertCalls(m.function("_Z5splitv"), "__goro_write4", 1)

    CLOSURES = """
        #include <goro/runtime.hpp>
        #include <string>
        void use(long);
        void by_value(long n, long* p) { goro::go([n, p] { use(n); use(*p); }); }
        void not_trivial(std::string s) { goro::go([s] { use(long(s.size())); }); }
        void with_args(long n) { goro::go([](long m, long k) { use(m + k); }, n, n); }
        void main_goroutine(long n) { goro::run([n] { use(n); }); }
        void share(long*);
        void shares_its_copy(long n) { goro::go([n]() mutable { share(&n); use(n); }); }
        void shares_its_argument(long n) { goro::go([](long&& m) { share(&m); use(m); }, n); }
        struct Job {
          long n;
          void operator()() { share(&n); use(n); }
          void operator()() const { use(n); }
        };
        void runs_a_non_const_overload(long n) { goro::go(Job{n}); }
    """

    def invoker(self, m, spawner):
        """The body of the closure invoker of the go statement in spawner (a mangled name)."""
        return m.function("closureIZ%s" % spawner)

    def test_a_goroutines_closure_is_not_checked(self):
        # As Go's race build leaves closure fields alone: the captures (and go's arguments) are
        # read unchecked; what a captured pointer points to is checked.
        m = self.ir(self.CLOSURES, "-O2", "-DGORO_RACE=1")
        self.assertCalls(self.invoker(m, "8by_value"), "__goro_read8", 1)  # *p only
        self.assertNoCall(self.invoker(m, "11not_trivial"), "__goro_read8")
        # The go statement's stores into the closure's fresh storage are unchecked too (the
        # string's pointer, size and capacity), not those into the lambda it moves from.
        spawner = m.function("_Z11not_trivial")
        self.assertGreaterEqual(len(re.findall(r"store [^\n]*!nosanitize", spawner)), 3, spawner)
        self.assertCalls(spawner, "__goro_write8")
        self.assertNoCall(self.invoker(m, "9with_args"), "__goro_read8")
        main_invoker = [n for n in m.functions if "4goro3run" in n and "invoke" in n]
        self.assertEqual(len(main_invoker), 1, sorted(m.functions))
        self.assertNoCall(m.functions[main_invoker[0]], "__goro_read8")
        # A mutable lambda may hand out its captures' addresses: its reads stay checked.
        self.assertCalls(self.invoker(m, "15shares_its_copy"), "__goro_read8")
        # So may a parameter bound to an argument by rvalue reference, and a functor whose non-const
        # operator() is the one called.
        self.assertCalls(self.invoker(m, "19shares_its_argument"), "__goro_read8")
        self.assertCalls(m.function("closureI3Job"), "__goro_read8")
        self.assertNotIn("__goro_closure_fields", m.text)

    def test_closure_markers_are_removed_at_every_level_and_build(self):
        for flags, race in ((("-O0",), True), (("-O1", "-g"), True), (("-O2",), False)):
            with self.subTest(flags=flags, race=race):
                m = self.ir(self.CLOSURES, *flags, "-DGORO_RACE=1", race=race)
                self.assertNotIn("__goro_closure_fields", m.text)

    def test_plain_build_has_no_race_hooks(self):
        m = self.ir("""
            #include <atomic>
            #include <cstring>
            int g; std::atomic<int> a; char d[8], s[8];
            void f(int n) { g = n; a.fetch_add(1); std::memcpy(d, s, n); }
        """, "-O2", race=False)
        self.assertNoRaceHooks(m.text)
        self.assertIn("atomicrmw add", m.function("_Z1fi"))


class AtomicTest(PluginTest):
    """Atomics become calls that perform them, with their C11 order."""

    SOURCE = """
        #include <atomic>
        std::atomic<int> a;
        std::atomic<long*> p;
        std::atomic<double> d;
        int load_acquire() { return a.load(std::memory_order_acquire); }
        void store_release(int v) { a.store(v, std::memory_order_release); }
        int add_relaxed() { return a.fetch_add(2, std::memory_order_relaxed); }
        int sub_acq_rel() { return a.fetch_sub(2, std::memory_order_acq_rel); }
        int bits() { return a.fetch_and(1) | a.fetch_or(2) | a.fetch_xor(3); }
        bool cas(int& e) { return a.compare_exchange_strong(e, 7, std::memory_order_seq_cst,
                                                            std::memory_order_acquire); }
        bool cas_weak(int& e) { return a.compare_exchange_weak(e, 7, std::memory_order_release,
                                                               std::memory_order_relaxed); }
        long* ptr_exchange(long* v) { return p.exchange(v); }
        double dbl() { d.store(1.5); return d.load(); }
        void fences() { std::atomic_thread_fence(std::memory_order_acq_rel);
                        std::atomic_signal_fence(std::memory_order_seq_cst); }
        int max(int* m) { return __atomic_fetch_max(m, 3, __ATOMIC_RELEASE); }
        float fadd(float* f) { return __atomic_fetch_add(f, 1.0f, __ATOMIC_SEQ_CST); }
    """

    @classmethod
    def setUpClass(cls):
        cls.modules = {}

    def module(self, opt):
        if opt not in self.modules:
            self.modules[opt] = self.ir(self.SOURCE, opt)
        return self.modules[opt]

    def test_orders_and_hooks(self):
        # At -O2 libstdc++'s order switch folds away; at -O0 each order has its own call.
        m = self.module("-O2")
        self.assertHookCall(m.function("load_acquire"), "__goro_atomic32_load", "i32 2")
        self.assertHookCall(m.function("store_release"), "__goro_atomic32_store", "i32 3")
        self.assertHookCall(m.function("add_relaxed"), "__goro_atomic32_fetch_add", "i32 2, i32 0")
        self.assertHookCall(m.function("sub_acq_rel"), "__goro_atomic32_fetch_sub", "i32 2, i32 4")
        for op in ["and", "or", "xor"]:
            self.assertHookCall(m.function("bits"), "__goro_atomic32_fetch_" + op, "i32 5")
        self.assertHookCall(m.function("_Z3casRi"), "__goro_atomic32_compare_exchange_val",
                            "i32 7, i32 5, i32 2")
        self.assertHookCall(m.function("cas_weak"), "__goro_atomic32_compare_exchange_val",
                            "i32 7, i32 3, i32 0")
        self.assertRegex(m.function("ptr_exchange"), r"@__goro_atomic64_exchange\(")
        self.assertRegex(m.function("ptr_exchange"), r"ptrtoint|inttoptr")
        self.assertRegex(m.function("_Z3dblv"), r"@__goro_atomic64_store\(")
        self.assertRegex(m.function("_Z3dblv"), r"bitcast i64 .* to double")
        self.assertHookCall(m.function("fences"), "__goro_atomic_thread_fence", "i32 4")
        self.assertHookCall(m.function("fences"), "__goro_atomic_signal_fence", "i32 5")
        # libstdc++'s load at -O0 switches over the order: relaxed, acquire (consume too), seq_cst.
        # (always_inline, so the switch is in load_acquire itself).
        load = self.module("-O0").function("load_acquire")
        for order in [0, 2, 5]:
            self.assertHookCall(load, "__goro_atomic32_load", "i32 %d" % order)

    def test_compare_exchange_rebuilds_success_with_icmp(self):
        body = self.module("-O2").function("_Z3casRi")
        self.assertRegex(body, r"(%\S+) = (tail )?call i32 @__goro_atomic32_compare_exchange_val")
        self.assertRegex(body, r"icmp eq i32")

    def test_ops_without_a_hook_become_compare_exchange_loops(self):
        m = self.module("-O2")
        for name, ty in [("_Z3maxPi", "i32"), ("_Z4faddPf", "float")]:
            body = m.function(name)
            cast = "" if ty == "i32" else "bitcast "
            self.assertHookCall(body, "__goro_atomic32_load", "i32 0")
            self.assertRegex(body, r"(%\d+) = phi i32 \[ %\d+, %\d+ \], \[ (%\d+), %(\d+) \]\n"
                                   r"(.*\n)*\s+\2 = call i32 @__goro_atomic32_compare_exchange_val\("
                                   r"i32\* [^,]+, i32 \1, ")
            self.assertRegex(body, r"icmp eq i32 %\d+, %\d+\n\s+br i1 %\d+, label %\d+, label %\d+")
        self.assertHookCall(m.function("_Z3maxPi"), "__goro_atomic32_compare_exchange_val",
                            "i32 3, i32 0")
        self.assertRegex(m.function("_Z3maxPi"), r"icmp sgt i32")
        self.assertIn("fadd float", m.function("_Z4faddPf"))

    def test_no_ir_atomic_is_left(self):
        # Every atomic of the program's own: the safe points' relaxed load of the stack guard is the
        # plugin's, and stays an IR atomic.
        for opt in ["-O0", "-O2"]:
            with self.subTest(opt=opt):
                text = "\n".join(b for n, b in self.module(opt).functions.items())
                own = "\n".join(l for l in text.splitlines() if "@__goro_stack_guard" not in l)
                self.assertNotRegex(own, r"load atomic|store atomic|atomicrmw|cmpxchg|\bfence\b")

    def test_sixteen_byte_library_calls(self):
        m = self.ir("""
            #include <atomic>
            unsigned __int128 w;
            struct S { long a, b; };
            std::atomic<S> s;
            unsigned __int128 f() {
              __atomic_fetch_add(&w, 1, __ATOMIC_SEQ_CST);
              unsigned __int128 e = 0;
              __atomic_compare_exchange_n(&w, &e, 5, false, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE);
              __atomic_store_n(&w, 3, __ATOMIC_RELEASE);
              return __atomic_load_n(&w, __ATOMIC_ACQUIRE);
            }
            S g(S v) { s.store(v); return s.exchange(v); }
        """, "-O2", "-Wno-atomic-alignment")
        body = m.function("_Z1fv")
        self.assertNotRegex(body, r"@__atomic_")
        self.assertRegex(body, r"@__goro_atomic128_fetch_add\(i128\* [^,]+, i128 1, i32 5\)")
        self.assertRegex(body, r"@__goro_atomic128_compare_exchange_val\(.*i32 5, i32 2\)")
        self.assertRegex(body, r"@__goro_atomic128_store\(.*i32 3\)")
        self.assertRegex(body, r"@__goro_atomic128_load\(.*i32 2\)")
        body = m.function("_Z1g1S")
        self.assertNotRegex(body, r"@__atomic_")
        self.assertRegex(body, r"@__goro_atomic128_exchange\(")

    def test_cx16_atomics(self):
        m = self.ir("unsigned __int128 w; void f() { __atomic_fetch_or(&w, 1, 0); }", "-O2",
                    "-mcx16")
        self.assertRegex(m.function("_Z1fv"), r"@__goro_atomic128_fetch_or\(.*i32 0\)")

    def test_no_atomics_option(self):
        m = self.ir(self.SOURCE, "-O2", plugin_args=["no-atomics"])
        self.assertNoCall(m.function("load_acquire"), "__goro_atomic32_load")
        self.assertIn("load atomic", m.function("load_acquire"))

    def test_atomics_on_private_memory_stay(self):
        m = self.ir("""
            #include <atomic>
            int f() { std::atomic<int> local{1}; local.fetch_add(1); return local.load(); }
        """, "-O1")
        self.assertNoRaceHooks(m.function("_Z1fv").replace("@__goro_func_", "@x"))


class MemIntrinsicTest(PluginTest):
    """memcpy / memmove / memset."""

    SOURCE = """
        #include <cstring>
        char a[64], b[64];
        void copy(unsigned long n) { std::memcpy(a, b, n); }
        void move(unsigned long n) { std::memmove(a, a + 1, n); }
        void fill(unsigned long n) { std::memset(a, 7, n); }
        struct Big { int v[32]; };
        Big g1, g2;
        void assign() { g1 = g2; }
        int local_copy(int i) { int x[32] = {}, y[32]; x[i & 31] = i; std::memcpy(y, x, sizeof x); return y[3]; }
    """

    def test_intrinsics_are_replaced(self):
        for opt in ["-O0", "-O2"]:
            with self.subTest(opt=opt):
                m = self.ir(self.SOURCE, opt)
                self.assertCalls(m.function("_Z4copym"), "__goro_memcpy", 1)
                self.assertCalls(m.function("_Z4movem"), "__goro_memmove", 1)
                self.assertCalls(m.function("_Z4fillm"), "__goro_memset", 1)
                self.assertHookCall(m.function("_Z4fillm"), "__goro_memset", "i32 7, i64 %4" if opt == "-O0" else "i32 7, i64 %0")
                self.assertCalls(m.function("_Z6assignv"), "__goro_memcpy", 1)
                for name in ["_Z4copym", "_Z4movem", "_Z4fillm", "_Z6assignv"]:
                    self.assertNotIn("@llvm.mem", m.function(name))

    def test_copies_between_private_locals_are_left_alone(self):
        m = self.ir(self.SOURCE, "-O0")
        body = m.function("_Z10local_copyi")
        self.assertNoCall(body, "__goro_memcpy")
        self.assertNoCall(body, "__goro_memset")

    def test_libc_calls_are_replaced(self):
        m = self.ir(self.SOURCE, "-O2", "-fno-builtin")
        self.assertCalls(m.function("_Z4copym"), "__goro_memcpy", 1)
        self.assertNoCall(m.function("_Z4copym"), "memcpy")
        self.assertCalls(m.function("_Z4fillm"), "__goro_memset", 1)

    def test_fortify_variants_keep_their_check(self):
        m = self.ir("""
            #include <cstddef>
            extern "C" void* __memcpy_chk(void*, const void*, std::size_t, std::size_t);
            char a[8], b[8];
            void f(std::size_t n) { __memcpy_chk(a, b, n, sizeof a); }
        """, "-O0")
        body = m.function("_Z1fm")
        self.assertCalls(body, "__memcpy_chk", 1)
        self.assertCalls(body, "__goro_read_range", 1)
        self.assertCalls(body, "__goro_write_range", 1)

    def test_no_memintrinsics_option(self):
        m = self.ir(self.SOURCE, "-O2", plugin_args=["no-memintrinsics"])
        self.assertNoCall(m.function("_Z4copym"), "__goro_memcpy")
        self.assertIn("@llvm.memcpy", m.function("_Z4copym"))


class EntryExitTest(PluginTest):
    """__goro_func_enter / __goro_func_exit on every path."""

    def test_enter_with_return_address_and_exit_before_every_return(self):
        for opt in ["-O0", "-O2"]:
            with self.subTest(opt=opt):
                m = self.ir("""
                    int g; void ext();
                    __attribute__((noinline)) int f(int n) {
                      if (n == 1) return g;
                      if (n == 2) { ext(); return 2; }
                      g = n;
                      return 0;
                    }
                """, opt, "-fno-exceptions")
                body = m.function("_Z1fi")
                self.assertRegex(body, r"(%\d+) = call i8\* @llvm.returnaddress\(i32 0\)\n"
                                       r"\s+call void @__goro_func_enter\(i8\* \1\)")
                self.assertCalls(body, "__goro_func_enter", 1)
                rets = len(re.findall(r"^\s+ret ", body, re.M))
                self.assertGreaterEqual(rets, 1)
                self.assertEqual(len(re.findall(r"call void @__goro_func_exit\(\)\n\s+ret ", body)),
                                 rets, body)

    def test_exit_on_unwind(self):
        m = self.ir("""
            void may_throw();
            int g;
            void f() { g = 1; may_throw(); g = 2; }
        """)
        body = m.function("_Z1fv")
        self.assertRegex(body, r"invoke void @_Z9may_throwv\(\)")
        self.assertRegex(body, r"landingpad \{ i8\*, i32 \}\n\s+cleanup")
        self.assertRegex(body, r"call void @__goro_func_exit\(\)\n\s+resume ")
        self.assertIn("personality", body.splitlines()[0])

    def test_existing_landing_pads_resume_through_exit(self):
        m = self.ir("""
            struct D { ~D(); };
            void may_throw();
            void f() { D d; may_throw(); }
        """)
        body = m.function("_Z1fv")
        resumes = len(re.findall(r"^\s+resume ", body, re.M))
        self.assertEqual(len(re.findall(r"call void @__goro_func_exit\(\)\n\s+resume ", body)),
                         resumes)

    def test_nounwind_code_needs_no_landing_pad(self):
        m = self.ir("void ext(void); int g; void f(void) { g = 1; ext(); }", lang="c")
        body = m.function("f")
        self.assertCalls(body, "__goro_func_enter", 1)
        self.assertNotIn("landingpad", body)
        m = self.ir("void ext(); int g; void f() noexcept { g = 1; ext(); }")
        self.assertNotIn("resume", m.function("_Z1fv"))  # clang's own terminate pad only

    def test_leaf_without_accesses_has_no_pair(self):
        m = self.ir("int f(int a, int b) { return a * b; }", "-O2")
        self.assertNoRaceHooks(m.function("_Z1fii"))

    def test_slots_after_debug_intrinsics_stay_first_in_the_entry_block(self):
        # With -g, the slots of functions inlined into this one can follow a debug intrinsic in
        # the entry block. The calls made at entry must come after every one of them: a
        # whole-function variable's stack_live used to come before its slot (rejected by the
        # verifier; clang's register coalescer crashed), and the prologue check's split left the
        # later slots in another block, no longer static.
        source = """
            #include <goro/chan.hpp>
            #include <string>
            void relay(goro::chan<std::string> in, goro::chan<std::string> out) {
              for (auto r : in) out.send(r);
            }
        """
        for race in [True, False]:
            for opt in ["-O1", "-O2"]:
                with self.subTest(race=race, opt=opt):
                    m = self.ir(source, opt, "-g", race=race)
                    body = m.function("5relay")
                    entry = body.split("\n\n", 1)[0]
                    slots = len(re.findall(r"= alloca ", body))
                    self.assertGreater(slots, 0)
                    self.assertEqual(len(re.findall(r"= alloca ", entry)), slots, body)
                    first_other = re.search(r"^  (?!%\d+ = alloca )\S", entry, re.M)
                    self.assertNotRegex(entry[first_other.start():], r"= alloca ", entry)

    def test_no_func_entry_exit_option(self):
        m = self.ir("int g; void ext(); void f() { g = 1; ext(); }", plugin_args=["no-func-entry-exit"])
        body = m.function("_Z1fv")
        self.assertNoCall(body, "__goro_func_enter")
        self.assertNoCall(body, "__goro_func_exit")
        self.assertCalls(body, "__goro_write4", 1)


class NoInstrTest(PluginTest):
    """GORO_NOINSTR (the real macro from runtime/include/goro/config.hpp)."""

    SOURCE = """
        #include <atomic>
        #include <goro/config.hpp>
        std::atomic<int> state;
        long runtime_word, user_word;
        GORO_NOINSTR inline void runtime_op(long v) {
          runtime_word = v;
          state.fetch_add(1, std::memory_order_acquire);
          for (long i = 0; i < v; ++i) runtime_word += i;
        }
        __attribute__((noinline)) void user_op(long v) { runtime_op(v); user_word = v; }
    """

    def test_noinstr_function_is_not_instrumented(self):
        m = self.ir(self.SOURCE, "-O0")
        body = m.function("runtime_op")
        self.assertNoRaceHooks(body)
        self.assertNotIn("__goro_stack_guard", body)
        self.assertIn("atomicrmw add", body)
        self.assertIn("!nosanitize", body)

    def test_inlined_copies_stay_uninstrumented(self):
        for opt in ["-O1", "-O2", "-O3"]:
            with self.subTest(opt=opt):
                m = self.ir(self.SOURCE, opt)
                body = m.function("user_op")
                self.assertNotRegex(body, r"call .*runtime_op")  # inlined
                self.assertIn("atomicrmw add", body)
                self.assertNoCall(body, "__goro_atomic32_fetch_add")
                self.assertCalls(body, "__goro_write8", 1)  # user_word only
                self.assertNotRegex(body, r"@__goro_(read|write)8\(i8\* bitcast \(i64\* @runtime_word")

    def test_real_public_header(self):
        m = self.ir("""
            #define GORO_SYNC_INLINE_FAST_PATH 1
            #include <goro/sync.hpp>
            goro::Mutex mu;
            int counter;
            void f() { mu.lock(); ++counter; mu.unlock(); }
        """, "-O2")
        body = m.function("_Z1fv")
        self.assertNoCall(body, "__goro_atomic32_compare_exchange_val")
        self.assertNoCall(body, "__goro_atomic32_fetch_sub")
        self.assertCalls(body, "__goro_write4", 1)

    def test_goroutine_chan_argument_is_passed_in_a_register(self):
        # GORO_TRIVIAL_ABI: a by-value chan is no temporary in the frame that calls the goroutine's
        # function, so neither that frame nor the function checks an access to it.
        m = self.ir("""
            #include <goro/chan.hpp>
            __attribute__((noinline)) void worker(goro::chan<int> out) { out.send(1); }
            void start(const goro::chan<int>& c) { goro::go(worker, c); }
        """, "-O2", "-DGORO_RACE=1")
        for name in ["6invokeEPv", "6worker"]:
            with self.subTest(function=name):
                body = m.function(name)
                self.assertNotRegex(body, r"@__goro_(read|write)\d")
                self.assertNoCall(body, "__goro_stack_live")


class SafePointTest(PluginTest):
    """Stack checks and preemption points, in every build."""

    GUARD_LOAD = "load atomic volatile i64, i64* @__goro_stack_guard"

    def checks(self, body):
        return body.count(self.GUARD_LOAD)

    def test_guard_is_initial_exec_tls_read_volatile(self):
        m = self.ir("void ext(); void f() { ext(); }", race=False)
        self.assertIn("@__goro_stack_guard = external thread_local(initialexec) global i64", m.text)
        body = m.function("_Z1fv")
        self.assertEqual(self.checks(body), 1)
        self.assertRegex(body, r"call i64 @llvm.read_register.i64\(metadata ![0-9]+\)")
        self.assertRegex(body, r"icmp ult i64 %[^,]+, %")
        self.assertRegex(body, r"call void @__goro_stack_check_slow\(i64 %[^,]+, i64 \d+\) #(\d+)")
        self.assertRegex(m.text, r"declare void @__goro_stack_check_slow\(i64, i64\) #\d+")
        self.assertRegex(body, r"!prof")

    def test_prologue_check_precedes_func_enter(self):
        m = self.ir("void ext(); int g; void f() { g = 1; ext(); }")
        body = m.function("_Z1fv")
        self.assertLess(body.index(self.GUARD_LOAD), body.index("@__goro_func_enter"))

    def test_loop_back_edges_are_checked(self):
        for opt in ["-O0", "-O1", "-O2", "-O3", "-Os"]:
            with self.subTest(opt=opt):
                m = self.ir("""
                    void ext(int);
                    void f(int n) { for (int i = 0; i < n; ++i) ext(i); }
                    int a[1000];
                    void g(int n) { for (int i = 0; i < n; ++i) a[i] = a[i + 1] * 3; }
                    void h(int n) { for (;;) { for (int j = 0; j < n; ++j) ext(j); if (n) break; } }
                """, opt, race=False)
                self.assertGreaterEqual(self.checks(m.function("_Z1fi")), 2)  # prologue + loop
                self.assertGreaterEqual(self.checks(m.function("_Z1gi")), 2)
                self.assertGreaterEqual(self.checks(m.function("_Z1hi")), 2)

    def test_no_check_with_thread_local_or_errno(self):
        m = self.ir("""
            #include <errno.h>
            void ext(int);
            thread_local int tls;
            void t(int n) { for (int i = 0; i < n; ++i) { tls += i; ext(i); } }
            void e(int n) { for (int i = 0; i < n; ++i) { errno = i; ext(i); } }
            struct S { S(); int v; };
            thread_local S dynamic_tls;
            int w(int n) { int s = 0; for (int i = 0; i < n; ++i) s += dynamic_tls.v; ext(s); return s; }
        """, "-O0", race=False)
        for name in ["_Z1ti", "_Z1ei", "_Z1wi"]:
            self.assertEqual(self.checks(m.function(name)), 0, name)

    def test_small_leaf_has_no_prologue_check(self):
        m = self.ir("""
            int f(int a) { return a * 3; }
            int big(int i) { volatile char buf[512]; buf[i & 511] = 1; return buf[0]; }
        """, "-O0", race=False)
        self.assertEqual(self.checks(m.function("_Z1fi")), 0)
        self.assertEqual(self.checks(m.function("_Z3bigi")), 1)

    def test_dynamic_alloca_is_checked(self):
        m = self.ir("""
            void use(char*);
            void f(unsigned long n) { char* p = (char*)__builtin_alloca(n); use(p); }
        """, "-O2", race=False)
        self.assertEqual(self.checks(m.function("_Z1fm")), 2)

    def test_frame_pointer_everywhere(self):
        m = self.ir("""
            static int helper(int a) { return a + 1; }
            int f(int a) { return helper(a); }
            int g(int a) { return a; }
        """, "-O2", "-fomit-frame-pointer", race=False)
        for name, body in m.functions.items():
            attrs = re.search(r"#(\d+)", body.splitlines()[0]).group(1)
            self.assertRegex(m.text, r'attributes #%s = \{[^}]*"frame-pointer"="all"' % attrs, name)

    def test_opt_outs(self):
        m = self.ir("""
            #include <goro/config.hpp>
            void ext();
            GORO_NOINSTR void marked() { for (int i = 0; i < 3; ++i) ext(); }
            extern "C" void __goro_runtime_thing() { for (int i = 0; i < 3; ++i) ext(); }
            __attribute__((disable_sanitizer_instrumentation)) void disabled() { ext(); }
            __attribute__((naked)) void naked() { asm("ret"); }
            void normal() { ext(); }
        """, "-O0", race=False)
        for name in ["marked", "__goro_runtime_thing", "disabled", "naked"]:
            self.assertEqual(self.checks(m.function(name)), 0, name)
        self.assertEqual(self.checks(m.function("normal")), 1)

    def test_no_safepoints_option(self):
        m = self.ir("void ext(); void f() { for (;;) ext(); }", race=False,
                    plugin_args=["no-safepoints"])
        self.assertEqual(self.checks(m.function("_Z1fv")), 0)
        self.assertIn('"frame-pointer"="all"', m.text)

    def test_slow_path_is_cold_in_machine_code(self):
        self.compile("void ext(int); void f(int n) { for (int i = 0; i < n; ++i) ext(i); }",
                     "-O2", race=False, output="asm")
        asm = (self.tmp / "out").read_text()
        f = asm[asm.index("_Z1fi:"):asm.index(".Lfunc_end0")]
        # Each check is a %fs-relative load and a compare with %rsp that falls through when fine.
        self.assertGreaterEqual(len(re.findall(r"movq\s+%fs:", f)), 2, f)
        self.assertGreaterEqual(len(re.findall(r"cmpq\s+%\w+, %rsp", f)), 2, f)


class ModuleTest(PluginTest):
    """Module-level effects: flags, version references, the race constructor, options."""

    def test_flags_and_references(self):
        m = self.ir("int g; void f() { g = 1; }")
        for flag, value in [("goro.race", 1), ("goro.safepoints", 1), ("goro.instrumented", 1)]:
            self.assertRegex(m.text, r'!\{i32 7, !"%s", i32 %d\}' % (flag, value))
        self.assertIn("@__goro_instrumented_v1 = external constant i32", m.text)
        self.assertRegex(m.text, r"@llvm.used = .*@goro.instrumented_ref")
        self.assertRegex(m.text, r"@llvm.global_ctors = .*\{ i32 0, void \(\)\* @goro.race_ctor")
        self.assertCalls(m.function("goro.race_ctor"), "__goro_race_init_v1", 1)

    def test_plain_build_references_only_the_version(self):
        m = self.ir("int g; void f() { g = 1; }", race=False)
        self.assertRegex(m.text, r'!"goro.race", i32 0')
        self.assertIn("@__goro_instrumented_v1", m.text)
        self.assertNotIn("__goro_race_init_v1", m.text)
        self.assertNotIn("global_ctors", m.text)

    def test_never_instrumented_twice(self):
        m = self.ir("""
            #include <atomic>
            int g; std::atomic<int> a; void ext();
            void f(int n) { for (int i = 0; i < n; ++i) { g = i; a.fetch_add(1); ext(); } }
        """, "-O2")
        first = self.tmp / "first.ll"
        shutil.copy(self.tmp / "out", first)
        again = self.tmp / "again.ll"
        r = subprocess.run([OPTIONS.clang, "-O2", "-fpass-plugin=" + OPTIONS.plugin, "-S",
                            "-emit-llvm", str(first), "-o", str(again)],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        before, after = m.function("_Z1fi"), Module(again.read_text()).function("_Z1fi")
        for hook in ["__goro_write4", "__goro_atomic32_fetch_add", "__goro_func_enter",
                     "__goro_func_exit", "__goro_stack_check_slow"]:
            self.assertEqual(count_calls(after, hook), count_calls(before, hook), hook)

    def test_pass_plugin_alone_gets_default_options(self):
        src = self.tmp / "bare.c"
        src.write_text("void ext(void); int g; void f(void) { g = 1; for (;;) ext(); }\n")
        out = self.tmp / "bare.ll"
        r = subprocess.run([OPTIONS.cc, "-O1", "-fpass-plugin=" + OPTIONS.plugin, "-S", "-emit-llvm",
                            str(src), "-o", str(out)], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = Module(out.read_text())
        self.assertIn(SafePointTest.GUARD_LOAD, m.function("f"))
        self.assertNoRaceHooks(m.function("f"))

    def test_every_file_of_one_invocation_gets_the_options(self):
        # clang runs one compilation per file in the same process: each hands off its own options.
        for name in ["a", "b"]:
            (self.tmp / (name + ".cpp")).write_text("int %s_global; void %s() { %s_global = 1; }\n"
                                                    % (name, name, name))
        r = subprocess.run([OPTIONS.clang, "-fplugin=" + OPTIONS.plugin, "-fplugin-arg-goro-race",
                            "-O1", "-S", "-emit-llvm", "a.cpp", "b.cpp"], cwd=self.tmp,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ["a", "b"]:
            body = Module((self.tmp / (name + ".ll")).read_text()).function("_Z1%sv" % name)
            self.assertCalls(body, "__goro_write4", 1)

    def test_unknown_plugin_argument_is_an_error(self):
        r = self.compile("int x;", plugin_args=["bogus"], check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("goro plugin: unknown argument 'bogus'", r.stderr)

    def test_debug_locations_on_hooks(self):
        m = self.ir("int g;\nvoid f() {\n  g = 1;\n}\n", "-O2", "-g")
        self.assertRegex(m.function("_Z1fv"), r"call void @__goro_write4\(.*\), !dbg !\d+")

    def test_lto_objects_are_instrumented(self):
        if shutil.which("llvm-dis-14") is None:
            self.skipTest("llvm-dis-14 not installed")
        for lto in ["-flto", "-flto=thin"]:
            for opt in ["-O0", "-O2"]:
                with self.subTest(lto=lto, opt=opt):
                    self.compile("int g; void ext(); void f() { g = 1; for (;;) ext(); }", opt, lto,
                                 output="-c")
                    text = subprocess.run(["llvm-dis-14", str(self.tmp / "out"), "-o", "-"],
                                          capture_output=True, text=True, check=True).stdout
                    body = Module(text).function("_Z1fv")
                    self.assertCalls(body, "__goro_write4", 1)
                    self.assertIn(SafePointTest.GUARD_LOAD, body)


class PipelineTest(PluginTest):
    """Every -O level, with and without -g, C and C++, compiles to valid IR and objects: exceptions,
    setjmp, computed goto, asm goto, varargs, VLAs, coroutines, atomics, memcpy. The C++ object is
    generated from the instrumented IR the plugin just produced, rather than compiling the source a
    second time: the parse is most of a compile, and the back end sees the same module either way."""

    CXX = """
        #include <atomic>
        #include <cstring>
        #include <map>
        #include <setjmp.h>
        #include <stdexcept>
        #include <string>
        #include <vector>
        std::atomic<long> counter;
        std::map<int, std::string> names;
        jmp_buf env;
        int dispatch(int op, int v) {
          switch (op) { case 0: return v + 1; case 1: return v * 2; case 2: return -v; default: break; }
          static void* labels[] = {&&a, &&b};
          goto *labels[v & 1];
        a: return 1;
        b: return 2;
        }
        std::string describe(int n) {
          std::vector<int> v(n);
          for (int i = 0; i < n; ++i) v[i] = dispatch(i % 4, i);
          if (n > 100) throw std::runtime_error("too big");
          names[n] = std::to_string(v.empty() ? 0 : v.back());
          counter.fetch_add(n, std::memory_order_relaxed);
          char buf[64];
          std::memcpy(buf, names[n].data(), names[n].size() < 63 ? names[n].size() : 63);
          return std::string(buf, 2);
        }
        int jumps() { if (setjmp(env)) return 1; longjmp(env, 1); }
        __attribute__((noinline)) long sum(int n, ...) {
          __builtin_va_list ap; __builtin_va_start(ap, n);
          long s = 0; for (int i = 0; i < n; ++i) s += __builtin_va_arg(ap, int);
          __builtin_va_end(ap); return s;
        }
        int main() { try { describe(3); describe(1000); } catch (...) {} return sum(2, 1, 2) + jumps(); }
    """
    CORO = """
        #include <coroutine>
        struct task {
          struct promise_type {
            int value = 0;
            task get_return_object() {
              return {std::coroutine_handle<promise_type>::from_promise(*this)};
            }
            std::suspend_always initial_suspend() noexcept { return {}; }
            std::suspend_always final_suspend() noexcept { return {}; }
            std::suspend_always yield_value(int v) { value = v; return {}; }
            void return_void() {}
            void unhandled_exception() { throw; }
          };
          std::coroutine_handle<promise_type> h;
        };
        int g;
        task counter(int n) { for (int i = 0; i < n; ++i) { g += i; co_yield i; } }
        int drive() { task t = counter(5); int s = 0;
                      while (!t.h.done()) { t.h.resume(); s += t.h.promise().value; }
                      t.h.destroy(); return s; }
    """
    C = """
        #include <stdatomic.h>
        #include <string.h>
        _Atomic int hits; char buf[32];
        int f(int n) { int v[n]; for (int i = 0; i < n; ++i) { v[i] = i; atomic_fetch_add(&hits, 1); }
                       memset(buf, n, sizeof buf); return n ? v[n - 1] : 0; }
        void ext(int);
        void jumps(int n) {  /* a back-edge from asm goto (callbr): checked at the loop header */
          for (int i = 0; i < n; ++i) {
          again:
            asm goto("testl %0, %0; jne %l1" : : "r"(i) : : again);
            ext(i);
          }
        }
    """

    def test_matrix(self):
        for opt in ["-O0", "-O1", "-O2", "-O3", "-Os", "-Oz"]:
            for debug in [[], ["-g"]]:
                for race in [True, False]:
                    with self.subTest(opt=opt, debug=debug, race=race):
                        self.ir(self.CXX, opt, *debug, race=race)
                        self.codegen(self.tmp / "out", opt)
                        self.ir(self.C, opt, *debug, race=race, lang="c")
                        self.ir(self.CORO, opt, *debug, race=race)


class RunTest(PluginTest):
    """Programs built with the plugin, linked against the fake runtime, run."""

    PROGRAMS = {
        # program (its sources, joined by +): (plugin builds, -O levels)
        "atomics.cpp": (["race"], ["-O0", "-O1", "-O2", "-O3", "-O2 -mcx16", "-O2 -flto"]),
        "exceptions.cpp+exceptions_passthrough.cpp": (["race"], ["-O0", "-O1", "-O2", "-O3", "-O2 -flto"]),
        "memory.cpp": (["race"], ["-O0", "-O2", "-Os -fno-builtin", "-O2 -flto"]),
        "stack_lifetimes.cpp": (["race"], ["-O0", "-O1", "-O2"]),
        "noinstr.cpp": (["race"], ["-O0", "-O2", "-O3", "-O2 -flto"]),
        "safe_points.cpp": (["race", "plain"], ["-O0", "-O1", "-O2", "-O3", "-O2 -flto"]),
        "c_program.c": (["race"], ["-O0", "-O2", "-O2 -flto"]),
    }

    @classmethod
    def setUpClass(cls):
        cls.build = pathlib.Path(tempfile.mkdtemp(prefix="goro-instr-run-"))
        cls.fake = cls.build / "fake_runtime.o"
        subprocess.run([OPTIONS.cc, "-O1", "-c", "-I", str(ABI_INCLUDE), "-I", str(HERE),
                        str(HERE / "fake_runtime.c"), "-o", str(cls.fake)], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.build, True)

    def run_program(self, name, build, opt):
        sources = [str(HERE / "programs" / s) for s in name.split("+")]
        c = name.endswith(".c")
        exe = self.tmp / "prog"
        argv = [OPTIONS.cc if c else OPTIONS.clang, "-fplugin=" + OPTIONS.plugin]
        if build == "race":
            argv.append("-fplugin-arg-goro-race")
        if not c:
            argv.append("-std=c++20")
        argv += opt.split() + ["-Wno-atomic-alignment", "-I", str(HERE),
                               "-I", str(HERE / "programs")] + sources + [str(self.fake), "-o",
                               str(exe)]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, "%s\n%s" % (" ".join(argv), r.stderr))
        r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (0, "ok\n"), r.stderr)

    def test_programs(self):
        for name, (builds, opts) in self.PROGRAMS.items():
            for build in builds:
                for opt in opts:
                    with self.subTest(program=name, build=build, opt=opt):
                        self.run_program(name, build, opt)


class PluginLoadTest(unittest.TestCase):
    """The .so itself: every symbol it needs is in the clang process."""

    def test_undefined_symbols_resolve_in_clang(self):
        if shutil.which("nm") is None or shutil.which("ldd") is None:
            self.skipTest("binutils not installed")
        clang = shutil.which(OPTIONS.clang)
        libs = []
        for line in subprocess.run(["ldd", clang], capture_output=True, text=True,
                                   check=True).stdout.splitlines():
            m = re.search(r"=> (\S+)", line)
            if m:
                libs.append(m.group(1))
        defined = set()
        for lib in libs + [clang]:
            out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True,
                                 text=True).stdout
            defined.update(line.split()[-1].split("@")[0] for line in out.splitlines() if line)
        out = subprocess.run(["nm", "-D", "--undefined-only", OPTIONS.plugin], capture_output=True,
                             text=True, check=True).stdout
        weak = {"_ITM_deregisterTMCloneTable", "_ITM_registerTMCloneTable", "__gmon_start__",
                "__cxa_finalize"}
        missing = sorted(s for s in (line.split()[-1].split("@")[0] for line in out.splitlines())
                         if s not in defined and s not in weak)
        self.assertEqual(missing, [])

    def test_exports_the_pass_plugin_entry(self):
        out = subprocess.run(["nm", "-D", "--defined-only", OPTIONS.plugin], capture_output=True,
                             text=True, check=True).stdout
        self.assertIn("llvmGetPassPluginInfo", out)


def main():
    global OPTIONS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--clang", default="clang++-14")
    parser.add_argument("--cc", default="clang-14")
    parser.add_argument("--opt", default=shutil.which("opt-14"))
    OPTIONS, rest = parser.parse_known_args()
    OPTIONS.plugin = str(pathlib.Path(OPTIONS.plugin).resolve())
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
