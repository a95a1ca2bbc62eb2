#include "compose/composer.h"

#include <gtest/gtest.h>

#include <vector>

namespace ssr::compose {
namespace {

TEST(ChangedBlockShare, CountsSixteenPixelBlocks) {
  const int w = 64;
  const int h = 32; // 4 x 2 blocks
  std::vector<uint8_t> a(w * h, 10);
  std::vector<uint8_t> b = a;
  EXPECT_EQ(ChangedBlockShare(a.data(), b.data(), w, h), 0.0);
  b[5 * w + 20] = 11; // one pixel in block (1, 0)
  EXPECT_DOUBLE_EQ(ChangedBlockShare(a.data(), b.data(), w, h), 1.0 / 8);
  b[31 * w + 63] = 11; // the last pixel: block (3, 1)
  EXPECT_DOUBLE_EQ(ChangedBlockShare(a.data(), b.data(), w, h), 2.0 / 8);
  std::vector<uint8_t> c(w * h, 200);
  EXPECT_DOUBLE_EQ(ChangedBlockShare(a.data(), c.data(), w, h), 1.0);
}

TEST(ChangedBlockShare, PartialBlocksAtTheEdges) {
  const int w = 20;
  const int h = 18; // 2 x 2 blocks, the right and bottom ones partial
  std::vector<uint8_t> a(w * h, 0);
  std::vector<uint8_t> b = a;
  b[17 * w + 19] = 1;
  EXPECT_DOUBLE_EQ(ChangedBlockShare(a.data(), b.data(), w, h), 0.25);
}

} // namespace
} // namespace ssr::compose
