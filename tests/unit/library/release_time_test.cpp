#include "library/release_time.h"

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

LocalDateTime At(const std::string& text) {
  const auto t = ParseLocalDateTime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(LocalDateTime{});
}

// 2026-12-01T09:00 in New York (EST, UTC-5) is 14:00 UTC: 1796133600.
TEST(ReleaseTime, AWallClockTimeInAZoneIsTheInstantItStandsFor) {
  EXPECT_EQ(LocalToUnixSeconds(At("2026-12-01T09:00"), "America/New_York"), 1796133600.0);
  EXPECT_EQ(LocalToUnixSeconds(At("2026-12-01T14:00"), "UTC"), 1796133600.0);
  EXPECT_EQ(LocalToUnixSeconds(At("2026-12-01T15:00:00"), "Europe/Paris"), 1796133600.0);
  // Summer time: New York is UTC-4 in July.
  EXPECT_EQ(LocalToUnixSeconds(At("2026-07-01T09:00:30"), "America/New_York"),
            LocalToUnixSeconds(At("2026-07-01T13:00:30"), "UTC"));
}

// 2027-03-14 02:00 EST clocks jump to 03:00 EDT in New York: 02:30 never happens.
TEST(ReleaseTime, ATimeInTheSpringGapIsRefusedNamingReleaseAt) {
  try {
    LocalToUnixSeconds(At("2027-03-14T02:30"), "America/New_York");
    FAIL() << "02:30 does not exist that day";
  } catch (const ReleaseTimeError& e) {
    EXPECT_EQ(e.field(), "release_at");
    EXPECT_NE(std::string(e.what()).find("does not exist in America/New_York"), std::string::npos);
  }
  // Either side of the gap is fine: 01:59 EST = 06:59 UTC, 03:00 EDT = 07:00 UTC.
  EXPECT_EQ(LocalToUnixSeconds(At("2027-03-14T01:59"), "America/New_York"),
            LocalToUnixSeconds(At("2027-03-14T06:59"), "UTC"));
  EXPECT_EQ(LocalToUnixSeconds(At("2027-03-14T03:00"), "America/New_York"),
            LocalToUnixSeconds(At("2027-03-14T07:00"), "UTC"));
}

// 2026-11-01 02:00 EDT clocks go back to 01:00 EST: 01:30 happens twice; the first counts.
TEST(ReleaseTime, ATimeThatOccursTwiceInAutumnIsItsFirstOccurrence) {
  EXPECT_EQ(LocalToUnixSeconds(At("2026-11-01T01:30"), "America/New_York"),
            LocalToUnixSeconds(At("2026-11-01T05:30"), "UTC")); // 01:30 EDT, not 06:30 (EST)
}

TEST(ReleaseTime, OnlyLocalDatesAndTimesThatExistParse) {
  for (const char* bad :
       {"", "2026-12-01", "2026-12-01 09:00", "2026-12-01T09:00Z", "2026-12-01T09:00+01:00",
        "2026-12-01T9:00", "2026-02-30T09:00", "2026-13-01T09:00", "2026-12-01T24:00",
        "2026-12-01T09:60", "2026-12-01T09:00:61", "2026-12-01T09:00:00.5", "1969-12-31T23:59",
        "tomorrow"}) {
    EXPECT_FALSE(ParseLocalDateTime(bad)) << bad;
  }
  EXPECT_EQ(At("2028-02-29T23:59:59").ToString(), "2028-02-29T23:59:59");
  EXPECT_EQ(At("2026-12-01T09:00:00").ToString(), "2026-12-01T09:00");
}

TEST(ReleaseTime, ZonesComeFromTheTzDatabase) {
  EXPECT_TRUE(IsTimeZone("America/New_York"));
  EXPECT_TRUE(IsTimeZone("UTC"));
  EXPECT_TRUE(IsTimeZone("Asia/Kolkata"));
  for (const char* bad : {"", "Mars/Olympus_Mons", "america/new_york", "../../etc/passwd",
                          "/usr/share/zoneinfo/UTC", "EST5EDT,M3.2.0,M11.1.0", "+05:00"}) {
    EXPECT_FALSE(IsTimeZone(bad)) << bad;
  }
  try {
    LocalToUnixSeconds(At("2026-12-01T09:00"), "Mars/Olympus_Mons");
    FAIL();
  } catch (const ReleaseTimeError& e) {
    EXPECT_EQ(e.field(), "release_timezone");
  }
}

} // namespace
} // namespace ssr::library
