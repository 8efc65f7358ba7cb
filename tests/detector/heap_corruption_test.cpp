// A heap block whose glibc header was overwritten (a data race on a heap object, a double free, a
// write past a block's end) stops the program with the reason: the detector used to take the
// header's impossible size at its word and reset that much shadow, which hung the program.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>

namespace {

TEST(HeapCorruption, AnImpossibleBlockSizeStopsTheProgramWithTheReason) {
  EXPECT_EXIT(
      {
        auto* block = static_cast<std::size_t*>(std::malloc(64));
        // The chunk's size field, just before the block: 2^62 bytes, marked mmapped so that
        // malloc_usable_size reads the size alone and touches nothing past the block.
        block[-1] = (std::size_t{1} << 62) | 2;
        asm volatile("" : : "r"(block) : "memory");  // the pair is not optimised away
        std::free(block);
      },
      testing::ExitedWithCode(2),
      "^goro: race detector: heap corruption: the block at 0x[0-9a-f]+ has size "
      "4611686018427387888 "
      "\\(its header was overwritten: a data race on a heap object, a double free or a write past "
      "a block's end\\)\n$");
}

}  // namespace
