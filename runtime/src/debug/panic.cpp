// Unrecovered panics: an exception escaping a goroutine's function. The goroutine's first frame has
// no unwind information (sched/trampoline.cpp), so the C++ runtime finds no handler and calls
// std::terminate at the throw site, stack intact; this handler prints Go's "panic: <what()>" with
// that stack and exits 2.
#include "debug/panic.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "debug/fatal.hpp"
#include "debug/traceback.hpp"

namespace goro::debug {
namespace {

std::string demangled(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string s = status == 0 && d != nullptr ? d : name;
  std::free(d);
  return s;
}

std::string describe_current_exception() {
  std::exception_ptr e = std::current_exception();
  if (!e) return "std::terminate called without an active exception";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    const std::type_info* t = abi::__cxa_current_exception_type();
    return t != nullptr ? demangled(t->name()) : "unknown exception";
  }
}

[[noreturn]] void on_terminate() {
  std::uintptr_t pcs[kTracebackSlots];
  std::size_t n = current_stack(pcs, kTracebackSlots, 0);
  die_with_panic(describe_current_exception, pcs, n);
}

}  // namespace

void install_panic_handler() { std::set_terminate(on_terminate); }

}  // namespace goro::debug
