// What goro stress and goro report agree on about a failure's kind (the `kind` of a stress_failure
// line): which kinds are two stacks that meet.
#pragma once

#include <string_view>

namespace goro::driver::stress {

// A data race or a lock-order inversion: its top frames are those of its first two stacks, which
// locate it and sign it in either order (the same race seen from its other side is one bug).
// Every other kind is located and signed by its first frame.
inline bool is_pair_kind(std::string_view kind) {
  return kind == "data race" || kind == "lock-order inversion";
}

}  // namespace goro::driver::stress
