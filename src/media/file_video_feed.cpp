#include "media/file_video_feed.h"

extern "C" {
#include <libswscale/swscale.h>
}

#include <cmath>
#include <stdexcept>

namespace ssr::media {

FileVideoFeed::FileVideoFeed(const std::string& path,
                             std::function<void(const std::string&)> on_warning, double start_s,
                             const OpenOptions& options)
    : FileVideoFeed(StreamDecoder::OpenFile(path, AVMEDIA_TYPE_VIDEO, std::move(on_warning),
                                            start_s, options)) {
  if (!has_next_) {
    throw std::runtime_error("no decodable video picture");
  }
}

FileVideoFeed::FileVideoFeed(std::unique_ptr<FrameSource> source)
    : source_(std::move(source)), next_(av_frame_alloc()), current_(av_frame_alloc()) {
  has_next_ = DecodeNext();
}

FileVideoFeed::~FileVideoFeed() { sws_freeContext(sws_); }

bool FileVideoFeed::DecodeNext() {
  double t = NAN;
  switch (source_->Next(next_.get(), t)) {
  case FrameSource::Pull::kFrame:
    next_t_ = std::isnan(t) ? current_t_ + 1.0 / 30 : t;
    return true;
  case FrameSource::Pull::kNotYet:
    return false;
  case FrameSource::Pull::kEnd:
    break;
  }
  if (!ended_reported_) {
    ended_reported_ = true;
    const std::string truncated = source_->TruncationWarning(next_t_);
    if (!truncated.empty()) {
      source_->Warn(truncated);
    }
  }
  return false;
}

void FileVideoFeed::ConvertCurrent() {
  AVFrame* f = current_.get();
  if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) {
    picture_ = {f->data[0],     f->data[1],     f->data[2],    f->linesize[0],
                f->linesize[1], f->linesize[2], f->width & ~1, f->height & ~1};
    return;
  }
  int w = f->width & ~1;
  int h = f->height & ~1;
  sws_ = sws_getCachedContext(sws_, f->width, f->height, static_cast<AVPixelFormat>(f->format), w,
                              h, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (converted_.width() != w || converted_.height() != h) {
    converted_.Resize(w, h);
  }
  uint8_t* dst[3] = {converted_.y(), converted_.u(), converted_.v()};
  int dst_stride[3] = {converted_.stride_y(), converted_.stride_uv(), converted_.stride_uv()};
  sws_scale(sws_, f->data, f->linesize, 0, f->height, dst, dst_stride);
  picture_ = {converted_.y(),
              converted_.u(),
              converted_.v(),
              converted_.stride_y(),
              converted_.stride_uv(),
              converted_.stride_uv(),
              w,
              h};
}

const VideoPicture* FileVideoFeed::PictureAt(double track_t) {
  constexpr double kEpsilon = 1e-6;
  bool replaced = false;
  // Every due picture replaces the current one; only the last of them is converted. A
  // stream's next picture may arrive between two calls.
  if (!has_next_ && !source_->at_end()) {
    has_next_ = DecodeNext();
  }
  while (has_next_ && next_t_ <= track_t + kEpsilon) {
    std::swap(current_, next_);
    current_t_ = next_t_;
    has_current_ = true;
    replaced = true;
    has_next_ = DecodeNext();
  }
  if (replaced) {
    ConvertCurrent();
  }
  if (!has_current_ || track_t - current_t_ > kFreezeSeconds) {
    return nullptr; // not started yet, or stalled: the tile shows the name card
  }
  return &picture_;
}

} // namespace ssr::media
