// A free shadow cell is claimed with a compare-and-swap (access.hpp, check_and_store): an access
// whose cells were loaded before another thread stored its own access in the same word learns of
// that store and is checked against it, where a plain store would have overwritten it unseen.
// The other thread's store is made by hand between the load and the check, on the test thread's
// own (plain thread) context; each test runs in a process of its own (ctest), on a fresh word.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "access.hpp"
#include "context.hpp"
#include "report.hpp"

namespace goro::race {
namespace {

class ClaimCell : public ::testing::Test {
 protected:
  void SetUp() override {
    c_ = current();
    ASSERT_NE(c_, nullptr);
    word_ = reinterpret_cast<std::uintptr_t>(&target_);
    s_ = shadow_of(word_);
    other_ = (c_->sid + 1) % kSlots;
    tls.vc->raise(other_, kSeen);
    set_report_fd_for_testing(open("/dev/null", O_WRONLY));
  }
  // The reports are this test's to count, not the process's exit status (66).
  void TearDown() override { reset_races_for_testing(); }

  // The other slot's epoch this context's clock has reached.
  static constexpr epoch_t kSeen = 5;

  // An 8-byte access of the word by the other slot, at an epoch this context has not seen (a
  // write) or has (an ordered read).
  raw_cell theirs(bool read) const {
    const epoch_t epoch = read ? kSeen : kSeen + 1;
    return make_cell(make_stamp(other_, epoch, c_->gen), 0, 8, read, false);
  }
  raw_cell my_write() const { return make_cell(c_->stamp, 0, 8, false, false); }

  alignas(8) static inline std::uint64_t target_ = 0;
  context* c_ = nullptr;
  std::uintptr_t word_ = 0;
  raw_cell* s_ = nullptr;
  int other_ = 0;
};

TEST_F(ClaimCell, AnEmptyWordStoredMeanwhileIsChecked) {
  const __m128i loaded = load_cells(s_);
  ASSERT_TRUE(cells_empty(loaded));
  store_cell(s_, theirs(false));
  check_and_store(c_, word_, s_, loaded, my_write(), 0);
  EXPECT_EQ(races_found(), 1u);
}

TEST_F(ClaimCell, AFreeCellStoredMeanwhileIsChecked) {
  store_cell(s_, theirs(true));
  const __m128i loaded = load_cells(s_);
  store_cell(s_ + 1, theirs(false));  // the first free cell, the one the check would take
  check_and_store(c_, word_, s_, loaded, my_write(), 0);
  EXPECT_EQ(races_found(), 1u);
}

TEST_F(ClaimCell, WithoutAStoreMeanwhileTheCellIsTaken) {
  store_cell(s_, theirs(true));
  check_and_store(c_, word_, s_, load_cells(s_), my_write(), 0);
  EXPECT_EQ(races_found(), 0u);
  EXPECT_EQ(s_[1], my_write());
}

}  // namespace
}  // namespace goro::race
