// The one title rule (common/title.h): trimmed, UTF-8, 1..200 characters, one line.

#include "common/title.h"

#include <gtest/gtest.h>

namespace ssr {
namespace {

std::string Repeat(const std::string& unit, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i)
    s += unit;
  return s;
}

TEST(Title, TrimsSpacesAroundIt) {
  const CheckedTitle checked = CheckTitle(" \t Cell biology \r\n");
  EXPECT_TRUE(checked.ok()) << checked.problem;
  EXPECT_EQ(checked.title, "Cell biology");
}

TEST(Title, CountsCharactersNotBytes) {
  // 200 two-byte and 200 three-byte characters are fine; one more is not.
  for (const std::string unit : {"x", "é", "€"}) {
    const CheckedTitle at_limit = CheckTitle(Repeat(unit, 200));
    EXPECT_TRUE(at_limit.ok()) << unit << ": " << at_limit.problem;
    EXPECT_EQ(at_limit.title.size(), 200 * unit.size());
    const CheckedTitle over = CheckTitle(Repeat(unit, 201));
    EXPECT_FALSE(over.ok()) << unit;
    EXPECT_EQ(over.problem, "must be 1 to 200 characters (spaces around it do not count)");
  }
  // Spaces around a title at the limit do not count.
  EXPECT_TRUE(CheckTitle("  " + Repeat("é", 200) + "  ").ok());
}

TEST(Title, EmptyIsRejectedUnlessAllowed) {
  for (const char* blank : {"", "   ", "\t\r\n"}) {
    EXPECT_EQ(CheckTitle(blank).problem,
              "must be 1 to 200 characters (spaces around it do not count)");
    const CheckedTitle allowed = CheckTitle(blank, EmptyTitle::kAllowed);
    EXPECT_TRUE(allowed.ok()) << allowed.problem;
    EXPECT_EQ(allowed.title, "");
  }
  EXPECT_EQ(CheckTitle(Repeat("x", 201), EmptyTitle::kAllowed).problem,
            "must be at most 200 characters (spaces around it do not count)");
}

TEST(Title, RejectsControlCharactersInside) {
  for (const char* bad : {"a\nb", "a\tb",
                          "a\x7f"
                          "b",
                          "a\x01"
                          "b"}) {
    EXPECT_EQ(CheckTitle(bad).problem, "must not contain control characters (line breaks, tabs)")
        << bad;
  }
}

TEST(Title, RejectsInvalidUtf8) {
  for (const std::string& bad : {std::string("caf\xC3"),
                                 std::string("\xFF"
                                             "abc"),
                                 std::string("a\xC0\xAF"
                                             "b"),
                                 std::string("\xED\xA0\x80")}) {
    EXPECT_EQ(CheckTitle(bad).problem, "must be UTF-8 text");
  }
}

} // namespace
} // namespace ssr
