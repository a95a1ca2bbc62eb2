#include "http/download_name.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

TEST(DownloadName, PartFilesAreNamedAfterTheTitle) {
  EXPECT_EQ(PartFileName("Photosynthesis 101", 1), "Photosynthesis 101 - part 1.webm");
  EXPECT_EQ(PartFileName("a/b\\\\c:d*e?f\"g<h>i|j", 2), "a_b__c_d_e_f_g_h_i_j - part 2.webm");
  EXPECT_EQ(PartFileName("  ..Hidden. ", 3), "Hidden - part 3.webm");
  EXPECT_EQ(PartFileName("line\nbreak\ttab", 1), "line_break_tab - part 1.webm");
  EXPECT_EQ(PartFileName("...", 1), "recording - part 1.webm");
  EXPECT_EQ(PartFileName("", 1), "recording - part 1.webm");
}

TEST(DownloadName, LongTitlesAreCutOnACharacterBoundary) {
  std::string title(149, 'a');
  title += "\xC3\xBC\xC3\xBC"; // the first "ü" straddles byte 150
  const std::string stem = SafeFileStem(title);
  EXPECT_EQ(stem, std::string(149, 'a'));
  EXPECT_EQ(SafeFileStem(std::string(300, 'x')).size(), 150u);
}

TEST(DownloadName, ContentDispositionHasAnAsciiFallbackAndTheUtf8Name) {
  EXPECT_EQ(ContentDisposition("Photosynthesis 101 - part 1.webm"),
            "attachment; filename=\"Photosynthesis 101 - part 1.webm\"; "
            "filename*=UTF-8''Photosynthesis%20101%20-%20part%201.webm");
  EXPECT_EQ(ContentDisposition("Gr\xC3\xBC\xC3\x9F"
                               "e \xE2\x80\x93 1.webm"),
            "attachment; filename=\"Gr__e _ 1.webm\"; "
            "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E2%80%93%201.webm");
  EXPECT_EQ(ContentDisposition("a\"b\\c%d'e.webm"),
            "attachment; filename=\"a_b_c%d'e.webm\"; filename*=UTF-8''a%22b%5Cc%25d%27e.webm");
}

} // namespace
} // namespace ssr::http
