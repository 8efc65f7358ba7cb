// Populating pages before their first touch: the first page of fresh stacks (and, for the race
// detector, shadow and metadata ranges).
//
// A new goroutine's first frames land on a page nobody has touched, and on some machines the page
// fault that brings it in is the dearest part of the goroutine: 12 us on the 2-CPU AMD EPYC VM of
// docs/benchmarks.md, against about 1 us per page when the kernel populates a batch of pages in
// one system call and 6 us for the first touch after that. The stack pool prepares fresh slots in
// batches and asks for their top pages here. Whatever the kernel refuses is left to fault in as
// before: this is an optimisation, never a requirement.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::stack {

// Asks the kernel to populate (as if written) the pages at `pages[0..count)`, each page-aligned.
// Uses one process_madvise(MADV_POPULATE_WRITE) for all of them where the kernel accepts it on the
// calling process (Linux 6.13 and later), else one madvise per page (5.14 and later), else nothing;
// the first refusal picks the fallback for every later call.
void populate_pages(const std::uintptr_t* pages, std::size_t count);
// The same for the page-aligned range [start, start+bytes), in one madvise (the race detector's
// shadow windows and metadata chunks); nothing once the kernel has refused the advice.
void populate_range(std::uintptr_t start, std::size_t bytes);

}  // namespace goro::stack
