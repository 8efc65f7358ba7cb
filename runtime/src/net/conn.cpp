// goro::net::Conn: the public face of a connected net_fd.
#include <sys/socket.h>

#include <utility>

#include "goro/net.hpp"
#include "net/errors.hpp"
#include "net/net_fd.hpp"

namespace goro::net {
namespace {

std::uintptr_t caller_pc(void* ra) { return reinterpret_cast<std::uintptr_t>(ra); }

std::string io_context(const char* op, const detail::net_fd* f) {
  if (f == nullptr) return std::string(op) + " on a closed connection";
  return std::string(op) + " " + f->network + " " + f->local + "->" + f->remote;
}

}  // namespace

namespace detail {

[[noreturn]] void throw_error(int err, const std::string& context) {
  throw std::system_error(make_error(err), context);
}

}  // namespace detail

Conn& Conn::operator=(Conn&& other) noexcept {
  if (this != &other) {
    detail::destroy_fd(fd_);
    fd_ = std::exchange(other.fd_, nullptr);
  }
  return *this;
}

Conn::~Conn() { detail::destroy_fd(fd_); }

__attribute__((noinline)) std::size_t Conn::read(void* p, std::size_t n) {
  int err = 0;
  const std::size_t got = detail::read_fd(fd_, p, n, err, caller_pc(__builtin_return_address(0)));
  if (err != 0) detail::throw_error(err, io_context("read", fd_));
  return got;
}

__attribute__((noinline)) std::size_t Conn::read(void* p, std::size_t n,
                                                 std::error_code& ec) noexcept {
  int err = 0;
  const std::size_t got = detail::read_fd(fd_, p, n, err, caller_pc(__builtin_return_address(0)));
  ec = detail::make_error(err);
  return got;
}

__attribute__((noinline)) std::size_t Conn::write(const void* p, std::size_t n) {
  int err = 0;
  const std::size_t put = detail::write_fd(fd_, p, n, err, caller_pc(__builtin_return_address(0)));
  if (err != 0) detail::throw_error(err, io_context("write", fd_));
  return put;
}

__attribute__((noinline)) std::size_t Conn::write(const void* p, std::size_t n,
                                                  std::error_code& ec) noexcept {
  int err = 0;
  const std::size_t put = detail::write_fd(fd_, p, n, err, caller_pc(__builtin_return_address(0)));
  ec = detail::make_error(err);
  return put;
}

void Conn::close() {
  // Closing twice is harmless (the header promises it), so only a real failure would throw.
  std::error_code ec;
  close(ec);
}

void Conn::close(std::error_code& ec) noexcept {
  ec.clear();
  if (fd_ != nullptr) detail::close_fd(fd_);
}

void Conn::close_write(std::error_code& ec) noexcept {
  detail::op_ref ref(fd_);
  if (!ref.ok()) {
    ec = detail::make_error(EBADF);
    return;
  }
  ec = detail::make_error(::shutdown(fd_->fd, SHUT_WR) == 0 ? 0 : errno);
}

void Conn::close_write() {
  detail::or_throw([&](std::error_code& ec) { close_write(ec); }, io_context("close_write", fd_));
}

std::string Conn::local_addr(std::error_code& ec) const {
  ec = detail::make_error(fd_ == nullptr ? EBADF : 0);
  return fd_ == nullptr ? std::string() : fd_->local;
}

std::string Conn::local_addr() const {
  return detail::or_throw([&](std::error_code& ec) { return local_addr(ec); }, "local_addr");
}

std::string Conn::remote_addr(std::error_code& ec) const {
  ec = detail::make_error(fd_ == nullptr ? EBADF : 0);
  return fd_ == nullptr ? std::string() : fd_->remote;
}

std::string Conn::remote_addr() const {
  return detail::or_throw([&](std::error_code& ec) { return remote_addr(ec); }, "remote_addr");
}

void Conn::set_deadline(deadline t, std::error_code& ec) noexcept {
  ec = detail::make_error(detail::set_deadline_fd(fd_, t, true, true));
}
void Conn::set_read_deadline(deadline t, std::error_code& ec) noexcept {
  ec = detail::make_error(detail::set_deadline_fd(fd_, t, true, false));
}
void Conn::set_write_deadline(deadline t, std::error_code& ec) noexcept {
  ec = detail::make_error(detail::set_deadline_fd(fd_, t, false, true));
}

void Conn::set_deadline(deadline t) {
  detail::or_throw([&](std::error_code& ec) { set_deadline(t, ec); }, "set_deadline");
}
void Conn::set_read_deadline(deadline t) {
  detail::or_throw([&](std::error_code& ec) { set_read_deadline(t, ec); }, "set_read_deadline");
}
void Conn::set_write_deadline(deadline t) {
  detail::or_throw([&](std::error_code& ec) { set_write_deadline(t, ec); }, "set_write_deadline");
}

bool Conn::is_open() const noexcept { return detail::is_open_fd(fd_); }

int Conn::native_handle() const noexcept {
  detail::op_ref ref(fd_);
  return ref.ok() ? fd_->fd : -1;
}

}  // namespace goro::net
