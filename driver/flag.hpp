// Flags that take a value, read the way Go's tool reads them: "FLAG VALUE" or "FLAG=VALUE", and,
// for the commands that follow Go's flag package, one dash or two ("-n 5", "--n=5").
//
// Example:
//   for (std::size_t i = 0; i < args.size(); ++i) {
//     if (auto v = flag_value("goro report", "--strip", args, i)) prefix = *v;
//     else if (auto n = go_flag_value("goro stress", "n", args, i)) runs = *n;
//   }
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace goro::driver {

// The value of `flag` at args[i], given as "FLAG VALUE" (i then moves onto VALUE) or "FLAG=VALUE";
// nullopt when args[i] is not `flag`. A FLAG with nothing after it is a usage error,
// "<command>: flag needs an argument: FLAG".
std::optional<std::string> flag_value(std::string_view command, std::string_view flag,
                                      std::span<const std::string> args, std::size_t& i);

// The same for the flag `name` spelt with one dash or two: "n" is -n, --n, -n=5 and --n=5.
std::optional<std::string> go_flag_value(std::string_view command, std::string_view name,
                                         std::span<const std::string> args, std::size_t& i);

// Whether `arg` is the flag `name` without a value, spelt with one dash or two.
bool is_go_flag(std::string_view arg, std::string_view name);

}  // namespace goro::driver
