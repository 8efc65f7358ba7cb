// Addresses as Go writes them: splitting "host:port" / "[v6]:port", resolving names, and formatting
// socket addresses back ("127.0.0.1:8080", "[::1]:8080", a Unix socket's path).
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

namespace goro::net::detail {

// The networks of Go's Dial and Listen that goro offers.
enum class family_filter { any, v4, v6, unix_path };

// Parses "tcp", "tcp4", "tcp6", "unix". False for anything else.
bool parse_network(std::string_view network, family_filter& out);
// The network's name as a string literal.
const char* network_name(family_filter family);

struct endpoint {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

// Splits and resolves addr for the given family ("" host: the wildcard address when listening, the
// local host when dialling). Names go through getaddrinfo on a blocking() call. Returns 0 or an
// errno value (EINVAL for a malformed address; a resolver failure maps to EHOSTUNREACH /
// EADDRNOTAVAIL). The list is in the resolver's order, IPv4 first for a listener.
int resolve(std::string_view addr, family_filter family, bool listening,
            std::vector<endpoint>& out);

// The network and address of a listen or dial call as endpoints to try in order: a Unix socket's
// path, or resolve()'s answer. Returns 0 or an errno value (EINVAL for an unknown network).
int endpoints(std::string_view network, std::string_view addr, bool listening,
              family_filter& family, std::vector<endpoint>& out);

std::string format_address(const sockaddr* sa, socklen_t len);
std::string local_address(int fd);
std::string remote_address(int fd);

}  // namespace goro::net::detail
