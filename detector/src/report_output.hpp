// Where race reports are written (GORACE log_path and json_path). Callers hold the report lock.
#pragma once

#include <string>

namespace goro::race {

// The descriptor the text goes to.
int log_fd();
// Appends a JSON line to json_path, if one is configured.
void write_json(const std::string& line);
// Tests: the text goes to fd (-1: back to the configuration).
void set_log_fd_for_testing(int fd);

}  // namespace goro::race
