// Flags that take a value: "FLAG VALUE", "FLAG=VALUE", one dash or two.
#include "flag.hpp"

#include "command.hpp"

namespace goro::driver {

std::optional<std::string> flag_value(std::string_view command, std::string_view flag,
                                      std::span<const std::string> args, std::size_t& i) {
  const std::string& arg = args[i];
  if (arg == flag) {
    if (i + 1 == args.size()) {
      throw failure(kUsageExit,
                    std::string(command) + ": flag needs an argument: " + std::string(flag));
    }
    return args[++i];
  }
  if (arg.size() > flag.size() && arg.starts_with(flag) && arg[flag.size()] == '=') {
    return arg.substr(flag.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::string> go_flag_value(std::string_view command, std::string_view name,
                                         std::span<const std::string> args, std::size_t& i) {
  if (auto v = flag_value(command, "-" + std::string(name), args, i)) return v;
  return flag_value(command, "--" + std::string(name), args, i);
}

bool is_go_flag(std::string_view arg, std::string_view name) {
  if (arg.starts_with("--")) {
    arg.remove_prefix(2);
  } else if (arg.starts_with("-")) {
    arg.remove_prefix(1);
  } else {
    return false;
  }
  return arg == name;
}

}  // namespace goro::driver
