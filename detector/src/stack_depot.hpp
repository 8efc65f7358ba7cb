// The stack depot: call stacks stored once and named by a 32-bit id. Goroutine creation sites are
// kept this way (a million goroutines started by one loop share one entry), like TSan's StackDepot.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::race {

std::uint64_t stack_hash(const std::uintptr_t* pcs, std::size_t n);
// The id of pcs (innermost first), storing it if new; 0 for an empty stack.
std::uint32_t depot_put(const std::uintptr_t* pcs, std::size_t n, std::uint64_t hash);
// The stack of id; n = 0 for id 0 or an unknown id.
const std::uintptr_t* depot_get(std::uint32_t id, std::size_t& n);

}  // namespace goro::race
