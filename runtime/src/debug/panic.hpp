// The handler that turns an exception escaping a goroutine into Go's panic report; see panic.cpp.
#pragma once

namespace goro::debug {

// Installs the std::terminate handler (called by run()).
void install_panic_handler();

}  // namespace goro::debug
