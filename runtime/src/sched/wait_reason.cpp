// Text of each wait reason, as Go's runtime prints it in goroutine dumps.
#include "sched/wait_reason.hpp"

namespace goro::sched {

const char* wait_reason_text(wait_reason r) {
  switch (r) {
    case wait_reason::none:
      return "running";
    case wait_reason::chan_receive:
      return "chan receive";
    case wait_reason::chan_send:
      return "chan send";
    case wait_reason::chan_receive_nil:
      return "chan receive (nil chan)";
    case wait_reason::chan_send_nil:
      return "chan send (nil chan)";
    case wait_reason::select:
      return "select";
    case wait_reason::select_no_cases:
      return "select (no cases)";
    case wait_reason::sleep:
      return "sleep";
    case wait_reason::mutex_lock:
      return "sync.Mutex.Lock";
    case wait_reason::rwmutex_lock:
      return "sync.RWMutex.Lock";
    case wait_reason::rwmutex_rlock:
      return "sync.RWMutex.RLock";
    case wait_reason::waitgroup_wait:
      return "sync.WaitGroup.Wait";
    case wait_reason::cond_wait:
      return "sync.Cond.Wait";
    case wait_reason::io_wait:
      return "IO wait";
    case wait_reason::parked:
      return "park";
    case wait_reason::synctest_run:
      return "synctest.Run";
    case wait_reason::synctest_wait:
      return "synctest.Wait";
  }
  return "unknown";
}

}  // namespace goro::sched
