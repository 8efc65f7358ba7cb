// Address parsing, resolution and formatting; see address.hpp.
#include "net/address.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "goro/runtime.hpp"

namespace goro::net::detail {
namespace {

// Go's SplitHostPort: "host:port", "[host]:port"; the host may be empty, the port may not.
bool split_host_port(std::string_view addr, std::string& host, std::string& port) {
  std::size_t colon;
  if (!addr.empty() && addr.front() == '[') {
    const std::size_t close = addr.find(']');
    if (close == std::string_view::npos || close + 1 >= addr.size() || addr[close + 1] != ':')
      return false;
    host = std::string(addr.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = addr.rfind(':');
    if (colon == std::string_view::npos) return false;  // missing port
    host = std::string(addr.substr(0, colon));
    if (host.find_first_of(":[]") != std::string::npos) return false;  // too many colons
  }
  port = std::string(addr.substr(colon + 1));
  return !port.empty();
}

// A numeric port, or a service name looked up in /etc/services. -1 if neither.
int parse_port(const std::string& port) {
  if (port.find_first_not_of("0123456789") == std::string::npos) {
    if (port.size() > 5) return -1;
    const long v = std::strtol(port.c_str(), nullptr, 10);
    return v <= 65535 ? static_cast<int>(v) : -1;
  }
  servent result{};
  servent* found = nullptr;
  char buf[1024];
  if (getservbyname_r(port.c_str(), "tcp", &result, buf, sizeof buf, &found) == 0 &&
      found != nullptr) {
    return ntohs(static_cast<std::uint16_t>(found->s_port));
  }
  return -1;
}

void push_v4(std::vector<endpoint>& out, const in_addr& a, int port) {
  endpoint e;
  auto* sin = reinterpret_cast<sockaddr_in*>(&e.addr);
  sin->sin_family = AF_INET;
  sin->sin_addr = a;
  sin->sin_port = htons(static_cast<std::uint16_t>(port));
  e.len = sizeof(sockaddr_in);
  out.push_back(e);
}

void push_v6(std::vector<endpoint>& out, const in6_addr& a, std::uint32_t scope, int port) {
  endpoint e;
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&e.addr);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_addr = a;
  sin6->sin6_scope_id = scope;
  sin6->sin6_port = htons(static_cast<std::uint16_t>(port));
  e.len = sizeof(sockaddr_in6);
  out.push_back(e);
}

int resolve_name(const std::string& host, family_filter family, int port, bool listening,
                 std::vector<endpoint>& out) {
  addrinfo hints{};
  hints.ai_family = family == family_filter::v4   ? AF_INET
                    : family == family_filter::v6 ? AF_INET6
                                                  : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  // getaddrinfo may read files and talk to DNS servers, and wants more stack than a goroutine has.
  const int rc = blocking([&] { return getaddrinfo(host.c_str(), nullptr, &hints, &list); });
  if (rc != 0) return rc == EAI_SYSTEM ? errno : EHOSTUNREACH;
  // A dialer tries the addresses in the resolver's order (RFC 6724 sorting already made it
  // sensible); a listener takes IPv4 first, Go's favourite family for a name.
  std::vector<endpoint> ordered, v6;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      push_v4(ordered, reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, port);
    } else if (ai->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
      push_v6(listening ? v6 : ordered, sin6->sin6_addr, sin6->sin6_scope_id, port);
    }
  }
  freeaddrinfo(list);
  out.insert(out.end(), ordered.begin(), ordered.end());
  out.insert(out.end(), v6.begin(), v6.end());
  return out.empty() ? EADDRNOTAVAIL : 0;
}

}  // namespace

bool parse_network(std::string_view network, family_filter& out) {
  if (network == "tcp") {
    out = family_filter::any;
  } else if (network == "tcp4") {
    out = family_filter::v4;
  } else if (network == "tcp6") {
    out = family_filter::v6;
  } else if (network == "unix") {
    out = family_filter::unix_path;
  } else {
    return false;
  }
  return true;
}

const char* network_name(family_filter family) {
  switch (family) {
    case family_filter::any:
      return "tcp";
    case family_filter::v4:
      return "tcp4";
    case family_filter::v6:
      return "tcp6";
    case family_filter::unix_path:
      return "unix";
  }
  return "";
}

int resolve(std::string_view addr, family_filter family, bool listening,
            std::vector<endpoint>& out) {
  std::string host, port_text;
  if (!split_host_port(addr, host, port_text)) return EINVAL;
  const int port = parse_port(port_text);
  if (port < 0) return EINVAL;
  if (host.empty()) {
    // Listening: every local address (IPv6 dual-stack where possible). Dialling: this host.
    if (listening) {
      if (family != family_filter::v4) push_v6(out, in6addr_any, 0, port);
      if (family != family_filter::v6) push_v4(out, in_addr{htonl(INADDR_ANY)}, port);
    } else {
      if (family != family_filter::v6) push_v4(out, in_addr{htonl(INADDR_LOOPBACK)}, port);
      if (family != family_filter::v4) push_v6(out, in6addr_loopback, 0, port);
    }
    return 0;
  }
  in_addr a4{};
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1) {
    if (family == family_filter::v6) return EAFNOSUPPORT;
    push_v4(out, a4, port);
    return 0;
  }
  const std::size_t percent = host.find('%');
  const std::string bare = host.substr(0, percent);
  in6_addr a6{};
  if (inet_pton(AF_INET6, bare.c_str(), &a6) == 1) {
    if (family == family_filter::v4) return EAFNOSUPPORT;
    std::uint32_t scope = 0;
    if (percent != std::string::npos) {
      const std::string zone = host.substr(percent + 1);
      scope = if_nametoindex(zone.c_str());
      if (scope == 0 && zone.find_first_not_of("0123456789") == std::string::npos &&
          !zone.empty()) {
        scope = static_cast<std::uint32_t>(std::strtoul(zone.c_str(), nullptr, 10));
      }
      if (scope == 0) return EINVAL;
    }
    push_v6(out, a6, scope, port);
    return 0;
  }
  if (host.find_first_of("[]% ") != std::string::npos) return EINVAL;
  return resolve_name(host, family, port, listening, out);
}

int endpoints(std::string_view network, std::string_view addr, bool listening,
              family_filter& family, std::vector<endpoint>& out) {
  if (!parse_network(network, family)) return EINVAL;
  if (family != family_filter::unix_path) return resolve(addr, family, listening, out);
  endpoint e;
  auto* sun = reinterpret_cast<sockaddr_un*>(&e.addr);
  if (addr.empty() || addr.size() >= sizeof sun->sun_path) return EINVAL;
  sun->sun_family = AF_UNIX;
  std::memcpy(sun->sun_path, addr.data(), addr.size());
  sun->sun_path[addr.size()] = '\0';
  e.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + addr.size() + 1);
  out.push_back(e);
  return 0;
}

std::string format_address(const sockaddr* sa, socklen_t len) {
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = {};
  if (sa->sa_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(sin->sin_port));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
    std::string host = text;
    char zone[IF_NAMESIZE] = {};
    if (sin6->sin6_scope_id != 0) {
      host += '%';
      host += if_indextoname(sin6->sin6_scope_id, zone) != nullptr
                  ? std::string(zone)
                  : std::to_string(sin6->sin6_scope_id);
    }
    return "[" + host + "]:" + std::to_string(ntohs(sin6->sin6_port));
  }
  if (sa->sa_family == AF_UNIX) {
    const auto* sun = reinterpret_cast<const sockaddr_un*>(sa);
    const std::size_t max =
        len > offsetof(sockaddr_un, sun_path) ? len - offsetof(sockaddr_un, sun_path) : 0;
    if (max == 0) return "";
    if (sun->sun_path[0] == '\0') return "@" + std::string(sun->sun_path + 1, max - 1);  // abstract
    return std::string(sun->sun_path, strnlen(sun->sun_path, max));
  }
  return "";
}

std::string local_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
  return format_address(reinterpret_cast<sockaddr*>(&ss), len);
}

std::string remote_address(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
  return format_address(reinterpret_cast<sockaddr*>(&ss), len);
}

}  // namespace goro::net::detail
