// An element type's move constructor runs inside the channel operation (the runtime moves the value
// into the receiver's slot): a race in it names the send or receive that ran it, as the frame under
// the constructor, both as the access being reported and as the previous one. Before the runtime
// pushed the program's call site, both stacks ended at the constructor. The last write waits for
// main's receive to return, so that it comes after every move, whichever goroutine ran the move.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: Item::Item
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:(40|47)\b
// CHECK: Previous write
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:35\b
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:44\b
// CHECK: Previous write
// CHECK-RE: Item::Item
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:(40|47)\b
// CHECK: Found 2 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int moves;

struct Item {
  Item() = default;
  Item(Item&&) noexcept { ++moves; }
};

int main() {
  return goro::run([] {
    auto c = goro::make_chan<Item>();
    goro::go([] {
      moves = 10;
      reach(1);
    });
    goro::go([c] {
      await(1);
      c.send(Item{});
    });
    goro::go([] {
      await(3);
      moves = 20;
      reach(4);
    });
    Item received = c.recv();
    reach(3);
    await(4);
  });
}
