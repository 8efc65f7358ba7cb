// Turning the errno values of the net layer into the two error styles of goro/net.hpp.
#pragma once

#include <string>
#include <system_error>

namespace goro::net::detail {

inline std::error_code make_error(int err) {
  return err == 0 ? std::error_code() : std::error_code(err, std::generic_category());
}

// Throws std::system_error for err, with Go's kind of context ("dial tcp 127.0.0.1:1") before the
// system's message.
[[noreturn]] void throw_error(int err, const std::string& context);

// The throwing overload of a call whose error_code overload is `call`: runs it, throws on error.
template <class Call>
auto or_throw(Call&& call, const std::string& context) {
  std::error_code ec;
  if constexpr (std::is_void_v<decltype(call(ec))>) {
    call(ec);
    if (ec) throw std::system_error(ec, context);
  } else {
    auto result = call(ec);
    if (ec) throw std::system_error(ec, context);
    return result;
  }
}

}  // namespace goro::net::detail
