// The SARIF 2.1.0 envelope and its shared pieces (sarif_log.hpp).
#include "sarif_log.hpp"

#include <cstdint>
#include <utility>

#ifndef GORO_VERSION
#error "GORO_VERSION must be defined by the build (the CMake project version)"
#endif

namespace goro::driver::sarif {
namespace {

constexpr char kSchema[] =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";

bool is_uri_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~/").find(c) != std::string_view::npos;
}

std::string percent_encoded(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    if (is_uri_safe(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.append({'%', kHex[byte >> 4], kHex[byte & 0xF]});
    }
  }
  return out;
}

}  // namespace

json message(const std::string& text) { return {{"text", text}}; }

std::string uri_of(const std::string& file) {
  return !file.empty() && file.front() == '/' ? "file://" + percent_encoded(file)
                                              : percent_encoded(file);
}

std::string fingerprint(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
  return out;
}

json rule(const std::string& id, const std::string& name, const std::string& short_text,
          const std::string& full_text, const std::string& level) {
  return {
      {"id", id},
      {"name", name},
      {"shortDescription", message(short_text)},
      {"fullDescription", message(full_text)},
      {"defaultConfiguration", {{"level", level}}},
  };
}

std::string render_log(json rules, json results) {
  json tool_driver = {{"name", "goro"}, {"version", GORO_VERSION}, {"rules", std::move(rules)}};
  json run = {{"tool", {{"driver", std::move(tool_driver)}}}, {"results", std::move(results)}};
  json log = {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace goro::driver::sarif
