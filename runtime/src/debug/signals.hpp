// Signal handling: SIGQUIT dumps every goroutine and exits 2 (as Go); SIGSEGV/SIGBUS in a stack
// guard page is reported as a stack overflow, a fault near address 0 as Go's nil-pointer panic.
#pragma once

namespace goro::debug {

// Installs the handlers and starts the thread that writes SIGQUIT dumps (called by run()).
void install_signal_handlers();

}  // namespace goro::debug
