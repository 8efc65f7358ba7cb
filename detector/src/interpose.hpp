// What the detector's interposers of libc functions share (pthread.cpp, fd.cpp): finding the real
// function behind a name, and happens-before on a sync address only where the calling thread is
// one the detector follows.
#pragma once

#include <dlfcn.h>

#include <atomic>

#include "context.hpp"
#include "detector.hpp"
#include "race/hooks.hpp"

namespace goro::race {

// The real function behind name, looked up once. relaxed: every thread that races to look it up
// stores the same value.
template <class F>
F real_function(std::atomic<F>& cache, const char* name, const char* version = nullptr) {
  F f = cache.load(std::memory_order_relaxed);
  if (GORO_LIKELY(f != nullptr)) return f;
  void* sym = version != nullptr ? dlvsym(RTLD_NEXT, name, version) : nullptr;
  if (sym == nullptr) sym = dlsym(RTLD_NEXT, name);
  if (sym == nullptr) die("a libc function the detector wraps is missing");
  f = reinterpret_cast<F>(sym);
  cache.store(f, std::memory_order_relaxed);
  return f;
}

// Only where the detector is running and the calling thread does something the program can see.
inline bool tracking() { return detector_initialized() && current() != nullptr; }

inline void acquire_if(const void* addr) {
  if (tracking()) acquire(addr);
}
inline void release_if(const void* addr) {
  if (tracking()) release(addr);
}
inline void release_merge_if(const void* addr) {
  if (tracking()) release_merge(addr);
}

}  // namespace goro::race

// decltype(&::pthread_mutex_lock) carries glibc's nonnull attributes, which GCC warns are dropped
// from the template argument; the pointer type is all that matters here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

// Defines real_<name>(): the libc function the interposer named <name> stands in front of
// (optionally of a given symbol version).
#define GORO_REAL(name, ...)                                                       \
  static std::atomic<decltype(&::name)> real_##name##_cache{nullptr};              \
  inline decltype(&::name) real_##name() {                                         \
    return ::goro::race::real_function(real_##name##_cache, #name, ##__VA_ARGS__); \
  }
