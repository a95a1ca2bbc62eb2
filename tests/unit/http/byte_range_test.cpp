#include "http/byte_range.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

using Kind = ByteRange::Kind;

void ExpectPartial(std::string_view header, uint64_t size, uint64_t first, uint64_t last) {
  const ByteRange r = ParseByteRange(header, size);
  EXPECT_EQ(r.kind, Kind::kPartial) << header;
  EXPECT_EQ(r.first, first) << header;
  EXPECT_EQ(r.last, last) << header;
}

TEST(ByteRange, SingleRangesOfTheThreeForms) {
  ExpectPartial("bytes=0-99", 1000, 0, 99);
  ExpectPartial("bytes=100-", 1000, 100, 999);
  ExpectPartial("bytes=-100", 1000, 900, 999);
  ExpectPartial("bytes=0-0", 1000, 0, 0);
  ExpectPartial("bytes=999-999", 1000, 999, 999);
  EXPECT_EQ(ParseByteRange("bytes=10-19", 1000).length(), 10u);
}

TEST(ByteRange, RangesReachingPastTheEndAreClipped) {
  ExpectPartial("bytes=900-5000", 1000, 900, 999);
  ExpectPartial("bytes=-5000", 1000, 0, 999);
  ExpectPartial("bytes=0-18446744073709551615", 1000, 0, 999);
  ExpectPartial("bytes=0-99999999999999999999999", 1000, 0, 999);
  ExpectPartial("bytes=-99999999999999999999", 1000, 0, 999);
}

TEST(ByteRange, UnitAndSpacesAreTolerantAsTheGrammarAllows) {
  ExpectPartial("BYTES=1-2", 10, 1, 2);
  ExpectPartial("  bytes=1-2  ", 10, 1, 2);
  ExpectPartial("bytes= 1-2", 10, 1, 2);
  ExpectPartial("bytes=1-2,", 10, 1, 2); // empty list elements are allowed
}

TEST(ByteRange, NoByteOfTheResourceIsUnsatisfiable) {
  EXPECT_EQ(ParseByteRange("bytes=1000-", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=1000-2000", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=-0", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=99999999999999999999-", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=-5", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseByteRange("bytes=2000-3000, 5000-", 1000).kind, Kind::kUnsatisfiable);
}

TEST(ByteRange, SeveralRangesGetTheWholeResource) {
  EXPECT_EQ(ParseByteRange("bytes=0-1,5-6", 1000).kind, Kind::kWhole);
  EXPECT_EQ(ParseByteRange("bytes=0-1, 2000-", 1000).kind, Kind::kWhole);
}

TEST(ByteRange, BadHeadersAreIgnored) {
  for (const char* bad :
       {"", "bytes", "bytes=", "bytes=,", "bytes=-", "bytes=abc", "bytes=5", "bytes=5-4",
        "bytes=1-2-3", "bytes=--5", "bytes=+1-2", "bytes=1 -2", "bytes=0x10-20", "bytes=1-2;3",
        "items=0-5", "bytes 0-5", "bytes=\xff-1", "=0-5", "bytes=0-5,junk"}) {
    EXPECT_EQ(ParseByteRange(bad, 1000).kind, Kind::kWhole) << bad;
  }
  EXPECT_EQ(ParseByteRange(std::string_view("bytes=1-\0", 9), 1000).kind, Kind::kWhole);
  EXPECT_EQ(ParseByteRange(std::string_view("bytes=\0-5", 9), 1000).kind, Kind::kWhole);
}

} // namespace
} // namespace ssr::http
