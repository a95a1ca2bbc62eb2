#pragma once
// Reads a rendered WebM back with libavformat: its streams, every video frame (scaled down to
// RGB for colour checks), the decoded audio (for tone checks) and the chat cues.

#include <cstdint>
#include <string>
#include <vector>

namespace ssr::test {

struct ProbedStream {
  std::string type;  // "video", "audio", "subtitle"
  std::string codec; // "vp9", "vp8", "opus", "webvtt"
};

struct ProbedCue {
  double start_s = 0;
  double end_s = 0;
  std::string text;
};

class OutputProbe {
 public:
  static constexpr int kWidth = 320;
  static constexpr int kHeight = 180;

  explicit OutputProbe(const std::string& path); // throws std::runtime_error

  std::vector<ProbedStream> streams;
  double duration_s = 0;  // container duration
  double video_end_s = 0; // last frame's pts + one frame
  int64_t video_frames = 0;
  int video_width = 0; // the coded picture of the (first) video stream
  int video_height = 0;
  std::vector<ProbedCue> cues;

  // Fraction of pixels of the region (normalized coordinates) of the frame shown at t whose
  // colour is within `tolerance` (per channel) of 0xrrggbb.
  double ColourFraction(double t, double x0, double y0, double x1, double y1, uint32_t rgb,
                        int tolerance = 50) const;
  // The mean colour of a region, as 0xrrggbb.
  uint32_t MeanColour(double t, double x0, double y0, double x1, double y1) const;

  // Amplitude of a sine at `hz` in the left channel over [t0, t1) (Goertzel), ~ the sine's
  // peak amplitude when present.
  double ToneLevel(double hz, double t0, double t1) const;
  // The time of every decoded video frame, in order.
  std::vector<double> FrameTimes() const;

  // Largest absolute sample, and how many samples sit at full scale.
  double Peak() const;
  int64_t FullScaleSamples() const;

 private:
  struct Frame {
    double t = 0;
    std::vector<uint8_t> rgb; // kWidth x kHeight x 3
  };
  const Frame& FrameAt(double t) const;

  std::vector<Frame> frames_;
  std::vector<float> audio_; // interleaved stereo 48 kHz
};

} // namespace ssr::test
