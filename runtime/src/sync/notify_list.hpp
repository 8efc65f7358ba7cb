// The notify list: Cond's wait queue (Go's notifyList). A waiter takes a ticket while it still
// holds the Cond's lock, unlocks, and only then queues itself; signals are issued by ticket, in
// ticket order, so wake-ups are FIFO even when a waiter queues after a signal meant for it (it then
// sees that its ticket was already called and does not park at all).
#pragma once

#include <cstdint>

#include "goro/sync.hpp"

namespace goro::sync {

// Takes the next ticket. Call before releasing the lock that guards the condition.
std::uint32_t notify_list_add(detail::notify_list& l);

// Parks until `ticket` has been notified (returns at once if it already was).
void notify_list_wait(detail::notify_list& l, std::uint32_t ticket);

// Wakes the waiter with the oldest unnotified ticket, if any.
void notify_list_notify_one(detail::notify_list& l);

// Wakes every waiter holding a ticket.
void notify_list_notify_all(detail::notify_list& l);

}  // namespace goro::sync
