// Stack walking and Go-shaped tracebacks.
//
// Two walkers, because the two kinds of stack differ:
//  - A parked goroutine is not running, so there is no live register context to hand an unwinder;
//    what park() saved is its pc and frame pointer. Everything goro runs is built with frame
//    pointers, so the chain [fp] -> caller's fp, [fp+8] -> return address leads from park() down to
//    the goroutine's entry. Two loads per frame, which matters for a dump of a million goroutines,
//    and every load is bounds-checked against the goroutine's stack, so a torn chain ends the walk
//    instead of faulting. The chain must climb strictly (stacks grow down), which rules out cycles.
//  - The calling thread (panic, std::terminate, a race report's current stack) is walked with the
//    DWARF unwinder, _Unwind_Backtrace: its stack passes through libstdc++ and libc code built
//    without frame pointers (__cxa_throw, __cxxabiv1::__terminate, qsort), where a frame-pointer
//    walk would lose the user's frames.
//
// Hiding the runtime: Go's tracebacks start at the user's code, so frames of goro's internals, the
// C++ ABI, the unwinder and thread start are dropped (is_runtime_frame lists them), matched on the
// demangled name after any return type a function template's name carries. Dropping runtime frames
// one by one would leave the library glue between them (std::function frames around a runtime
// callback, the std::invoke frames between a goroutine's entry and the user's function), so at the
// top and at the bottom of a stack whole runs of runtime and library frames go
// (drop_runtime_frames).
#include "debug/traceback.hpp"

#include <unwind.h>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace goro::debug {
namespace {

// A frame record: the caller's saved fp, then the return address into the caller.
constexpr std::uintptr_t kFrameRecordBytes = 2 * sizeof(std::uintptr_t);

bool frame_record_inside(std::uintptr_t fp, std::uintptr_t lo, std::uintptr_t hi) {
  return fp % alignof(std::uintptr_t) == 0 && fp >= lo && hi >= kFrameRecordBytes &&
         fp <= hi - kFrameRecordBytes;
}

struct unwind_walk {
  std::uintptr_t* out;
  std::size_t max;
  std::size_t n;
  int skip;
};

_Unwind_Reason_Code on_unwound_frame(_Unwind_Context* context, void* arg) {
  auto* walk = static_cast<unwind_walk*>(arg);
  int before_instruction = 0;
  const std::uintptr_t pc = _Unwind_GetIPInfo(context, &before_instruction);
  if (pc == 0) return _URC_END_OF_STACK;
  if (walk->skip > 0) {
    --walk->skip;
    return _URC_NO_REASON;
  }
  // A signal frame's pc is the interrupted instruction itself, not a return address; one past it
  // makes symbolize()'s step back land on it.
  walk->out[walk->n++] = before_instruction != 0 ? pc + 1 : pc;
  return walk->n == walk->max ? _URC_END_OF_STACK : _URC_NO_REASON;
}

// Prefixes of demangled names that belong to the runtime (see is_runtime_frame).
// Everything in namespace goro is the runtime or its API, hidden as Go hides runtime.chanrecv1 and
// runtime.gopark: a dump shows the user's frames only.
constexpr std::string_view kRuntimePrefixes[] = {
    "goro::",        "boost::context::", "__cxa_",       "__gxx_",
    "_Unwind_",      "std::terminate",   "__cxxabiv1::", "jump_fcontext",
    "make_fcontext", "ontop_fcontext",   "__libc_start", "__goro_",
};

// C symbols of thread start, matched whole so that a user's clone_tree() stays visible.
constexpr std::string_view kRuntimeSymbols[] = {
    "clone", "clone3", "__clone", "__clone3", "__clone_internal", "start_thread", "_start",
};

// The qualified name in a demangled signature: a function template's return type dropped
// ("void goro::detail::spawn<F>(F&&)" -> "goro::detail::spawn<F>(F&&)"). The name starts after the
// last space outside brackets before the parameter list, except the one in "operator new".
std::string_view qualified_name(std::string_view function) {
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i < function.size(); ++i) {
    switch (function[i]) {
      case '(':
        // "decltype(auto) std::apply<...>(...)": a decltype return type is not the parameter list.
        if (depth == 0 && i > start && function.substr(start, i - start) != "decltype") {
          return function.substr(start);
        }
        ++depth;
        break;
      case '<':
      case '[':
      case '{':
        ++depth;
        break;
      case ')':
      case '>':
      case ']':
      case '}':
        --depth;
        break;
      case ' ':
        if (depth == 0 && !function.substr(0, i).ends_with("operator")) start = i + 1;
        break;
      default:
        break;
    }
  }
  return function.substr(start);
}

// Standard-library code and reserved ("__") names: neither the runtime nor the user's code.
bool is_library_frame(std::string_view function) {
  const std::string_view name = qualified_name(function);
  return name.starts_with("std::") || name.starts_with("__gnu_cxx::") || name.starts_with("__");
}

enum class frame_kind : std::uint8_t { user, library, runtime, unknown };

frame_kind classify(const frame& f) {
  if (f.function == "??") return frame_kind::unknown;
  if (is_runtime_frame(f.function)) return frame_kind::runtime;
  if (is_library_frame(f.function)) return frame_kind::library;
  return frame_kind::user;
}

void append_hex(std::string& out, std::uintptr_t value) {
  char digits[2 * sizeof value];
  const auto result = std::to_chars(std::begin(digits), std::end(digits), value, 16);
  out += "0x";
  out.append(digits, result.ptr);
}

void append_decimal(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(std::begin(digits), std::end(digits), value);
  out.append(digits, result.ptr);
}

// "\t<file>:<line> +0x<offset>\n", or "\t??:0 pc=0x<pc>\n" for a frame nothing could name.
void append_location(std::string& out, const frame& f) {
  out += '\t';
  if (f.function == "??") {
    out += "??:0 pc=";
    append_hex(out, f.pc);
    out += '\n';
    return;
  }
  out += f.file.empty() ? "??" : f.file;
  out += ':';
  append_decimal(out, f.line);
  out += " +";
  append_hex(out, f.offset);
  out += '\n';
}

}  // namespace

// Not instrumented by AddressSanitizer or ThreadSanitizer: a stale chain may point into another
// frame's redzone, which is in bounds and harmless to read here, and a dump reads the stacks of
// goroutines parked on other threads without synchronising with them (a best-effort snapshot).
__attribute__((no_sanitize("address", "thread"))) std::size_t walk_frame_pointers(
    std::uintptr_t pc, std::uintptr_t fp, std::uintptr_t lo, std::uintptr_t hi, std::uintptr_t* out,
    std::size_t max) {
  if (max == 0) return 0;
  std::size_t n = 0;
  out[n++] = pc;
  while (n < max && frame_record_inside(fp, lo, hi)) {
    const auto* record = reinterpret_cast<const std::uintptr_t*>(fp);
    const std::uintptr_t caller_fp = record[0];
    const std::uintptr_t return_pc = record[1];
    if (return_pc == 0) break;
    out[n++] = return_pc;
    if (caller_fp <= fp) break;
    fp = caller_fp;
  }
  return n;
}

// noinline: the first frame the unwinder reports is this function's, which skip accounts for.
[[gnu::noinline]] std::size_t current_stack(std::uintptr_t* out, std::size_t max, int skip) {
  if (max == 0) return 0;
  unwind_walk walk{out, max, 0, std::max(skip, 0) + 1};
  _Unwind_Backtrace(on_unwound_frame, &walk);
  return walk.n;
}

bool is_runtime_frame(std::string_view function) {
  if (std::find(std::begin(kRuntimeSymbols), std::end(kRuntimeSymbols), function) !=
      std::end(kRuntimeSymbols)) {
    return true;
  }
  const std::string_view name = qualified_name(function);
  return std::any_of(std::begin(kRuntimePrefixes), std::end(kRuntimePrefixes),
                     [name](std::string_view prefix) { return name.starts_with(prefix); });
}

void drop_runtime_frames(std::vector<const frame*>& frames) {
  std::vector<frame_kind> kinds;
  kinds.reserve(frames.size());
  for (const frame* f : frames) kinds.push_back(classify(*f));
  // Frames nothing could name are mostly static functions of libstdc++ and libc (__terminate, for
  // one), so they count as library code; but if nothing in the stack could be named as the user's,
  // they are the user's code built without symbols and must not vanish.
  const bool named_user = std::find(kinds.begin(), kinds.end(), frame_kind::user) != kinds.end();
  // An unnamed outermost frame under named user code is where a thread began in a library without
  // symbols: a race report's stack of a std::thread ends at the return into libstdc++'s static
  // thread routine, as a full unwind ends at start_thread. It is thread start, and goes with the
  // glue above it.
  if (named_user && kinds.back() == frame_kind::unknown) kinds.back() = frame_kind::runtime;
  for (frame_kind& k : kinds) {
    if (k == frame_kind::unknown) k = named_user ? frame_kind::library : frame_kind::user;
  }

  std::size_t first = 0;  // top: through the last runtime frame before the first user frame
  for (std::size_t i = 0; i < kinds.size() && kinds[i] != frame_kind::user; ++i) {
    if (kinds[i] == frame_kind::runtime) first = i + 1;
  }
  std::size_t last =
      kinds.size();  // bottom: the frames below the last user frame, if runtime is there
  bool runtime_below = false;
  while (last > first && kinds[last - 1] != frame_kind::user) {
    runtime_below |= kinds[--last] == frame_kind::runtime;
  }
  if (!runtime_below) last = kinds.size();

  std::vector<const frame*> kept;
  kept.reserve(last - first);
  for (std::size_t i = first; i < last; ++i) {
    if (kinds[i] != frame_kind::runtime) kept.push_back(frames[i]);
  }
  frames = std::move(kept);
}

void drop_creation_glue(std::vector<const frame*>& frames) {
  const auto first_user = std::find_if(frames.begin(), frames.end(), [](const frame* f) {
    return classify(*f) == frame_kind::user;
  });
  if (first_user != frames.end()) frames.erase(frames.begin(), first_user);
}

std::vector<const frame*> visible_frames(const std::uintptr_t* pcs, std::size_t n) {
  std::vector<const frame*> frames;
  frames.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const frame& f : symbolize_inlined(pcs[i])) frames.push_back(&f);
  }
  drop_runtime_frames(frames);
  return frames;
}

void append_traceback(std::string& out, const std::uintptr_t* pcs, std::size_t n) {
  const bool elided = n > kTracebackFrames;
  for (const frame* f : visible_frames(pcs, elided ? kTracebackFrames : n)) {
    out += f->function;
    out += '\n';
    append_location(out, *f);
  }
  if (elided) out += "...additional frames elided...\n";
}

void append_created_by(std::string& out, std::uintptr_t pc, std::int64_t parent_goid) {
  if (pc == 0) return;
  // The go statement's pc lies in the user's function, often with goro::go and friends inlined
  // into it: name the innermost frame that is not the runtime's.
  const auto& frames = symbolize_inlined(pc);
  const frame* chosen = &frames.back();
  for (const frame& f : frames) {
    if (!is_runtime_frame(f.function)) {
      chosen = &f;
      break;
    }
  }
  const frame& f = *chosen;
  out += "created by ";
  out += f.function;
  if (parent_goid != 0) {
    out += " in goroutine ";
    append_decimal(out, parent_goid);
  }
  out += '\n';
  append_location(out, f);
}

}  // namespace goro::debug
