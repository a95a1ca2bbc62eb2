#pragma once
// A VideoFeed that decodes a media file forward as the composer's clock advances, or shows
// the frames of a stream decoded on another thread (a StreamReader) as they arrive.

#include "media/av_util.h"
#include "media/feeds.h"
#include "media/i420_frame.h"
#include "media/stream_decoder.h"

#include <functional>
#include <memory>
#include <string>

struct SwsContext;

namespace ssr::media {

class FileVideoFeed : public VideoFeed {
 public:
  // How long a picture stays on screen when no newer one follows (a stall or the end of the
  // file) before the tile falls back to the name card.
  static constexpr double kFreezeSeconds = 2.0;

  // Throws std::runtime_error with the reason when the file has no decodable video.
  // `start_s` seeks first (a media file played from a position). `on_warning` hears of problems
  // found later (a truncated or corrupt stream), once.
  FileVideoFeed(const std::string& path, std::function<void(const std::string&)> on_warning,
                double start_s = 0, const OpenOptions& options = {});
  // Frames from `source` (a stream): a picture is shown once it has arrived.
  explicit FileVideoFeed(std::unique_ptr<FrameSource> source);
  ~FileVideoFeed() override;

  const VideoPicture* PictureAt(double track_t) override;
  // The input has ended (or broke) and its last picture is the current one.
  bool ended() const { return source_->at_end() && !has_next_; }

 private:
  bool DecodeNext();     // fills next_; false at the end of the usable stream or not yet
  void ConvertCurrent(); // makes picture_ a YUV 4:2:0 view of current_

  std::unique_ptr<FrameSource> source_;
  FramePtr next_;
  FramePtr current_;
  bool has_next_ = false;
  bool has_current_ = false;
  bool ended_reported_ = false; // the truncation check is made once
  double next_t_ = 0;
  double current_t_ = 0;
  SwsContext* sws_ = nullptr;
  I420Frame converted_;
  VideoPicture picture_;
};

} // namespace ssr::media
