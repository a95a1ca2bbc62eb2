#include "media/i420_frame.h"

#include <gtest/gtest.h>

namespace ssr::media {
namespace {

TEST(I420Frame, EvenRectRoundsInwards) {
  EXPECT_EQ(EvenRect({1, 3, 10, 10}), (Rect{2, 4, 8, 8}));
  EXPECT_EQ(EvenRect({0, 0, 7, 5}), (Rect{0, 0, 6, 4}));
}

TEST(I420Frame, FitRectKeepsAspectAndCentres) {
  Rect r = FitRect({0, 0, 400, 400}, 1600, 900);
  EXPECT_EQ(r.width, 400);
  EXPECT_EQ(r.height, 224);
  EXPECT_EQ(r.y, 88);
  EXPECT_TRUE(FitRect({0, 0, 100, 100}, 0, 10).Empty());
}

TEST(I420Frame, ScaleIntoFillsOnlyTheRectangle) {
  I420Frame src(16, 16);
  src.Fill(200, 90, 240);
  I420Frame dst(64, 64);
  dst.Fill(16, 128, 128);
  dst.ScaleInto(src.y(), src.stride_y(), src.u(), src.stride_uv(), src.v(), src.stride_uv(), 16, 16,
                {8, 8, 32, 32});
  EXPECT_EQ(dst.y()[10 * 64 + 10], 200);
  EXPECT_EQ(dst.y()[39 * 64 + 39], 200);
  EXPECT_EQ(dst.y()[40 * 64 + 40], 16);
  EXPECT_EQ(dst.y()[7 * 64 + 7], 16);
  EXPECT_EQ(dst.u()[8 * 32 + 8], 90);
  EXPECT_EQ(dst.v()[3 * 32 + 3], 128);
}

TEST(I420Frame, BlitClipsAtTheEdges) {
  I420Frame patch(8, 8);
  patch.Fill(50, 60, 70);
  I420Frame dst(16, 16);
  dst.Fill(0, 0, 0);
  dst.Blit(patch, 12, 12); // partly outside: clipped, no overflow
  EXPECT_EQ(dst.y()[15 * 16 + 15], 50);
  EXPECT_EQ(dst.y()[11 * 16 + 11], 0);
}

} // namespace
} // namespace ssr::media
