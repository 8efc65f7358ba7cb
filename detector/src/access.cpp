// The instrumented code's memory hooks (race_abi.h): plain accesses, ranges, vtable pointers,
// thread-local variables, memory intrinsics, the shadow call stack and stack variables' lives. Each
// finds the running context through one TLS load and does nothing where the detector ignores events
// (an M's scheduler stack, the detector's own work).
#include "access.hpp"

#include <cstring>

#include "goro/race_abi.h"

namespace goro::race {

__attribute__((noinline)) void record_access(context* c, std::uintptr_t addr, raw_cell cur,
                                             std::uintptr_t pc) {
  trace_access(c, c->rec, pc, addr, access_kind(cur));
  const std::uintptr_t word = addr & ~std::uintptr_t{7};
  raw_cell* s = shadow_of(word);
  // The cells are loaded again, after the history event: access()'s load, before it, would leave
  // whatever another thread stored meanwhile unchecked. This keeps the window between the load and
  // the store to the check alone, and check_and_store's claim of a free cell closes it there.
  check_and_store(c, word, s, load_cells(s), cur, pc);
}

__attribute__((noinline)) void record_spanning_access(context* c, std::uintptr_t addr,
                                                      unsigned size, bool read, bool atomic,
                                                      std::uintptr_t pc) {
  trace_access(c, c->rec, pc, addr, access_kind(make_cell(0, 0, size, read, atomic)));
  const std::uintptr_t word = addr & ~std::uintptr_t{7};
  const unsigned first = 8 - static_cast<unsigned>(addr & 7);
  raw_cell* s = shadow_of(word);
  check_and_store(c, word, s, load_cells(s), make_cell(c->stamp, addr & 7, first, read, atomic),
                  pc);
  raw_cell* next = shadow_of(word + 8);
  check_and_store(c, word + 8, next, load_cells(next),
                  make_cell(c->stamp, 0, size - first, read, atomic), pc);
}

void access_range(context* c, std::uintptr_t addr, std::size_t size, bool read, std::uintptr_t pc) {
  if (size == 0) return;
  const std::uintptr_t end = addr + size;
  std::uintptr_t word = addr & ~std::uintptr_t{7};
  // The range's history event is written before the first cell that needs it is stored, and not at
  // all when every word already holds the access (the same bytes read again in the same epoch,
  // as a loop copying from one buffer does): the event that stored those cells is still there.
  bool traced = false;
  for (; word < end; word += 8) {
    const std::uintptr_t lo = word < addr ? addr : word;
    const std::uintptr_t hi = word + 8 < end ? word + 8 : end;
    const raw_cell cur = make_cell(c->stamp, static_cast<unsigned>(lo - word),
                                   static_cast<unsigned>(hi - lo), read, false);
    raw_cell* s = shadow_of(word);
    __m128i cells = load_cells(s);
    if (holds_access(cells, cur)) continue;
    if (!traced) {
      trace_range(c, c->rec, pc, addr, size, read);
      traced = true;
      cells = load_cells(s);  // again, after the event, for record_access's reason
    }
    check_and_store(c, word, s, cells, cur, pc);
  }
}

}  // namespace goro::race

using goro::race::context;
using goro::race::current;

namespace {

// Each hook computes its own pc (GORO_PC, base.hpp) and frame address (a helper's would be the
// hook's, not the caller's).
#define GORO_SP reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0))

inline void plain(const void* addr, unsigned size, bool read, std::uintptr_t pc,
                  std::uintptr_t sp) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, sp);
  goro::race::access(c, reinterpret_cast<std::uintptr_t>(addr), size, read, false, pc);
}

// A 16-byte access (vectorised loops make many): two 8-byte accesses when it is 8-aligned.
inline void wide(const void* addr, bool read, std::uintptr_t pc, std::uintptr_t sp) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, sp);
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  if (GORO_LIKELY((a & 7) == 0)) {
    goro::race::access(c, a, 8, read, false, pc);
    goro::race::access(c, a + 8, 8, read, false, pc);
  } else {
    goro::race::access_range(c, a, 16, read, pc);
  }
}

inline void range(const void* addr, std::size_t size, bool read, std::uintptr_t pc,
                  std::uintptr_t sp) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, sp);
  goro::race::access_range(c, reinterpret_cast<std::uintptr_t>(addr), size, read, pc);
}

// The calling thread's thread_local variable (race_abi.h): checked in plain threads only.
inline void thread_local_variable(const void* addr, std::size_t size, bool read, std::uintptr_t pc,
                                  std::uintptr_t sp) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr) || c->kind == goro::race::context_kind::goroutine) return;
  goro::race::note_sp(c, sp);
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  if (size - 1 < 8) {
    goro::race::access(c, a, static_cast<unsigned>(size), read, false, pc);
  } else {
    goro::race::access_range(c, a, size, read, pc);
  }
}

}  // namespace

extern "C" {

void __goro_read1(const void* a) { plain(a, 1, true, GORO_PC, GORO_SP); }
void __goro_read2(const void* a) { plain(a, 2, true, GORO_PC, GORO_SP); }
void __goro_read4(const void* a) { plain(a, 4, true, GORO_PC, GORO_SP); }
void __goro_read8(const void* a) { plain(a, 8, true, GORO_PC, GORO_SP); }
void __goro_read16(const void* a) { wide(a, true, GORO_PC, GORO_SP); }
void __goro_write1(void* a) { plain(a, 1, false, GORO_PC, GORO_SP); }
void __goro_write2(void* a) { plain(a, 2, false, GORO_PC, GORO_SP); }
void __goro_write4(void* a) { plain(a, 4, false, GORO_PC, GORO_SP); }
void __goro_write8(void* a) { plain(a, 8, false, GORO_PC, GORO_SP); }
void __goro_write16(void* a) { wide(a, false, GORO_PC, GORO_SP); }

void __goro_read_range(const void* a, size_t n) { range(a, n, true, GORO_PC, GORO_SP); }
void __goro_write_range(void* a, size_t n) { range(a, n, false, GORO_PC, GORO_SP); }

void __goro_vptr_read(void* const* a) {
  goro::race::tls.vptr_access = true;
  plain(a, 8, true, GORO_PC, GORO_SP);
  goro::race::tls.vptr_access = false;
}

void __goro_vptr_update(void** a, void* value) {
  // The same pointer again (a destructor restoring its own class's vtable) changes nothing a
  // virtual call could see.
  if (*a == value) return;
  goro::race::tls.vptr_access = true;
  plain(a, 8, false, GORO_PC, GORO_SP);
  goro::race::tls.vptr_access = false;
}

void __goro_tls_read(const void* a, size_t n) {
  thread_local_variable(a, n, true, GORO_PC, GORO_SP);
}
void __goro_tls_write(void* a, size_t n) { thread_local_variable(a, n, false, GORO_PC, GORO_SP); }

void* __goro_memcpy(void* dst, const void* src, size_t n) {
  range(src, n, true, GORO_PC, GORO_SP);
  range(dst, n, false, GORO_PC, GORO_SP);
  return std::memcpy(dst, src, n);
}

void* __goro_memmove(void* dst, const void* src, size_t n) {
  range(src, n, true, GORO_PC, GORO_SP);
  range(dst, n, false, GORO_PC, GORO_SP);
  return std::memmove(dst, src, n);
}

void* __goro_memset(void* dst, int c, size_t n) {
  range(dst, n, false, GORO_PC, GORO_SP);
  return std::memset(dst, c, n);
}

void __goro_func_enter(void* caller_pc) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, GORO_SP);
  const auto pc = reinterpret_cast<std::uintptr_t>(caller_pc);
  goro::race::trace_event(
      c, c->rec, goro::race::ev::make(goro::race::ev::enter, pc & goro::race::ev::kPcMask));
  goro::race::push_frame(c, pc);
}

// Both note the frame they are called from, as every hook does: a buffer alloca() made after the
// function's last other hook lies below the lowest frame seen so far, and another goroutine may
// write it (lent by pointer) while its owner makes no checked access below; the owner's end must
// still forget those cells (go_end resets the stack from its lowest frame up).
void __goro_stack_live(void* a, size_t n) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, GORO_SP);
  goro::race::stack_range_live(c, reinterpret_cast<std::uintptr_t>(a), n);
}

void __goro_stack_dead(void* a, size_t n) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::note_sp(c, GORO_SP);
  goro::race::stack_range_dead(c, reinterpret_cast<std::uintptr_t>(a), n);
}

void __goro_func_exit(void) {
  context* c = current();
  if (GORO_UNLIKELY(c == nullptr)) return;
  goro::race::trace_event(c, c->rec, goro::race::ev::make(goro::race::ev::exit, 0));
  if (c->depth > 0) --c->depth;
}

}  // extern "C"
