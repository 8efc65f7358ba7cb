// main() for the runtime's GoogleTest executables: death tests fork before goro::run() is ever
// called, so the "fast" style is safe and much quicker than re-executing the binary.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  GTEST_FLAG_SET(death_test_style, "fast");
  return RUN_ALL_TESTS();
}
