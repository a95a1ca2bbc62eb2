// Audio or video (common/media_kind.h): one name per kind, parsed back exactly.

#include "common/media_kind.h"

#include <gtest/gtest.h>

namespace ssr {
namespace {

TEST(MediaKind, NamesAndParsesBothKinds) {
  EXPECT_EQ(KindName(MediaKind::kAudio), "audio");
  EXPECT_EQ(KindName(MediaKind::kVideo), "video");
  for (MediaKind kind : {MediaKind::kAudio, MediaKind::kVideo}) {
    EXPECT_EQ(ParseMediaKind(KindName(kind)), kind);
  }
}

TEST(MediaKind, ParsesNothingElse) {
  for (const char* other : {"", "Video", "AUDIO", "application", "text", "video "}) {
    EXPECT_EQ(ParseMediaKind(other), std::nullopt) << other;
  }
}

} // namespace
} // namespace ssr
