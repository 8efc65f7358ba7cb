// The FIFO of goroutines linked through schedlink (g_queue), and the global run queue built on it.
#include "sched/global_run_queue.hpp"

namespace goro::sched {

void g_queue::push_back(G* g) {
  g->schedlink = nullptr;
  if (tail != nullptr) {
    tail->schedlink = g;
  } else {
    head = g;
  }
  tail = g;
  ++size;
}

void g_queue::push_back_batch(G* first, G* last, std::int64_t n) {
  last->schedlink = nullptr;
  if (tail != nullptr) {
    tail->schedlink = first;
  } else {
    head = first;
  }
  tail = last;
  size += n;
}

G* g_queue::pop_front() {
  G* g = head;
  if (g == nullptr) return nullptr;
  head = g->schedlink;
  if (head == nullptr) {
    tail = nullptr;
  } else {
    prefetch_g(head);
  }
  --size;
  return g;
}

void global_run_queue::push_back(G* g) {
  list_.push_back(g);
  publish_size();
}

void global_run_queue::push_back_batch(G* first, G* last, std::int64_t n) {
  list_.push_back_batch(first, last, n);
  publish_size();
}

G* global_run_queue::pop_front() {
  G* g = list_.pop_front();
  if (g != nullptr) publish_size();
  return g;
}

}  // namespace goro::sched
