// The table of goro vet's checks and their registration (checks.hpp).
#include "checks.hpp"

namespace goro::vet {

const check_info kChecks[6] = {
    {"stack-capture", "StackCapture",
     "goro::go captures a local by reference, and the function can return while the goroutine "
     "runs",
     "A goroutine that outlives the stack frame whose locals it captured by reference reads and "
     "writes memory that later calls reuse. Wait for the goroutine (WaitGroup, channel, join) on "
     "every path before the function returns or the variable goes out of scope, or capture by "
     "value."},
    {"loop-capture", "LoopCapture", "goro::go inside a loop captures a loop variable by reference",
     "A classic for loop's variable is shared by every iteration's goroutine and changes under "
     "them; a range-for variable or one declared in the body is destroyed at the end of each "
     "iteration while the goroutine may still use it. Capture it by value."},
    {"waitgroup-add", "WaitGroupAdd", "WaitGroup::add called inside the goroutine it counts",
     "wait() can return before the new goroutine has run add(), so it does not wait for it. Call "
     "add() before goro::go."},
    {"closed-channel", "ClosedChannel", "a channel sent on or closed again after close()",
     "A send on a closed channel panics (\"send on closed channel\"), and so does a second close "
     "(\"close of closed channel\")."},
    {"nil-channel", "NilChannel",
     "a send, receive or close on a default-constructed channel that is never assigned",
     "A default-constructed goro::chan is a nil channel: a send or receive on it blocks forever "
     "and close() panics (\"close of nil channel\"). Create it with goro::make_chan."},
    {"lock-unlock", "LockUnlock", "Mutex::lock without an unlock on some path of the function",
     "A path that leaves the function with the mutex still locked blocks every later lock() "
     "forever. Use std::lock_guard or std::unique_lock, which unlock on every path."},
};

void add_checks(clang::ast_matchers::MatchFinder& finder, findings_sink& sink, callbacks& owned) {
  add_capture_checks(finder, sink, owned);
  add_waitgroup_check(finder, sink, owned);
  add_channel_checks(finder, sink, owned);
  add_lock_check(finder, sink, owned);
}

}  // namespace goro::vet
