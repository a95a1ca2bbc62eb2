#include "http/api.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

TEST(ApiPaths, SplitPathDecodesSegmentsAndDropsTheQuery) {
  auto s = SplitPath("/api/v1/sessions/a%20b/assets/x%2Fy.png?v=1");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 6u);
  EXPECT_EQ((*s)[3], "a b");
  EXPECT_EQ((*s)[5], "x/y.png");
  EXPECT_FALSE(SplitPath("/bad%2"));
  EXPECT_FALSE(SplitPath("/bad%zz"));
  EXPECT_FALSE(SplitPath("no-slash"));
  auto trailing = SplitPath("/api/v1/sessions/s/assets/");
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->back(), "");
}

TEST(ApiPaths, AssetNames) {
  EXPECT_EQ(CheckAssetName("slides.pdf"), "");
  EXPECT_EQ(CheckAssetName("Cours n°1 (v2).pdf"), "");
  EXPECT_EQ(CheckAssetName(std::string(200, 'a')), "");
  for (const std::string& bad : {std::string(""), std::string(".."), std::string("a/b"),
                                std::string("a\\b"), std::string("x..y"), std::string(".env"),
                                std::string(201, 'a'), std::string("a\nb"),
                                std::string("a\0b", 3)}) {
    EXPECT_NE(CheckAssetName(bad), "") << bad;
  }
}

TEST(ApiPaths, SessionIds) {
  EXPECT_EQ(CheckSessionId("maths-101_a.b"), "");
  for (const std::string& bad : {std::string(), std::string(".."), std::string(".x"),
                                 std::string("-x"), std::string("a/b"), std::string("a b"),
                                 std::string(65, 'a')}) {
    EXPECT_NE(CheckSessionId(bad), "") << bad;
  }
}

}  // namespace
}  // namespace ssr::http
