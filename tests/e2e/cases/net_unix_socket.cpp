// Unix domain stream sockets: listen("unix", path) creates the socket file, dial("unix", path)
// connects, data goes both ways, and the file is removed when the Listener is closed, and also
// when a second Listener is only destroyed. A dial to a path nobody listens on fails.
// OPT: -O1
// CHECK-STDOUT: socket file exists while listening
// CHECK-STDOUT: unix round trip: hello / world
// CHECK-STDOUT: file removed after close
// CHECK-STDOUT: file removed by the destructor
// CHECK-STDOUT: dial to a removed path fails
// CHECK-NOT: FAIL
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

int main() {
  char dir_template[] = "/tmp/goro-unix-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string path = std::string(dir) + "/a.sock";
  const std::string path2 = std::string(dir) + "/b.sock";
  goro::run([&] {
    arm_watchdog(10s);
    auto ln = goro::net::listen("unix", path);
    if (!exists(path)) fail("no socket file at " + path);
    std::printf("socket file exists while listening\n");
    if (ln.addr().find(path) == std::string::npos) fail("Listener::addr() is " + ln.addr());

    auto client = goro::net::dial("unix", path);
    auto server = ln.accept();
    client.write("hello", 5);
    const std::string a = read_exactly(server, 5);
    server.write("world", 5);
    const std::string b = read_exactly(client, 5);
    std::printf("unix round trip: %s / %s\n", a.c_str(), b.c_str());
    if (a != "hello" || b != "world") fail("wrong data");

    ln.close();
    if (exists(path)) fail("the socket file is still there after close");
    std::printf("file removed after close\n");

    {
      auto ln2 = goro::net::listen("unix", path2);
      if (!exists(path2)) fail("no socket file at " + path2);
    }
    if (exists(path2)) fail("the socket file is still there after the destructor");
    std::printf("file removed by the destructor\n");

    std::error_code ec;
    auto none = goro::net::dial("unix", path, ec);
    if (!ec || none.is_open()) fail("dial to a removed socket path succeeded");
    std::printf("dial to a removed path fails (%s)\n", ec.message().c_str());
    rmdir(dir);
    return 0;
  });
}
