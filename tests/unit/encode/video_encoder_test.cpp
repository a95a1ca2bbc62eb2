#include "encode/video_encoder.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ssr::encode {
namespace {

TEST(ParseBitrate, UnitsAndPlainNumbers) {
  EXPECT_EQ(ParseBitrate("600k"), 600000);
  EXPECT_EQ(ParseBitrate("1.5M"), 1500000);
  EXPECT_EQ(ParseBitrate("800000"), 800000);
}

TEST(ParseBitrate, BadValuesNameTheProblem) {
  for (const char* bad : {"", "fast", "-5k", "1.5G", "k", "1,5M"}) {
    try {
      ParseBitrate(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("bits per second"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(ParseBitrate("10k"), std::invalid_argument); // below 50k
  EXPECT_THROW(ParseBitrate("80M"), std::invalid_argument); // above 50M
}

TEST(EncoderProfile, NamesAndDefaultRates) {
  EXPECT_EQ(ParseEncoderProfile("default"), EncoderProfile::kHeld);
  EXPECT_EQ(ParseEncoderProfile("legacy"), EncoderProfile::kLegacy);
  EXPECT_THROW(ParseEncoderProfile("fast"), std::invalid_argument);
  EXPECT_EQ(DefaultVideoBitrate(EncoderProfile::kHeld, 1280, 720, 30), 580000);
  EXPECT_EQ(DefaultVideoBitrate(EncoderProfile::kLegacy, 1280, 720, 30), 1500000);
  EXPECT_EQ(DefaultVideoBitrate(EncoderProfile::kHeld, 1920, 1080, 30), 1305000);
}

TEST(VideoEncoder, HeldProfileSetsConstantBitrateAndKeyframeClock) {
  VideoEncoderOptions o;
  o.width = 320;
  o.height = 180;
  o.bitrate_bps = 200000;
  VideoEncoder encoder(o);
  EXPECT_EQ(encoder.context()->bit_rate, 200000);
  EXPECT_EQ(encoder.context()->rc_max_rate, 200000);
  EXPECT_EQ(encoder.context()->rc_min_rate, 200000);
  EXPECT_EQ(encoder.keyframe_interval_frames(), 300);
  o.profile = EncoderProfile::kLegacy;
  VideoEncoder legacy(o);
  EXPECT_EQ(legacy.context()->rc_max_rate, 0);
  EXPECT_EQ(legacy.keyframe_interval_frames(), 150);
}

TEST(VideoEncoder, ForcedKeyframeComesOutAsOne) {
  VideoEncoderOptions o;
  o.width = 320;
  o.height = 180;
  VideoEncoder encoder(o);
  media::I420Frame frame(320, 180);
  frame.Fill(100, 128, 128);
  std::vector<bool> keys;
  auto sink = [&](AVPacket* p) { keys.push_back((p->flags & AV_PKT_FLAG_KEY) != 0); };
  for (int i = 0; i < 10; ++i) {
    frame.Fill(static_cast<uint8_t>(100 + i), 128, 128);
    encoder.Encode(frame, i, sink, /*keyframe=*/i == 6);
  }
  encoder.Flush(sink);
  ASSERT_EQ(keys.size(), 10U);
  EXPECT_EQ(keys, (std::vector<bool>{true, false, false, false, false, false, true, false, false,
                                     false}));
}

TEST(VideoEncoder, UnknownOrBadExtraOptionIsNamed) {
  VideoEncoderOptions o;
  o.width = 320;
  o.height = 180;
  o.extra = {{"no-such-option", "1"}};
  try {
    VideoEncoder encoder(o);
    ADD_FAILURE() << "accepted an unknown option";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-option"), std::string::npos);
  }
  o.extra = {{"undershoot-pct", "lots"}};
  EXPECT_THROW(VideoEncoder encoder(o), std::invalid_argument);
}

} // namespace
} // namespace ssr::encode
