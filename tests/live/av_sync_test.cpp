// Lip sync through the whole live path: a publisher flashes white and beeps at the same
// instant every second (aiortc over WHIP, video and audio on one media clock); in the
// recording each flash and its beep must be within ±40 ms (EBU R37 allows +40/−60 ms).

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;

double Luma(uint32_t rgb) {
  return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
}

// Times of the frames where the tile turns from dark to bright.
std::vector<double> FlashOnsets(const OutputProbe& probe) {
  std::vector<double> onsets;
  bool bright = true; // ignore a flash already on at the start
  for (double t : probe.FrameTimes()) {
    const bool now_bright = Luma(probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1)) > 128;
    if (now_bright && !bright)
      onsets.push_back(t);
    bright = now_bright;
  }
  return onsets;
}

// Where 1 kHz beeps start: the middle of the first 4 ms window whose 1 kHz level passes half
// of the beep's level, after at least 0.5 s of silence.
std::vector<double> BeepOnsets(const OutputProbe& probe, double duration_s) {
  constexpr double kWindow = 0.004, kStep = 0.001;
  double peak = 0;
  for (double t = 0; t + kWindow < duration_s; t += 0.01)
    peak = std::max(peak, probe.ToneLevel(1000, t, t + kWindow));
  std::vector<double> onsets;
  double last_loud = -1;
  for (double t = 0; t + kWindow < duration_s; t += kStep) {
    if (probe.ToneLevel(1000, t, t + kWindow) > peak / 2) {
      if (last_loud < 0 || t - last_loud > 0.5)
        onsets.push_back(t + kWindow / 2);
      last_loud = t;
    }
  }
  return onsets;
}

TEST(AvSyncTest, FlashAndBeepStayWithin40Ms) {
  TempDir dir;
  dir.KeepIfTestFailed();
  ServeProcess server;
  const LiveClass live = StartClass(server, "av-sync");
  BackgroundCommand publisher(WhipPublisherCommand(server, live, "cam-h1+mic-h1",
                                                   "--seconds 13 --video flash --audio beep"));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(8));
  StopRecording(server, recording.at("id"));
  ASSERT_EQ(publisher.Wait(30), 0) << publisher.Output();
  OutputProbe probe(DownloadPart(server, recording.at("id"), 1, dir).string());

  const auto flashes = FlashOnsets(probe);
  const auto beeps = BeepOnsets(probe, probe.duration_s);
  ASSERT_GE(flashes.size(), 6u);
  ASSERT_GE(beeps.size(), 6u);
  int paired = 0;
  std::string report;
  for (double flash : flashes) {
    double nearest = beeps.front();
    for (double beep : beeps) {
      if (std::abs(beep - flash) < std::abs(nearest - flash))
        nearest = beep;
    }
    const double offset_ms = (flash - nearest) * 1000; // > 0: picture after sound
    report += std::to_string(static_cast<int>(std::lround(offset_ms))) + " ";
    if (std::abs(offset_ms) > 500)
      continue; // a flash whose beep fell outside the part
    ++paired;
    // A flash shows on the first composite frame at or after its instant (frames are 33 ms
    // apart), so the picture is 0..33 ms late by sampling alone; EBU R37: +40/−60 ms.
    EXPECT_LE(offset_ms, 40) << "flash at " << flash << " s, beep at " << nearest << " s";
    EXPECT_GE(offset_ms, -40) << "flash at " << flash << " s, beep at " << nearest << " s";
  }
  EXPECT_GE(paired, 6);
  std::cout << "flash - beep offsets (ms): " << report << "\n";
}

} // namespace
} // namespace ssr::test
