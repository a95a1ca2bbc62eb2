// IngestedTrack: media stamped on the monotonic clock lands on the track's own clock (session
// time − its track.publish time), in the live feed and in the bundle's raw track file; a file
// left by an earlier run is kept aside, never overwritten.

#include "live/ingested_track.h"
#include "media/av_util.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavutil/log.h>
}

#include <chrono>
#include <filesystem>
#include <vector>

namespace ssr::live {
namespace {

namespace fs = std::filesystem;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class IngestedTrackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    av_log_set_level(AV_LOG_QUIET); // the units are not real VP8: probing complains
  }

  // Feeds `frames` pictures and encoded units, one every 1/30 s of media time starting at
  // monotonic `start_ns`.
  void Feed(IngestedTrack& track, int64_t start_ns, int frames) {
    std::vector<uint8_t> y(64 * 36, 200), uv(32 * 18, 128);
    media::VideoPicture picture{y.data(), uv.data(), uv.data(), 64, 32, 32, 64, 36};
    const std::vector<uint8_t> unit(100, 0x42);
    track.OnCodec({"VP8", {}});
    for (int i = 0; i < frames; ++i) {
      const int64_t ns = start_ns + i * 1'000'000'000LL / 30;
      track.OnVideo(ns, picture);
      track.OnEncoded({unit.data(), unit.size(), ns, i == 0});
    }
    track.FinishFile();
  }
  test::TempDir temp_dir_;
  const fs::path dir_ = temp_dir_.path();
};

TEST_F(IngestedTrackTest, MediaLandsOnTheTracksClock) {
  SessionClock clock(dir_ / "clock.json");
  clock.AnchorAt(0); // session t = 0 is now
  record::LiveMediaProvider media;
  IngestedTrack track("cam", MediaKind::kVideo, clock, media, dir_ / "tracks");
  // Media from before the track.publish is known is not part of the track.
  Feed(track, NowNs(), 3);
  EXPECT_FALSE(fs::exists(dir_ / "tracks" / "cam.webm"));

  track.SetOrigin(1.0); // published at session t = 1 s
  IngestedTrack again("cam", MediaKind::kVideo, clock, media, dir_ / "tracks");
  again.SetOrigin(1.0);
  // Pictures captured at session t = 1.5 s: track time 0.5 s.
  const int64_t at_1_5 = NowNs() - static_cast<int64_t>(clock.Now() * 1e9) + 1'500'000'000LL;
  Feed(again, at_1_5, 30);
  ASSERT_TRUE(fs::exists(dir_ / "tracks" / "cam.webm"));
  EXPECT_NEAR(media::ProbeDurationSeconds((dir_ / "tracks" / "cam.webm").string()), 0.5 + 30 / 30.0,
              0.05);
  EXPECT_EQ(media.VideoFeedFor("cam").PictureAt(0.4), nullptr) << "nothing before track time 0.5 s";
  ASSERT_NE(media.VideoFeedFor("cam").PictureAt(0.6), nullptr);
  EXPECT_EQ(media.VideoFeedFor("cam").PictureAt(0.6)->width, 64);
}

TEST_F(IngestedTrackTest, AFileFromAnEarlierRunIsKeptAside) {
  SessionClock clock(dir_ / "clock.json");
  clock.AnchorAt(0);
  record::LiveMediaProvider media;
  {
    IngestedTrack first("cam", MediaKind::kVideo, clock, media, dir_ / "tracks");
    first.SetOrigin(0);
    Feed(first, NowNs(), 60);
  }
  const auto first_size = fs::file_size(dir_ / "tracks" / "cam.webm");
  IngestedTrack second("cam", MediaKind::kVideo, clock, media, dir_ / "tracks");
  second.SetOrigin(0);
  Feed(second, NowNs(), 10);
  ASSERT_TRUE(fs::exists(dir_ / "tracks" / "cam.webm.before-restart-1"));
  EXPECT_EQ(fs::file_size(dir_ / "tracks" / "cam.webm.before-restart-1"), first_size);
  EXPECT_LT(fs::file_size(dir_ / "tracks" / "cam.webm"), first_size);
}

} // namespace
} // namespace ssr::live
