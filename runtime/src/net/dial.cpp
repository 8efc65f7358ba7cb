// goro::net::dial: connecting to TCP and Unix addresses without blocking the thread.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "goro/net.hpp"
#include "net/address.hpp"
#include "net/errors.hpp"
#include "net/net_fd.hpp"

namespace goro::net {
namespace {

// Connects to e. Returns the record, or nullptr with err set.
detail::net_fd* connect_to(const detail::endpoint& e, const char* network, int& err) {
  const int family = reinterpret_cast<const sockaddr*>(&e.addr)->sa_family;
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    err = errno;
    return nullptr;
  }
  if (family != AF_UNIX) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // Go's default
  }
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&e.addr), e.len);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno != EINPROGRESS && errno != EAGAIN) {
    err = errno;
    ::close(fd);
    return nullptr;
  }
  detail::net_fd* f = detail::make_fd(fd, family == AF_UNIX, network);
  if (f == nullptr) {
    err = errno;
    return nullptr;
  }
  // In progress: writable means connected or failed; SO_ERROR tells which.
  err = 0;
  if (rc != 0) {
    for (;;) {
      if ((err = detail::status_error(netpoll::wait(f->pd, netpoll::mode::write))) != 0) break;
      int so_error = 0;
      socklen_t len = sizeof so_error;
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) so_error = errno;
      if (so_error == EINPROGRESS || so_error == EALREADY || so_error == EINTR) continue;
      if (so_error == 0) {
        sockaddr_storage peer{};
        socklen_t peer_len = sizeof peer;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 &&
            errno == ENOTCONN) {
          continue;  // woken early: not connected yet
        }
      }
      err = so_error;
      break;
    }
  }
  if (err != 0) {
    detail::close_fd(f);
    delete f;
    return nullptr;
  }
  f->local = family == AF_UNIX ? std::string() : detail::local_address(fd);
  f->remote = detail::format_address(reinterpret_cast<const sockaddr*>(&e.addr), e.len);
  return f;
}

}  // namespace

Conn dial(std::string_view network, std::string_view addr, std::error_code& ec) noexcept {
  try {
    detail::family_filter family;
    std::vector<detail::endpoint> candidates;
    int err = detail::endpoints(network, addr, false, family, candidates);
    if (err != 0) {
      ec = detail::make_error(err);
      return {};
    }
    // Each address in turn (Go's dialSerial); the first error is the one reported.
    int first_error = 0;
    for (const auto& e : candidates) {
      if (detail::net_fd* f = connect_to(e, detail::network_name(family), err)) {
        if (family == detail::family_filter::unix_path) f->remote = std::string(addr);
        ec.clear();
        return Conn(f);
      }
      if (first_error == 0) first_error = err;
    }
    ec = detail::make_error(first_error);
    return {};
  } catch (const std::bad_alloc&) {
    ec = detail::make_error(ENOMEM);
    return {};
  }
}

Conn dial(std::string_view network, std::string_view addr) {
  return detail::or_throw([&](std::error_code& ec) { return dial(network, addr, ec); },
                          "dial " + std::string(network) + " " + std::string(addr));
}

Conn dial(std::string_view addr, std::error_code& ec) noexcept { return dial("tcp", addr, ec); }
Conn dial(std::string_view addr) { return dial("tcp", addr); }

}  // namespace goro::net
