#pragma once
// `ssr render`: one room of a bundle into a WebM and its chat .vtt, on a virtual clock that
// runs as fast as the CPU allows. Video frame N shows the room at t = start + N/fps; audio is
// mixed in 20 ms blocks; both advance one reducer in time order.

#include "encode/video_encoder.h"
#include "events/bundle.h"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ssr::render {

struct RenderOptions {
  std::string room = "main";
  int width = 1280;
  int height = 720;
  int fps = 30;
  encode::VideoCodec codec = encode::VideoCodec::kVp9;
  std::filesystem::path output; // OUT.webm; the chat goes to OUT.vtt
  int encoder_threads = 0;      // 0: every core
  encode::EncoderProfile encoder_profile = encode::EncoderProfile::kHeld;
  int64_t video_bitrate_bps = 0; // 0: the profile's default for the size and frame rate
  bool screen_content = false;   // VP9 tune-content screen
  bool scene_keyframes = true;   // keyframes on large changes of the picture too
  std::map<std::string, std::string> encoder_extra; // libvpx options (experiments)
  std::function<void(double fraction, double speed)> on_progress;
  std::function<void(const std::string&)> on_warning;
  // Hosts and addresses stream.start may reach although not public (stream_url_allow).
  std::vector<std::string> stream_url_allow;
};

// Where the recording of a room starts and ends on the session clock.
struct RenderSpan {
  double start_t = 0; // 0 for main; the room.open of a breakout room
  double end_t = 0;   // the later of the last event and the end of the room's track media
};

// Session time at which a room's recording starts: 0 for main, its room.open for a
// breakout. Throws events::BundleError when the room never exists in the bundle.
double RoomStartTime(const events::Bundle& bundle, const std::string& room);

// Also probes the room's track files for their durations. Throws like RoomStartTime.
RenderSpan ComputeSpan(const events::Bundle& bundle, const std::string& room);

struct RenderReport {
  double media_s = 0;
  int64_t frames = 0;
  int chat_cues = 0;
  double wall_s = 0;
  uint64_t static_redraws = 0;
  int64_t keyframes = 0;       // forced by the keyframe plan (the default profile)
  int64_t scene_keyframes = 0; // of which on a large change of the picture
  int64_t video_bitrate_bps = 0;
  // CPU seconds by stage. Video encoding runs on its own threads and is what the process
  // spent beyond the composing thread.
  double compose_cpu_s = 0; // layout, panes, scaling (without decoding)
  double decode_cpu_s = 0;  // decoding the tracks
  double mix_cpu_s = 0;     // audio mix and limiter
  double audio_encode_cpu_s = 0;
  double mux_cpu_s = 0; // chat cues and audio packets written by the main thread
  double video_encode_cpu_s = 0;
  double total_cpu_s = 0;
};

RenderReport RenderBundle(const events::Bundle& bundle, const RenderOptions& options);

} // namespace ssr::render
