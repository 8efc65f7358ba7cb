// goro::net::listen and Listener: creating listening sockets for TCP and Unix networks.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "goro/net.hpp"
#include "net/address.hpp"
#include "net/errors.hpp"
#include "net/net_fd.hpp"

namespace goro::net {
namespace {

// The kernel caps the backlog at net.core.somaxconn; asking for more takes whatever it allows.
constexpr int kBacklog = 65535;

// One listening socket on e. Returns the descriptor or -errno.
int listen_on(const detail::endpoint& e) {
  const int family = reinterpret_cast<const sockaddr*>(&e.addr)->sa_family;
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int one = 1;
  if (family != AF_UNIX) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as Go
  if (family == AF_INET6) {
    // The wildcard address serves IPv4 too (dual stack), as Go's ":port" does; a specific IPv6
    // address is IPv6 only anyway.
    int zero = 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&e.addr), e.len) != 0 ||
      ::listen(fd, kBacklog) != 0) {
    const int err = errno;
    ::close(fd);
    return -err;
  }
  return fd;
}

}  // namespace

Listener listen(std::string_view network, std::string_view addr, std::error_code& ec) noexcept {
  try {
    detail::family_filter family;
    std::vector<detail::endpoint> candidates;
    int err = detail::endpoints(network, addr, true, family, candidates);
    if (err != 0) {
      ec = detail::make_error(err);
      return {};
    }
    // A wildcard address may be offered as IPv6 then IPv4: take the first the machine supports.
    int fd = -EADDRNOTAVAIL;
    for (const auto& e : candidates) {
      fd = listen_on(e);
      if (fd >= 0 || (fd != -EAFNOSUPPORT && fd != -EADDRNOTAVAIL)) break;
    }
    if (fd < 0) {
      ec = detail::make_error(-fd);
      return {};
    }
    const bool is_unix = family == detail::family_filter::unix_path;
    detail::net_fd* f = detail::make_fd(fd, is_unix, detail::network_name(family));
    if (f == nullptr) {
      ec = detail::make_error(errno);
      return {};
    }
    f->local = is_unix ? std::string(addr) : detail::local_address(fd);
    if (is_unix) f->unlink_path = std::string(addr);
    ec.clear();
    return Listener(f);
  } catch (const std::bad_alloc&) {
    ec = detail::make_error(ENOMEM);
    return {};
  }
}

Listener listen(std::string_view network, std::string_view addr) {
  return detail::or_throw([&](std::error_code& ec) { return listen(network, addr, ec); },
                          "listen " + std::string(network) + " " + std::string(addr));
}

Listener listen(std::string_view addr, std::error_code& ec) noexcept {
  return listen("tcp", addr, ec);
}
Listener listen(std::string_view addr) { return listen("tcp", addr); }

Listener& Listener::operator=(Listener&& other) noexcept {
  if (this != &other) {
    detail::destroy_fd(fd_);
    fd_ = std::exchange(other.fd_, nullptr);
  }
  return *this;
}

Listener::~Listener() { detail::destroy_fd(fd_); }

Conn Listener::accept(std::error_code& ec) noexcept {
  int err = 0;
  detail::net_fd* c = detail::accept_fd(fd_, err);
  ec = detail::make_error(err);
  return c != nullptr ? Conn(c) : Conn();
}

Conn Listener::accept() {
  return detail::or_throw(
      [&](std::error_code& ec) { return accept(ec); },
      fd_ != nullptr ? "accept " + std::string(fd_->network) + " " + fd_->local : "accept");
}

std::string Listener::addr(std::error_code& ec) const {
  ec = detail::make_error(fd_ == nullptr ? EBADF : 0);
  return fd_ == nullptr ? std::string() : fd_->local;
}

std::string Listener::addr() const {
  return detail::or_throw([&](std::error_code& ec) { return addr(ec); }, "addr");
}

void Listener::close(std::error_code& ec) noexcept {
  ec.clear();
  if (fd_ != nullptr) detail::close_fd(fd_);
}

void Listener::close() {
  std::error_code ec;
  close(ec);
}

void Listener::set_deadline(deadline t, std::error_code& ec) noexcept {
  ec = detail::make_error(detail::set_deadline_fd(fd_, t, true, false));
}

void Listener::set_deadline(deadline t) {
  detail::or_throw([&](std::error_code& ec) { set_deadline(t, ec); }, "set_deadline");
}

bool Listener::is_open() const noexcept { return detail::is_open_fd(fd_); }

int Listener::native_handle() const noexcept {
  detail::op_ref ref(fd_);
  return ref.ok() ? fd_->fd : -1;
}

}  // namespace goro::net
