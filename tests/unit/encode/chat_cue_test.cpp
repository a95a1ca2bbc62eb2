#include "encode/chat_cue.h"

#include <gtest/gtest.h>

namespace ssr::encode {
namespace {

TEST(ChatCue, PayloadEscapesAndNamesTheSpeaker) {
  EXPECT_EQ(CuePayload({0, 1, "Ada", "a < b & c > d"}), "<v Ada>a &lt; b &amp; c &gt; d");
  EXPECT_EQ(CuePayload({0, 1, "<b>Bo</b>", "x"}), "<v &lt;b&gt;Bo&lt;/b&gt;>x");
  EXPECT_EQ(CuePayload({0, 1, "ليلى", "مرحبا 🎉"}), "<v ليلى>مرحبا 🎉");
}

TEST(ChatCue, NoBlankLineInsideACue) {
  EXPECT_EQ(CuePayload({0, 1, "A", "one\n\n\ntwo\r\n"}), "<v A>one\ntwo");
  EXPECT_EQ(CuePayload({0, 1, "A\nB", "x"}), "<v A B>x");
}

TEST(ChatCue, Timestamps) {
  EXPECT_EQ(VttTimestamp(0), "00:00:00.000");
  EXPECT_EQ(VttTimestamp(1.2504), "00:00:01.250");
  EXPECT_EQ(VttTimestamp(3725.5), "01:02:05.500");
  EXPECT_EQ(VttTimestamp(-3), "00:00:00.000");
}

} // namespace
} // namespace ssr::encode
