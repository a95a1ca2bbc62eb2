// http::ParseRfc3339, the date-times clients send (a share link's expires_at): what it accepts
// and the instant it stands for; not-real dates are refused, leap second or not.

#include "http/rfc3339.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

TEST(ParseRfc3339, UtcOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(ParseRfc3339("2026-11-26T14:00:00Z"), 1795701600.0);
  EXPECT_EQ(ParseRfc3339("2026-11-26T15:00:00+01:00"), 1795701600.0);
  EXPECT_EQ(ParseRfc3339("2026-11-26t14:00:00z"), 1795701600.0);
  EXPECT_EQ(ParseRfc3339("2026-11-26T08:30:00-05:30"), 1795701600.0);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2026-11-26T14:00:00.25Z"), 1795701600.25);
}

TEST(ParseRfc3339, NotADateTimeIsNothing) {
  for (const char* text :
       {"", "2026-11-26", "2026-11-26T14:00:00", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T14:00:00.Z", "2026-11-26T14:00:00+24:00"}) {
    EXPECT_FALSE(ParseRfc3339(text).has_value()) << text;
  }
}

TEST(ParseRfc3339, DaysThatDoNotExistAreRefused) {
  EXPECT_FALSE(ParseRfc3339("2026-02-30T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2026-02-29T12:00:00Z").has_value());
  EXPECT_TRUE(ParseRfc3339("2028-02-29T12:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2026-04-31T12:00:00Z").has_value());
}

// Found by rfc3339_fuzzer: with the seconds at 60 the day was not checked, so November 31
// (read as December 2) was taken.
TEST(ParseRfc3339, ALeapSecondIsTheSecondAfter59OfARealDay) {
  EXPECT_EQ(ParseRfc3339("2016-12-31T23:59:60Z"), 1483228800.0); // = 2017-01-01T00:00:00Z
  EXPECT_FALSE(ParseRfc3339("2016-11-31T23:59:60Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2026-02-30T23:59:60Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2026-02-29T00:00:60Z").has_value());
}

} // namespace
} // namespace ssr::http
