#pragma once
// The one place a recorded part is written, for both clocks: `ssr render` (a virtual clock, as
// fast as the CPU allows) and the live recorder (real time). It owns the video and audio
// encoders, the keyframe plan, the WebM writer with its chat track and the chat .vtt sidecar.
// The caller composes and mixes; NextUnit says whether a video frame or an audio block comes
// next on the part's clock (the one interleave step), and the part encodes and muxes it.
//
// Errors throw (std::runtime_error naming the file): the caller decides what a failed part
// means (`ssr render` fails, a live part ends with its error).

#include "encode/audio_encoder.h"
#include "encode/chat_cue.h"
#include "encode/keyframe_planner.h"
#include "encode/video_encoder.h"
#include "encode/vtt_writer.h"
#include "encode/webm_writer.h"
#include "media/i420_frame.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

namespace ssr::record {

// PART.vtt beside PART.webm: the chat sidecar of a part.
std::filesystem::path VttPathFor(const std::filesystem::path& webm);

// Encodes composed frames into the part's video stream. The default encodes on the calling
// thread; `ssr render` plugs in its EncodeWorker so that composing overlaps encoding.
class VideoStage {
 public:
  virtual ~VideoStage() = default;
  // A frame to compose into.
  virtual media::I420Frame* AcquireFrame() = 0;
  // Encodes a composed frame as picture `index` (a keyframe when `keyframe`).
  virtual void Submit(media::I420Frame* frame, int64_t index, bool keyframe) = 0;
  // Encodes what is left and flushes the encoder; rethrows an encoding error.
  virtual void Finish() = 0;
};

using VideoStageFactory = std::function<std::unique_ptr<VideoStage>(
    encode::VideoEncoder& encoder, encode::WebmWriter& writer, int stream)>;

struct PartWriterOptions {
  std::filesystem::path output; // PART.webm; the chat also goes to VttPathFor(output)
  encode::VideoEncoderOptions video;
  bool scene_keyframes = true; // keyframes on large changes of the picture too
  int keyframe_phase_frames = 0;
  // Longest time libavformat may hold packets to interleave them; 0: its default (10 s).
  int64_t max_interleave_delay_us = 0;
  VideoStageFactory video_stage; // empty: encode on the calling thread
};

// CPU seconds the part spent on the calling thread, by stage.
struct PartWriterCpu {
  double audio_encode_s = 0; // Opus, without muxing its packets
  double mux_s = 0;          // chat cues and audio packets
};

class PartWriter {
 public:
  static constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

  // Opens PART.webm (header written) and PART.vtt; throws std::runtime_error.
  explicit PartWriter(PartWriterOptions options);
  ~PartWriter();
  PartWriter(const PartWriter&) = delete;
  PartWriter& operator=(const PartWriter&) = delete;

  // What comes next on the part's clock: video frame `frames()` at frames()/fps or audio block
  // `audio_blocks()` at its first sample; video first on a tie. nullopt once both reached
  // their totals.
  struct Unit {
    bool video = false;
    double t = 0; // seconds since the part's start
  };
  std::optional<Unit> NextUnit(int64_t total_frames = kUnbounded,
                               int64_t total_audio_blocks = kUnbounded) const;

  // Video: compose into AcquireFrame(), then SubmitFrame with the composer's static_change
  // (the keyframe plan decides on it).
  media::I420Frame* AcquireFrame();
  void SubmitFrame(media::I420Frame* frame, double static_change);
  // Video: leaves frame `frames()` out (an overloaded live recorder sheds it): nothing is
  // encoded, the previous picture stays on screen a frame longer, and the clock moves on.
  void SkipFrame() {
    ++frames_;
    ++skipped_frames_;
  }
  // Audio: one block of AudioEncoder::kFrameSamples interleaved stereo samples.
  void WriteAudio(const float* samples);
  // A chat cue into the WebM chat track and the .vtt.
  void WriteCue(const encode::ChatCue& cue);
  // Flushes the encoders, writes the WebM cues and duration, closes both files.
  void Finish();

  int64_t frames() const { return frames_; } // on the part's clock, skipped ones included
  int64_t skipped_frames() const { return skipped_frames_; }
  int64_t audio_blocks() const { return audio_blocks_; }
  int chat_cues() const { return chat_cues_; }
  int64_t keyframes() const { return keyframes_.keyframes(); }
  int64_t scene_keyframes() const { return keyframes_.scene_keyframes(); }
  int64_t video_bitrate_bps() const { return video_encoder_.context()->bit_rate; }
  int fps() const { return options_.video.fps; }
  const PartWriterCpu& cpu() const { return cpu_; }

 private:
  PartWriterOptions options_;
  encode::VideoEncoder video_encoder_;
  encode::KeyframePlanner keyframes_;
  bool plan_keyframes_;
  encode::AudioEncoder audio_encoder_;
  encode::WebmWriter writer_;
  encode::VttWriter vtt_;
  int video_stream_ = -1;
  int audio_stream_ = -1;
  std::unique_ptr<VideoStage> video_stage_;
  int64_t frames_ = 0;
  int64_t skipped_frames_ = 0;
  int64_t audio_blocks_ = 0;
  int chat_cues_ = 0;
  bool finished_ = false;
  PartWriterCpu cpu_;
};

} // namespace ssr::record
