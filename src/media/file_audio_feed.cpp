#include "media/file_audio_feed.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
}

#include <cmath>
#include <stdexcept>

namespace ssr::media {

FileAudioFeed::FileAudioFeed(const std::string& path,
                             std::function<void(const std::string&)> on_warning, double start_s,
                             const OpenOptions& options)
    : decoder_(OpenDecoder(path, AVMEDIA_TYPE_AUDIO, options), std::move(on_warning), "audio"),
      frame_(av_frame_alloc()) {
  SeekBefore(decoder_.input(), start_s);
  const AVCodecContext* codec = decoder_.input().codec.get();
  AVChannelLayout out_layout = AV_CHANNEL_LAYOUT_STEREO;
  AVChannelLayout in_layout{}; // zeroed: av_channel_layout_copy frees what dst holds
  if (codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&in_layout, codec->ch_layout.nb_channels);
  } else {
    av_channel_layout_copy(&in_layout, &codec->ch_layout);
  }
  int rc = swr_alloc_set_opts2(&swr_, &out_layout, AV_SAMPLE_FMT_FLT, kSampleRate, &in_layout,
                               codec->sample_fmt, codec->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  if (rc < 0 || swr_init(swr_) < 0) {
    throw std::runtime_error("cannot convert its audio format");
  }
}

FileAudioFeed::~FileAudioFeed() { swr_free(&swr_); }

bool FileAudioFeed::DecodeMore() {
  if (!decoder_.Next(frame_.get())) {
    const double end_t = static_cast<double>(fifo_start_) / kSampleRate +
                         static_cast<double>(fifo_.size()) / kChannels / kSampleRate;
    const std::string truncated = TruncationWarning(decoder_.input(), end_t);
    if (!truncated.empty()) {
      decoder_.Warn(truncated);
    }
    return false;
  }
  if (!started_) {
    // The first sample's place on the track's timeline; after it, audio is contiguous.
    const double t = decoder_.FrameSeconds(frame_.get());
    fifo_start_ = std::llround(std::isnan(t) ? 0.0 : std::max(0.0, t) * kSampleRate);
    started_ = true;
  }
  const int max_out = swr_get_out_samples(swr_, frame_->nb_samples);
  std::vector<float> out(static_cast<size_t>(max_out) * kChannels);
  uint8_t* out_planes[1] = {reinterpret_cast<uint8_t*>(out.data())};
  const int got =
      swr_convert(swr_, out_planes, max_out, const_cast<const uint8_t**>(frame_->extended_data),
                  frame_->nb_samples);
  if (got > 0) {
    fifo_.insert(fifo_.end(), out.begin(), out.begin() + static_cast<ptrdiff_t>(got) * kChannels);
  }
  return true;
}

void FileAudioFeed::MixInto(double track_t, int frames, float* mix) {
  const int64_t want_start = std::llround(track_t * kSampleRate);
  const int64_t want_end = want_start + frames;
  // Decode until the FIFO reaches the end of the wanted range (or the file ends).
  while (!decoder_.at_end() &&
         (!started_ || fifo_start_ + static_cast<int64_t>(fifo_.size() / kChannels) < want_end)) {
    DecodeMore();
  }
  // Drop what lies before the wanted range.
  int64_t drop =
      std::min<int64_t>(want_start - fifo_start_, static_cast<int64_t>(fifo_.size() / kChannels));
  if (drop > 0) {
    fifo_.erase(fifo_.begin(), fifo_.begin() + drop * kChannels);
    fifo_start_ += drop;
  }
  int64_t available = static_cast<int64_t>(fifo_.size() / kChannels);
  for (int64_t s = std::max(want_start, fifo_start_); s < want_end; ++s) {
    int64_t i = s - fifo_start_;
    if (i >= available) {
      break;
    }
    int64_t out = s - want_start;
    mix[out * 2] += fifo_[i * 2];
    mix[out * 2 + 1] += fifo_[i * 2 + 1];
  }
}

} // namespace ssr::media
