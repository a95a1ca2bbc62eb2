#include "media/stream_decoder.h"

#include <cmath>

namespace ssr::media {

StreamDecoder::StreamDecoder(DecoderInput input, WarningSink warn, const char* kind)
    : input_(std::move(input)), warn_(std::move(warn)), kind_(kind), packet_(av_packet_alloc()) {}

std::unique_ptr<StreamDecoder> StreamDecoder::OpenFile(const std::string& path, AVMediaType type,
                                                       WarningSink warn, double start_s,
                                                       const OpenOptions& options) {
  auto decoder = std::make_unique<StreamDecoder>(OpenDecoder(path, type, options), std::move(warn),
                                                 type == AVMEDIA_TYPE_VIDEO ? "video" : "audio");
  SeekBefore(decoder->input(), start_s);
  return decoder;
}

double StreamDecoder::FrameSeconds(const AVFrame* frame) const {
  const int64_t pts = frame->best_effort_timestamp;
  return pts == AV_NOPTS_VALUE
             ? NAN
             : static_cast<double>(pts) * av_q2d(input_.time_base) - input_.start_s;
}

FrameSource::Pull StreamDecoder::Next(AVFrame* frame, double& seconds) {
  while (!at_end_) {
    int rc = avcodec_receive_frame(input_.codec.get(), frame);
    if (rc == 0) {
      seconds = FrameSeconds(frame);
      return Pull::kFrame;
    }
    if (rc == AVERROR_EOF) {
      at_end_ = true;
      break;
    }
    // The decoder needs more input.
    rc = av_read_frame(input_.format.get(), packet_.get());
    if (rc < 0) {
      if (rc != AVERROR_EOF) {
        Warn("stream ends early (" + AvErrorText(rc) + ")");
      }
      avcodec_send_packet(input_.codec.get(), nullptr); // drain what is buffered
      continue;
    }
    bytes_read_ += packet_->size;
    if (packet_->stream_index == input_.stream_index) {
      const int sent = avcodec_send_packet(input_.codec.get(), packet_.get());
      if (sent < 0 && sent != AVERROR(EAGAIN) && !warned_corrupt_) {
        Warn(std::string("corrupt ") + kind_ + " packet skipped (" + AvErrorText(sent) + ")");
        warned_corrupt_ = true; // say it once
      }
    }
    av_packet_unref(packet_.get());
  }
  return Pull::kEnd;
}

} // namespace ssr::media
