#pragma once
// What a stream (stream.start) may cost the recorder: its picture size and its bitrate. Held
// by StreamReader; a MediaProvider says which apply (tests lower them).

#include <cstdint>

namespace ssr::media {

struct StreamLimits {
  int64_t max_pixels = int64_t{1920} * 1080; // the picture; larger streams are refused
  double max_bitrate_bps = 20e6;             // all of the stream's packets together
  double bitrate_window_s = 5;               // the average is judged from this long on
};

} // namespace ssr::media
