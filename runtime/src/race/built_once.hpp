// built_once: an object the runtime makes on first use and never destroys, without a function-local
// static. The compiler brackets such a static's initialisation with the C++ ABI's guard functions,
// and the race runtime interposes those to order the program's own static initialisations
// (detector/src/pthread.cpp): a runtime static first reached by one goroutine and later by another
// would order the second after everything the first had done, and hide its races. The first use
// here goes through pthread_once, which the race build sends straight to libc like the runtime's
// other pthread calls (detector/CMakeLists.txt); every later use is one acquire load.
// tests/detector/check_no_guarded_statics.cmake keeps the race archive free of guard calls.
#pragma once

#include <pthread.h>

#include <atomic>
#include <type_traits>

namespace goro {

// The object make() returned on the first call (make returns a new object, or nullptr, never
// freed): built once per process, whichever thread asks first.
template <auto make>
auto* built_once() {
  using object = std::remove_pointer_t<decltype(make())>;
  // Both constant-initialised, so neither has a guard.
  static constinit std::atomic<object*> made{nullptr};
  static constinit pthread_once_t once = PTHREAD_ONCE_INIT;
  // acquire: pairs with the release store below; the object's construction happens before its use.
  object* p = made.load(std::memory_order_acquire);
  if (__builtin_expect(p != nullptr, true)) return p;
  pthread_once(&once, [] { made.store(make(), std::memory_order_release); });
  return made.load(std::memory_order_acquire);  // acquire: as above
}

}  // namespace goro
