// Words for a POSIX shell: what goro prints for a user to paste (goro flags' lists, goro stress's
// reproduce commands).
#pragma once

#include <string>
#include <string_view>

namespace goro::driver {

// `word` as a POSIX shell reads it back: as is when it is plain (letters, digits, -_./=+,:@%),
// else in single quotes, each ' written '\''.
std::string shell_quote(std::string_view word);

}  // namespace goro::driver
