// goro::net::wait_readable / wait_writable: parking on a descriptor the caller owns. Each call
// registers the descriptor for its own duration, so the registration's first event reports the
// descriptor's current state (a readiness that came before the call is not missed) and the runtime
// keeps no record of a descriptor it cannot see being closed.
#include <cerrno>

#include "goro/net.hpp"
#include "net/errors.hpp"
#include "net/net_fd.hpp"
#include "netpoll/netpoll.hpp"

namespace goro::net {
namespace {

void wait_for(int fd, netpoll::mode m, deadline t, std::error_code& ec) {
  if (fd < 0) {
    ec = detail::make_error(EBADF);
    return;
  }
  netpoll::poll_desc* pd = netpoll::open(fd);
  if (pd == nullptr) {
    // epoll refuses regular files and directories (EPERM): they are always ready, as poll(2) says.
    ec = detail::make_error(errno == EPERM ? 0 : errno);
    return;
  }
  netpoll::set_deadline(pd, detail::deadline_ns(t), m == netpoll::mode::read,
                        m == netpoll::mode::write);
  // Nobody else moves this deadline or closes this record, so wait() returns ok only for readiness.
  const netpoll::status st = netpoll::wait(pd, m);
  netpoll::evict(pd);
  netpoll::close(pd);
  ec = detail::make_error(detail::status_error(st));
}

}  // namespace

void wait_readable(int fd, deadline t, std::error_code& ec) noexcept {
  wait_for(fd, netpoll::mode::read, t, ec);
}
void wait_writable(int fd, deadline t, std::error_code& ec) noexcept {
  wait_for(fd, netpoll::mode::write, t, ec);
}

void wait_readable(int fd, deadline t) {
  detail::or_throw([&](std::error_code& ec) { wait_readable(fd, t, ec); }, "wait_readable");
}

void wait_writable(int fd, deadline t) {
  detail::or_throw([&](std::error_code& ec) { wait_writable(fd, t, ec); }, "wait_writable");
}

}  // namespace goro::net
