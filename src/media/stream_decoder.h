#pragma once
// Where a feed takes its decoded frames from (FrameSource), and the source that decodes an
// input on the caller's thread (StreamDecoder: files). Streams are decoded on a thread of
// their own (StreamReader) and may have nothing yet.

#include "media/av_util.h"

#include <functional>
#include <memory>
#include <string>

namespace ssr::media {

class FrameSource {
 public:
  enum class Pull {
    kFrame,  // `frame` holds the next decoded frame
    kNotYet, // nothing decoded yet (a stream still arriving); ask again later
    kEnd,    // the stream has ended (or broke); final
  };
  virtual ~FrameSource() = default;
  // The next decoded frame into `frame` and its time in seconds on the stream's timeline
  // (NaN when it has none).
  virtual Pull Next(AVFrame* frame, double& seconds) = 0;
  virtual bool at_end() const = 0;
  // At the end: a warning when the media stopped well before the duration the input
  // declares (a truncated file), or "".
  virtual std::string TruncationWarning(double last_media_t) const = 0;
  virtual void Warn(const std::string& message) const = 0;
};

// Pulls the decoded frames of one stream of an input, reading packets as needed: a read
// error ends the stream with a warning, a corrupt packet is skipped (reported once), and the
// end is final.
class StreamDecoder : public FrameSource {
 public:
  using WarningSink = std::function<void(const std::string&)>;

  StreamDecoder(DecoderInput input, WarningSink warn, const char* kind);
  // The decoder of a media file's best stream of `type`, from `start_s` (seeked); throws
  // std::runtime_error with the reason (OpenDecoder).
  static std::unique_ptr<StreamDecoder> OpenFile(const std::string& path, AVMediaType type,
                                                 WarningSink warn, double start_s,
                                                 const OpenOptions& options);

  Pull Next(AVFrame* frame, double& seconds) override;
  bool at_end() const override { return at_end_; }
  std::string TruncationWarning(double last_media_t) const override {
    return media::TruncationWarning(input_, last_media_t);
  }
  void Warn(const std::string& message) const override {
    if (warn_) {
      warn_(message);
    }
  }

  DecoderInput& input() { return input_; }
  // Bytes of every packet read so far (all of the input's streams): its bitrate.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  // Seconds on the stream's timeline of a decoded frame (NaN without a timestamp).
  double FrameSeconds(const AVFrame* frame) const;

  DecoderInput input_;
  WarningSink warn_;
  const char* kind_;
  PacketPtr packet_;
  bool at_end_ = false;
  bool warned_corrupt_ = false;
  int64_t bytes_read_ = 0;
};

} // namespace ssr::media
