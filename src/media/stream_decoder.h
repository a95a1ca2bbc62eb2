#pragma once
// Pulls the decoded frames of one stream of an input, reading packets as needed. Shared by
// the video and audio feeds: a read error ends the stream with a warning, a corrupt packet
// is skipped (reported once), and the end is final.

#include "media/av_util.h"

#include <functional>
#include <string>

namespace ssr::media {

class StreamDecoder {
 public:
  using WarningSink = std::function<void(const std::string&)>;

  StreamDecoder(DecoderInput input, WarningSink warn, const char* kind);

  // The next decoded frame into `frame`; false once the stream has ended.
  bool Next(AVFrame* frame);

  bool at_end() const { return at_end_; }
  DecoderInput& input() { return input_; }
  const DecoderInput& input() const { return input_; }
  // Seconds on the stream's timeline of a decoded frame (nullopt-like NaN without a timestamp).
  double FrameSeconds(const AVFrame* frame) const;
  void Warn(const std::string& message) const {
    if (warn_) {
      warn_(message);
    }
  }

 private:
  DecoderInput input_;
  WarningSink warn_;
  const char* kind_;
  PacketPtr packet_;
  bool at_end_ = false;
  bool warned_corrupt_ = false;
};

} // namespace ssr::media
