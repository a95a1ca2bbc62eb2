#pragma once
// The picture a recording's parts are made at: the organization's video settings (video_size,
// video_fps, video_bitrate_bps), read when a part starts.

#include <cstdint>

namespace ssr::control {

struct PartVideo {
  int width = 1280;
  int height = 720;
  int fps = 30;
  int64_t bitrate_bps = 0; // 0: the encoder's default for the size and frame rate
  bool operator==(const PartVideo&) const = default;
};

} // namespace ssr::control
