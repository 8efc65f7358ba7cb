// A write to a pipe, socket or eventfd happens before the read that returns its data, and an
// epoll_ctl registration happens before the epoll_wait that reports it (as ThreadSanitizer models
// them): data handed over that way is not reported. Plain threads and goroutines (through
// goro::blocking) alike; each hand-over writes `payload` plainly before the write and reads it
// after the read.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: pipe 1 socketpair 2 eventfd 3 epoll 4 goroutines 50
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <goro/goro.hpp>
#include <thread>

struct box {
  int payload = 0;
};

// Writer thread: payload, then one byte on `out`. Reader: the byte from `in`, then payload.
int through(int in, int out, int value) {
  box b;
  std::thread writer([&] {
    b.payload = value;
    char c = 'x';
    if (write(out, &c, 1) != 1) std::perror("write");
  });
  char c;
  if (read(in, &c, 1) != 1) std::perror("read");
  const int seen = b.payload;
  writer.join();
  return seen;
}

int through_eventfd(int value) {
  const int fd = eventfd(0, 0);
  box b;
  std::thread writer([&] {
    b.payload = value;
    eventfd_write(fd, 1);
  });
  eventfd_t n;
  eventfd_read(fd, &n);
  const int seen = b.payload;
  writer.join();
  close(fd);
  return seen;
}

// The registration's data pointer carries an object the registering thread initialised.
int through_epoll(int value) {
  const int ep = epoll_create1(0);
  int fds[2];
  if (pipe(fds) != 0) return -1;
  auto* b = new box;
  std::thread registrar([&] {
    b->payload = value;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = b;
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
    char c = 'x';
    if (write(fds[1], &c, 1) != 1) std::perror("write");
  });
  epoll_event got{};
  while (epoll_wait(ep, &got, 1, -1) != 1) {
  }
  const int seen = static_cast<box*>(got.data.ptr)->payload;
  registrar.join();
  delete b;
  close(fds[0]);
  close(fds[1]);
  close(ep);
  return seen;
}

int main() {
  int p[2], s[2];
  if (pipe(p) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0) return 1;
  const int via_pipe = through(p[0], p[1], 1);
  const int via_socketpair = through(s[0], s[1], 2);
  const int via_eventfd = through_eventfd(3);
  const int via_epoll = through_epoll(4);

  // Goroutines: each of 50 sends its payload's readiness over the socketpair inside blocking().
  int total = 0;
  goro::run([&] {
    box boxes[50];
    goro::WaitGroup wg;
    for (int i = 0; i < 50; ++i) {
      wg.add(1);
      goro::go([&, i] {
        boxes[i].payload = 1;
        char c = static_cast<char>(i);
        goro::blocking([&] { return write(s[1], &c, 1); });
        wg.done();
      });
    }
    for (int i = 0; i < 50; ++i) {
      char c;
      goro::blocking([&] { return read(s[0], &c, 1); });
      total += boxes[static_cast<unsigned char>(c)].payload;
    }
    wg.wait();
    std::printf("pipe %d socketpair %d eventfd %d epoll %d goroutines %d\n", via_pipe,
                via_socketpair, via_eventfd, via_epoll, total);
    return 0;
  });
}
