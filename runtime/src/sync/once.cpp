// Once: the slow path of goro::Once::call. The fast path (in the header) is one acquire load of
// done_; here the Mutex serialises the callers that found it clear, and the first runs f.
//
// done_ is set only after f has returned (or thrown), with a release store, so a caller that sees
// it set on the fast path also sees everything f did. Setting it before calling f (a CAS to claim
// the call) would be simpler and wrong: a second caller would return before f had finished.
#include <atomic>
#include <mutex>

#include "goro/sync.hpp"
#include "race/hooks.hpp"

namespace goro {

bool Once::done_out_of_line() const {
  // acquire: as the inline fast path.
  if (done_.load(std::memory_order_acquire) == 0) return false;
  race::acquire(this);
  return true;
}

void Once::call_slow(void (*invoke)(void*), void* f) {
  const race::call_site_scope site(reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
  std::lock_guard lock(m_);
  // relaxed: done_ is written only under m_, which we hold.
  if (done_.load(std::memory_order_relaxed) != 0) return;
  // Mark done however f leaves (Go: a panicking f counts as returned), before m_ is unlocked.
  struct mark_done {
    Once* once;
    ~mark_done() {
      race::release(once);
      // release: pairs with the fast path's acquire load.
      once->done_.store(1, std::memory_order_release);
    }
  } guard{this};
  invoke(f);
}

}  // namespace goro
