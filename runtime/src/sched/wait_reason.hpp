// Why a goroutine is blocked: the words in brackets of a goroutine dump ("goroutine 5 [chan
// receive]:"). The strings are Go's, so dumps read the same as a Go program's.
#pragma once

#include <cstdint>

namespace goro::sched {

enum class wait_reason : std::uint8_t {
  none,
  chan_receive,
  chan_send,
  chan_receive_nil,
  chan_send_nil,
  select,
  select_no_cases,
  sleep,
  mutex_lock,
  rwmutex_lock,
  rwmutex_rlock,
  waitgroup_wait,
  cond_wait,
  io_wait,
  parked,  // internal park/ready primitive (tests, benchmarks)
  synctest_run,
  synctest_wait,
};

const char* wait_reason_text(wait_reason r);

}  // namespace goro::sched
