// Checks on typed text (common/text.h): trimming, counting and validating UTF-8.

#include "common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace ssr {
namespace {

TEST(Text, TrimSpaceDropsSpacesTabsAndLineBreaksAround) {
  EXPECT_EQ(TrimSpace(" \t a b \r\n"), "a b");
  EXPECT_EQ(TrimSpace(" \n "), "");
  EXPECT_EQ(TrimSpace(""), "");
}

TEST(Text, Utf8CharactersCountsCodePoints) {
  EXPECT_EQ(Utf8Characters("abc"), 3U);
  EXPECT_EQ(Utf8Characters("Grüße"), 5U);
  EXPECT_EQ(Utf8Characters("€𝄞"), 2U); // three and four bytes
}

TEST(Text, ValidUtf8AcceptsWellFormedText) {
  for (const std::string& good : {std::string(""), std::string("plain"), std::string("Grüße – ok"),
                                  std::string("\xF0\x9D\x84\x9E"), // U+1D11E, four bytes
                                  std::string("\xF4\x8F\xBF\xBF"), // U+10FFFF, the last code point
                                  std::string("\xEF\xBF\xBD")}) {  // U+FFFD
    EXPECT_TRUE(ValidUtf8(good)) << good;
  }
}

TEST(Text, ValidUtf8RejectsMalformedSequences) {
  const std::string bad[] = {
      "\x80",             // a continuation byte alone
      "\xC3",             // truncated two-byte sequence
      "\xE2\x82",         // truncated three-byte sequence
      "\xC0\xAF",         // overlong '/'
      "\xE0\x80\xAF",     // overlong '/' in three bytes
      "\xF0\x80\x80\xAF", // overlong '/' in four bytes
      "\xED\xA0\x80",     // a UTF-16 surrogate (U+D800)
      "\xF4\x90\x80\x80", // above U+10FFFF
      "\xF5\x80\x80\x80", // a lead byte that never starts a sequence
      "\xC3\x28",         // a lead byte followed by ASCII
      "\xE2\x28\xA1",     // a bad continuation in the middle
  };
  for (const std::string& s : bad) {
    EXPECT_FALSE(ValidUtf8(s)) << testing::PrintToString(s);
    EXPECT_FALSE(ValidUtf8("ok " + s + " ok")) << testing::PrintToString(s);
  }
}

} // namespace
} // namespace ssr
