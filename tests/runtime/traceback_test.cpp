// Stack walking, symbolization and Go-shaped tracebacks (runtime/src/debug/traceback.cpp and
// symbolize.cpp). The functions under test are real ones in this file, so names, files and lines
// are checked against what the compiler emitted; the frame filter is also checked on synthetic
// names.
#include "debug/traceback.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "debug/symbolize.hpp"

namespace tb_fixture {

// An empty asm that "uses" v and clobbers memory: keeps calls from becoming tail calls and
// functions from being folded together.
inline void keep(std::uintptr_t v) { asm volatile("" : : "r"(v) : "memory"); }

[[gnu::noinline]] std::uintptr_t return_address() {
  return reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
}

int g_call_site_line = 0;

// Returns a return address inside itself, on line g_call_site_line.
[[gnu::noinline]] std::uintptr_t call_site() {
  g_call_site_line = __LINE__ + 1;
  const std::uintptr_t pc = return_address();
  keep(pc);
  return pc;
}

int g_inlined_line = 0;

[[gnu::always_inline]] inline std::uintptr_t inlined_helper() {
  g_inlined_line = __LINE__ + 1;
  const std::uintptr_t pc = return_address();
  keep(pc);
  return pc;
}

[[gnu::noinline]] std::uintptr_t calls_inlined_helper() {
  const std::uintptr_t pc = inlined_helper();
  keep(pc);
  return pc;
}

struct stack_bounds {
  std::uintptr_t lo;
  std::uintptr_t hi;
};

stack_bounds this_thread_stack() {
  pthread_attr_t attr;
  pthread_getattr_np(pthread_self(), &attr);
  void* base = nullptr;
  std::size_t size = 0;
  pthread_attr_getstack(&attr, &base, &size);
  pthread_attr_destroy(&attr);
  const auto lo = reinterpret_cast<std::uintptr_t>(base);
  return {lo, lo + size};
}

struct walk_result {
  std::uintptr_t pcs[64];
  std::size_t n = 0;
};

[[gnu::noinline]] void innermost(walk_result& w) {
  const stack_bounds b = this_thread_stack();
  const auto fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  w.n = goro::debug::walk_frame_pointers(return_address(), fp, b.lo, b.hi, w.pcs, 64);
  keep(w.n);
}

[[gnu::noinline]] void middle(walk_result& w) {
  innermost(w);
  keep(w.n);
}

[[gnu::noinline]] void outer(walk_result& w) {
  middle(w);
  keep(w.n);
}

[[gnu::noinline]] std::size_t collect_here(std::uintptr_t* out, std::size_t max, int skip) {
  const std::size_t n = goro::debug::current_stack(out, max, skip);
  keep(n);
  return n;
}

std::uintptr_t g_sort_pcs[64];
std::size_t g_sort_n = 0;

// Called by libc's qsort, which is built without frame pointers.
int compare_and_collect(const void* a, const void* b) {
  if (g_sort_n == 0) g_sort_n = goro::debug::current_stack(g_sort_pcs, 64, 0);
  return *static_cast<const int*>(a) - *static_cast<const int*>(b);
}

[[gnu::noinline]] void sort_with_libc() {
  int values[] = {3, 1, 2};
  std::qsort(values, 3, sizeof(int), compare_and_collect);
  keep(static_cast<std::uintptr_t>(values[0]));
}

}  // namespace tb_fixture

// A stand-in for a runtime function: its name puts it in the hidden goro::detail namespace.
namespace goro::detail {
[[gnu::noinline]] std::size_t traceback_test_park(std::uintptr_t* out, std::size_t max) {
  const std::size_t n = goro::debug::current_stack(out, max, 0);
  tb_fixture::keep(n);
  return n;
}
}  // namespace goro::detail

namespace tb_fixture {
[[gnu::noinline]] std::size_t user_blocking(std::uintptr_t* out, std::size_t max) {
  const std::size_t n = goro::detail::traceback_test_park(out, max);
  keep(n);
  return n;
}
}  // namespace tb_fixture

namespace {

using namespace goro::debug;

bool ends_with(const std::string& s, std::string_view suffix) { return s.ends_with(suffix); }

std::vector<std::string> functions(const std::uintptr_t* pcs, std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back(symbolize(pcs[i]).function);
  return names;
}

// Index of the first name starting with prefix, or -1.
int find_function(const std::vector<std::string>& names, std::string_view prefix) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].starts_with(prefix)) return static_cast<int>(i);
  }
  return -1;
}

TEST(Symbolize, NamesTheCallerOfAReturnAddressWithFileAndLine) {
  const std::uintptr_t pc = tb_fixture::call_site();
  const frame f = symbolize(pc);
  EXPECT_EQ(f.function, "tb_fixture::call_site()");
  EXPECT_TRUE(ends_with(f.file, "tests/runtime/traceback_test.cpp")) << f.file;
  EXPECT_EQ(f.line, tb_fixture::g_call_site_line);
  EXPECT_EQ(f.pc, pc);
  EXPECT_EQ(f.offset, pc - reinterpret_cast<std::uintptr_t>(&tb_fixture::call_site));
}

TEST(Symbolize, OffsetIsDistanceFromFunctionStart) {
  const auto start = reinterpret_cast<std::uintptr_t>(&tb_fixture::call_site);
  const frame f = symbolize(start + 1);
  EXPECT_EQ(f.function, "tb_fixture::call_site()");
  EXPECT_EQ(f.offset, 1u);
  EXPECT_GT(f.line, 0);
}

TEST(Symbolize, CachesEachPcOnce) {
  const std::uintptr_t pc = tb_fixture::call_site();
  EXPECT_EQ(&symbolize_inlined(pc), &symbolize_inlined(pc));
}

TEST(Symbolize, UnknownPcIsQuestionMarks) {
  for (std::uintptr_t pc : {std::uintptr_t{0}, std::uintptr_t{0x10}}) {
    const frame f = symbolize(pc);
    EXPECT_EQ(f.function, "??");
    EXPECT_EQ(f.file, "");
    EXPECT_EQ(f.line, 0);
  }
}

TEST(Symbolize, ExpandsInlinedFramesInnermostFirst) {
  const std::uintptr_t pc = tb_fixture::calls_inlined_helper();
  const std::vector<frame>& chain = symbolize_inlined(pc);
  ASSERT_GE(chain.size(), 2u);
  EXPECT_EQ(chain.front().function, "tb_fixture::inlined_helper()");
  EXPECT_EQ(chain.front().line, tb_fixture::g_inlined_line);
  EXPECT_EQ(chain.back().function, "tb_fixture::calls_inlined_helper()");
  EXPECT_EQ(symbolize(pc).function, "tb_fixture::calls_inlined_helper()");
}

TEST(Symbolize, ConcurrentCallersAgree) {
  const std::uintptr_t pcs[] = {tb_fixture::call_site(), tb_fixture::calls_inlined_helper(),
                                reinterpret_cast<std::uintptr_t>(&tb_fixture::outer) + 1};
  std::vector<std::thread> threads;
  std::vector<std::string> seen(4 * std::size(pcs));
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < std::size(pcs); ++i) {
        seen[t * std::size(pcs) + i] = symbolize(pcs[i]).function;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], symbolize(pcs[i % std::size(pcs)]).function);
  }
}

TEST(Symbolize, LlvmSymbolizerFallbackAgreesWithLibbacktrace) {
  if (std::system("command -v llvm-symbolizer-14 >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "llvm-symbolizer-14 not installed";
  }
  const std::uintptr_t pc = tb_fixture::call_site();
  const std::vector<frame> chain = symbolize_with_llvm_symbolizer(pc);
  ASSERT_FALSE(chain.empty());
  EXPECT_EQ(chain.back().function, "tb_fixture::call_site()");
  EXPECT_TRUE(ends_with(chain.back().file, "tests/runtime/traceback_test.cpp"))
      << chain.back().file;
  EXPECT_EQ(chain.back().line, tb_fixture::g_call_site_line);
}

TEST(WalkFramePointers, FindsCallersInOrder) {
  tb_fixture::walk_result w;
  tb_fixture::outer(w);
  const std::vector<std::string> names = functions(w.pcs, w.n);
  const int inner = find_function(names, "tb_fixture::innermost(");
  const int mid = find_function(names, "tb_fixture::middle(");
  const int out = find_function(names, "tb_fixture::outer(");
  EXPECT_EQ(inner, 0);
  EXPECT_EQ(mid, 1);
  EXPECT_EQ(out, 2);
  EXPECT_NE(
      find_function(names, "(anonymous namespace)::WalkFramePointers_FindsCallersInOrder_Test::"),
      -1);
}

TEST(WalkFramePointers, StopsWhenFpIsOutsideBounds) {
  const auto fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  std::uintptr_t pcs[8];
  EXPECT_EQ(walk_frame_pointers(0x1234, fp, fp + 4096, fp + 8192, pcs, 8), 1u);
  EXPECT_EQ(pcs[0], 0x1234u);
  EXPECT_EQ(walk_frame_pointers(0x1234, fp, fp - 8192, fp, pcs, 8), 1u);
  EXPECT_EQ(walk_frame_pointers(0x1234, fp, 0, 0, pcs, 0), 0u);
}

// A fake stack: records at slots 2, 6 and 10 chain upwards with return addresses 0x1111, 0x2222,
// 0x3333; the third record's caller fp is what each case varies.
TEST(WalkFramePointers, StopsOnACorruptChain) {
  alignas(16) std::uintptr_t stack[16] = {};
  const auto slot = [&](int i) { return reinterpret_cast<std::uintptr_t>(&stack[i]); };
  const std::uintptr_t lo = slot(0);
  const std::uintptr_t hi = lo + sizeof stack;
  const std::vector<std::uintptr_t> three = {0xaaaa, 0x1111, 0x2222, 0x3333};
  struct test_case {
    const char* name;
    std::uintptr_t third_caller_fp;
    std::vector<std::uintptr_t> want;
  };
  const test_case cases[] = {
      {"leaves bounds", hi + 64, three},
      {"record straddles hi", slot(15), three},
      {"goes down", slot(4), three},
      {"stays put", slot(10), three},
      {"misaligned", slot(12) + 1, three},
      {"null", 0, three},
      {"climbs to a last record", slot(12), {0xaaaa, 0x1111, 0x2222, 0x3333, 0x4444}},
  };
  for (const test_case& c : cases) {
    std::fill(std::begin(stack), std::end(stack), 0);
    stack[2] = slot(6), stack[3] = 0x1111;
    stack[6] = slot(10), stack[7] = 0x2222;
    stack[10] = c.third_caller_fp, stack[11] = 0x3333;
    stack[12] = 0, stack[13] = 0x4444;
    std::uintptr_t pcs[16];
    const std::size_t n = walk_frame_pointers(0xaaaa, slot(2), lo, hi, pcs, 16);
    EXPECT_EQ(std::vector<std::uintptr_t>(pcs, pcs + n), c.want) << c.name;
  }
  std::uintptr_t pcs[2];
  EXPECT_EQ(walk_frame_pointers(0xaaaa, slot(2), lo, hi, pcs, 2), 2u) << "max";
}

TEST(CurrentStack, StartsAtTheCallerAndSkipDropsFrames) {
  std::uintptr_t pcs[64];
  std::size_t n = tb_fixture::collect_here(pcs, 64, 0);
  ASSERT_GE(n, 2u);
  EXPECT_EQ(symbolize(pcs[0]).function,
            "tb_fixture::collect_here(unsigned long*, unsigned long, int)");
  EXPECT_EQ(
      symbolize(pcs[1]).function,
      "(anonymous namespace)::CurrentStack_StartsAtTheCallerAndSkipDropsFrames_Test::TestBody()");

  n = tb_fixture::collect_here(pcs, 64, 1);
  ASSERT_GE(n, 1u);
  EXPECT_EQ(
      symbolize(pcs[0]).function,
      "(anonymous namespace)::CurrentStack_StartsAtTheCallerAndSkipDropsFrames_Test::TestBody()");
  EXPECT_EQ(tb_fixture::collect_here(pcs, 3, 0), 3u);
}

TEST(CurrentStack, CrossesLibcFramesWithoutFramePointers) {
  tb_fixture::g_sort_n = 0;
  tb_fixture::sort_with_libc();
  const std::vector<std::string> names = functions(tb_fixture::g_sort_pcs, tb_fixture::g_sort_n);
  const int sorter = find_function(names, "tb_fixture::sort_with_libc()");
  const int test = find_function(names, "(anonymous namespace)::CurrentStack_CrossesLibc");
  EXPECT_EQ(find_function(names, "tb_fixture::compare_and_collect("), 0);
  EXPECT_GT(sorter, 1) << "qsort's frames sit between the comparator and its caller";
  EXPECT_EQ(test, sorter + 1);
}

TEST(AppendTraceback, PrintsGoShapedFrames) {
  const std::uintptr_t pc = tb_fixture::call_site();
  std::string out;
  append_traceback(out, &pc, 1);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      out, m,
      std::regex(R"(tb_fixture::call_site\(\)\n)"
                 R"(\t.*tests/runtime/traceback_test\.cpp:(\d+) \+0x[0-9a-f]+\n)")))
      << out;
  EXPECT_EQ(std::stoi(m[1]), tb_fixture::g_call_site_line);
}

TEST(AppendTraceback, PrintsUnknownFramesWithTheirPc) {
  const std::uintptr_t pc = 0x10;
  std::string out;
  append_traceback(out, &pc, 1);
  EXPECT_EQ(out, "??\n\t??:0 pc=0x10\n");
}

TEST(AppendTraceback, ElidesFramesPastGosHundred) {
  std::vector<std::uintptr_t> pcs(kTracebackSlots, 0x10);
  const std::string one = "??\n\t??:0 pc=0x10\n";
  std::string full;
  append_traceback(full, pcs.data(), kTracebackFrames);
  EXPECT_EQ(full.size(), kTracebackFrames * one.size()) << "100 frames, no mark";
  std::string cut;
  append_traceback(cut, pcs.data(), kTracebackSlots);
  EXPECT_EQ(cut, full + "...additional frames elided...\n");
}

TEST(AppendTraceback, HidesRuntimeFramesAtTheTopAndProcessStartAtTheBottom) {
  std::uintptr_t pcs[64];
  const std::size_t n = tb_fixture::user_blocking(pcs, 64);
  ASSERT_EQ(symbolize(pcs[0]).function,
            "goro::detail::traceback_test_park(unsigned long*, unsigned long)");
  std::string out;
  append_traceback(out, pcs, n);
  EXPECT_TRUE(out.starts_with("tb_fixture::user_blocking(unsigned long*, unsigned long)\n\t"))
      << out;
  EXPECT_EQ(out.find("goro::detail::"), std::string::npos) << out;
  EXPECT_EQ(out.find("__libc_start"), std::string::npos) << out;
  EXPECT_NE(out.find("\nmain\n\t"), std::string::npos) << out;
}

TEST(AppendCreatedBy, NamesTheCreatorAndItsGoroutine) {
  const std::uintptr_t pc = tb_fixture::call_site();
  std::string out;
  append_created_by(out, pc, 7);
  EXPECT_TRUE(std::regex_match(
      out, std::regex(R"(created by tb_fixture::call_site\(\) in goroutine 7\n)"
                      R"(\t.*tests/runtime/traceback_test\.cpp:\d+ \+0x[0-9a-f]+\n)")))
      << out;

  out.clear();
  append_created_by(out, pc, 0);
  EXPECT_TRUE(out.starts_with("created by tb_fixture::call_site()\n\t")) << out;

  out.clear();
  append_created_by(out, 0, 3);
  EXPECT_EQ(out, "");
}

TEST(IsRuntimeFrame, MatchesRuntimeNamespacesAbiAndThreadStart) {
  struct test_case {
    const char* function;
    bool runtime;
  };
  const test_case cases[] = {
      {"goro::detail::park(goro::sched::wait_reason)", true},
      {"goro::debug::current_stack(unsigned long*, unsigned long, int)", true},
      {"goro::sched::schedule()", true},
      {"goro::internal::chan_recv(void*, void*)", true},
      {"boost::context::detail::fiber_entry<int>(boost::context::detail::transfer_t)", true},
      {"void goro::detail::spawn<main::$_0>(main::$_0&&)", true},
      {"unsigned long goro::detail::f<int>(int)", true},
      {"__cxa_throw", true},
      {"__gxx_personality_v0", true},
      {"_Unwind_RaiseException", true},
      {"std::terminate()", true},
      {"__cxxabiv1::__terminate(void (*)())", true},
      {"jump_fcontext", true},
      {"make_fcontext", true},
      {"start_thread", true},
      {"clone", true},
      {"clone3", true},
      {"__goro_read8", true},
      {"goro::chan<int>::recv() const", true},  // the API is hidden too, as Go hides chanrecv1
      {"goro::Mutex::lock()", true},
      {"void goro::go<main::$_0>(main::$_0&&)", true},
      {"main::$_0::operator()() const", false},
      {"increment(int*)", false},
      {"main", false},
      {"clone_tree(node*)", false},
      {"start_thread_pool()", false},
      {"std::vector<goro::detail::g*> user::collect()", false},
      {"user::f(goro::detail::handle)", false},
      {"std::vector<int, std::allocator<int> >::at(unsigned long)", false},
      {"(anonymous namespace)::helper()", false},
      {"operator new(unsigned long)", false},
      {"??", false},
  };
  for (const test_case& c : cases) EXPECT_EQ(is_runtime_frame(c.function), c.runtime) << c.function;
}

// The names of the frames that `drop` (drop_runtime_frames, drop_creation_glue) keeps of names.
std::vector<std::string> kept_after(void (*drop)(std::vector<const frame*>&),
                                    const std::vector<std::string>& names) {
  std::vector<frame> storage(names.size());
  std::vector<const frame*> frames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    storage[i].function = names[i];
    frames.push_back(&storage[i]);
  }
  drop(frames);
  std::vector<std::string> kept;
  for (const frame* f : frames) kept.push_back(f->function);
  return kept;
}

TEST(DropRuntimeFrames, KeepsWhatGoWouldShow) {
  struct test_case {
    const char* name;
    std::vector<std::string> stack;  // innermost first
    std::vector<std::string> want;
  };
  const test_case cases[] = {
      {"panic through std::terminate, goroutine entry below",
       {"goro::debug::current_stack(unsigned long*, unsigned long, int)",
        "goro::detail::on_terminate()", "__cxxabiv1::__terminate(void (*)())", "std::terminate()",
        "__cxa_throw", "goro::panic(std::basic_string_view<char, std::char_traits<char> >)",
        "work()", "main::$_0::operator()() const",
        "void std::__invoke_impl<void, main::$_0&>(std::__invoke_other, main::$_0&)",
        "goro::detail::closure<main::$_0>::run(void*)", "make_fcontext"},
       {"work()", "main::$_0::operator()() const"}},
      {"library glue between runtime frames at the top",
       {"goro::sched::park()",
        "std::_Function_handler<void (), goro::detail::x>::_M_invoke(std::_Any_data const&)",
        "goro::detail::chan_recv(void*)", "goro::chan<int>::recv() const", "consumer()"},
       {"consumer()"}},
      {"library frames after the last runtime frame stay",
       {"__cxa_throw", "std::__throw_out_of_range_fmt(char const*, ...)",
        "std::vector<int, std::allocator<int> >::at(unsigned long)", "lookup()"},
       {"std::__throw_out_of_range_fmt(char const*, ...)",
        "std::vector<int, std::allocator<int> >::at(unsigned long)", "lookup()"}},
      {"runtime frames in the middle go one by one",
       {"a()", "goro::detail::middle()", "b()"},
       {"a()", "b()"}},
      {"a std::thread's start",
       {"worker()", "void std::__invoke_impl<void, void (*)()>(std::__invoke_other, void (*&&)())",
        "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()",
        "start_thread", "clone3"},
       {"worker()"}},
      {"a std::thread's start in libstdc++, without symbols (a race report's shadow stack)",
       {"worker()", "void std::__invoke_impl<void, void (*)()>(std::__invoke_other, void (*&&)())",
        "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()",
        "??"},
       {"worker()"}},
      {"library frames at the bottom without runtime stay",
       {"f()", "std::sort(int*, int*)"},
       {"f()", "std::sort(int*, int*)"}},
      {"unknown frames at the top are library code",
       {"goro::detail::on_terminate()", "??", "std::terminate()", "__cxa_throw", "??", "f()"},
       {"??", "f()"}},
      {"unknown frames in the middle stay", {"f()", "??", "g()"}, {"f()", "??", "g()"}},
      {"unknown frames are the user's when nothing else is",
       {"goro::detail::x()", "??", "??", "goro::detail::entry()"},
       {"??", "??"}},
      {"only runtime", {"goro::detail::x()", "clone"}, {}},
  };
  for (const test_case& c : cases)
    EXPECT_EQ(kept_after(drop_runtime_frames, c.stack), c.want) << c.name;
}

TEST(DropCreationGlue, StartsAtTheUsersCall) {
  EXPECT_EQ(kept_after(drop_creation_glue,
                       {"std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, "
                        "std::default_delete<std::thread::_State> >, void (*)())",
                        "std::thread::thread<main::$_1, , void>(main::$_1&&)", "main"}),
            std::vector<std::string>{"main"});
  EXPECT_EQ(kept_after(drop_creation_glue, {"??", "std::async<void (*)()>(void (*&&)())",
                                            "spawn_all()", "std::for_each(int*, int*)", "main"}),
            (std::vector<std::string>{"spawn_all()", "std::for_each(int*, int*)", "main"}));
  EXPECT_EQ(kept_after(drop_creation_glue, {"main"}), std::vector<std::string>{"main"});
  EXPECT_EQ(kept_after(drop_creation_glue, {"std::thread::thread<f>(f&&)", "??"}),
            (std::vector<std::string>{"std::thread::thread<f>(f&&)", "??"}));
}

}  // namespace
