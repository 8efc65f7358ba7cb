// Gs that do not live at the top of a stack slot (goroutine.cpp, new_g): carved one after another
// from chunks mapped for Gs alone.
//
// Gs are never freed (a finished one waits on a free list for the next go statement), so a chunk
// needs no free list and no header. Not malloc: in the race build a block from malloc has the
// shadow of its whole 64 KiB window populated (detector/src/shadow.hpp, prepare_shadow), 2 bytes
// per byte of the window, ahead of the checked accesses a heap block gets. A G gets few: its
// fields are the runtime's, and the go statement builds its inline closure unchecked (docs/design/
// instrument.md); only a closure the goroutine may write (a mutable lambda) is accessed with
// checks. skynet 1M at GOMAXPROCS=1 queues some 95k Gs (a node's ten children wait behind a long
// queue), whose windows were 59 MiB of populated shadow.
#pragma once

namespace goro::sched {

struct G;

// A new G, default-constructed, in a chunk.
G* new_chunk_g();

}  // namespace goro::sched
