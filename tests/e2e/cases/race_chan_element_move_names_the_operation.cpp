// An element type's move constructor runs inside the channel operation (the runtime moves the value
// into the receiver's slot): a race in it names the send or receive that ran it, as the frame under
// the constructor, both as the access being reported and as the previous one. Before the runtime
// pushed the program's call site, both stacks ended at the constructor.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: Item::Item
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:(39|47)\b
// CHECK: Previous write
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:34\b
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:44\b
// CHECK: Previous write
// CHECK-RE: Item::Item
// CHECK-RE: race_chan_element_move_names_the_operation\.cpp:(39|47)\b
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
      reach(2);
    });
    goro::go([] {
      await(2);
      moves = 20;
      reach(3);
    });
    Item received = c.recv();
    await(3);
  });
}
