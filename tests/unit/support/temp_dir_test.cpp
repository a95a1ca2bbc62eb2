// The tests' temporary directory (tests/support/temp_dir.h): fresh and distinct each time,
// named after the running test, gone at scope end.

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, EachIsFreshDistinctAndNamedAfterTheTest) {
  const TempDir a;
  const TempDir b;
  EXPECT_NE(a.path(), b.path());
  EXPECT_TRUE(fs::is_directory(a.path()));
  EXPECT_TRUE(fs::is_empty(a.path()));
  EXPECT_EQ(a.path().parent_path(), fs::temp_directory_path());
  const std::string name = a.path().filename().string();
  EXPECT_EQ(name.rfind("ssr-TempDir.EachIsFreshDistinctAndNamedAfterTheTest-" +
                           std::to_string(::getpid()) + "-",
                       0),
            0u)
      << name;
}

TEST(TempDir, RemovedWithItsContentAtScopeEnd) {
  fs::path kept;
  {
    TempDir dir;
    dir.KeepIfTestFailed(); // this test has not failed: removed all the same
    fs::create_directories(dir / "a" / "b");
    std::ofstream(dir / "a" / "b" / "file.txt") << "x";
    kept = dir;
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(TempDir, LabelAndParentAreUsedAndTheLabelIsMadeSafe) {
  const TempDir parent;
  const TempDir dir("odd/label with spaces", parent);
  EXPECT_EQ(dir.path().parent_path(), parent.path());
  EXPECT_EQ(dir.path().filename().string().rfind("ssr-odd_label_with_spaces-", 0), 0u)
      << dir.path();
  EXPECT_THROW(TempDir("x", parent / "absent"), std::runtime_error);
}

} // namespace
} // namespace ssr::test
