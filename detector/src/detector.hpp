// Start-up and shutdown of the detector, shared by its parts (defined in detector.cpp, beside the
// allocation interposers; the design is docs/design/detector.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::race {

struct context;

// Idempotent; runs from .preinit_array in any program that links the detector, and again (as a
// no-op) from __goro_race_init_v1 and the hooks' slow paths.
void detector_init();
bool detector_initialized();

// Parts initialised by detector_init.
void contexts_init();
// All the detector's metadata in use, in bytes: the allocator's blocks (internal_bytes_in_use) and
// the slots' journal entries (journal_bytes_in_use), which live outside it. For tests and the
// memory figures.
std::size_t metadata_bytes_in_use();
// The next plain thread's number (T<n> in reports; 0 is the main thread). Taken by the creator at
// pthread_create, as ThreadSanitizer numbers threads, so the numbers follow the order of creation
// whichever thread starts first.
std::int64_t next_thread_number();
// Creates the calling thread's context, numbered `number`, and makes it current. create_stack: the
// stack depot id of where the thread was created (0: unknown).
context* thread_context_create(std::uint32_t create_stack, std::int64_t number);
// A plain thread is ending: its end happens before pthread_join returns (pthread.cpp).
void thread_finished();

}  // namespace goro::race
