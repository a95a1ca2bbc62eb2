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
    : FileAudioFeed(StreamDecoder::OpenFile(path, AVMEDIA_TYPE_AUDIO, std::move(on_warning),
                                            start_s, options)) {}

FileAudioFeed::FileAudioFeed(std::unique_ptr<FrameSource> source)
    : source_(std::move(source)), frame_(av_frame_alloc()) {}

FileAudioFeed::~FileAudioFeed() { swr_free(&swr_); }

bool FileAudioFeed::ConverterFor() {
  const AVFrame* f = frame_.get();
  if (swr_ != nullptr && f->format == swr_format_ && f->sample_rate == swr_rate_ &&
      f->ch_layout.nb_channels == swr_channels_) {
    return true;
  }
  swr_free(&swr_);
  AVChannelLayout out_layout = AV_CHANNEL_LAYOUT_STEREO;
  AVChannelLayout in_layout{}; // zeroed: av_channel_layout_copy frees what dst holds
  if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&in_layout, f->ch_layout.nb_channels);
  } else {
    av_channel_layout_copy(&in_layout, &f->ch_layout);
  }
  const int rc =
      swr_alloc_set_opts2(&swr_, &out_layout, AV_SAMPLE_FMT_FLT, kSampleRate, &in_layout,
                          static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  if (rc < 0 || swr_init(swr_) < 0) {
    swr_free(&swr_);
    return false;
  }
  swr_format_ = f->format;
  swr_rate_ = f->sample_rate;
  swr_channels_ = f->ch_layout.nb_channels;
  return true;
}

bool FileAudioFeed::DecodeMore() {
  double t = NAN;
  const FrameSource::Pull pulled =
      broken_ ? FrameSource::Pull::kEnd : source_->Next(frame_.get(), t);
  if (pulled == FrameSource::Pull::kNotYet) {
    return false;
  }
  if (pulled == FrameSource::Pull::kEnd) {
    const double end_t = static_cast<double>(fifo_start_) / kSampleRate +
                         static_cast<double>(fifo_.size()) / kChannels / kSampleRate;
    const std::string truncated = source_->TruncationWarning(end_t);
    if (!truncated.empty()) {
      source_->Warn(truncated);
    }
    return false;
  }
  if (!ConverterFor()) {
    source_->Warn("cannot convert its audio format; its sound is not played");
    broken_ = true;
    return false;
  }
  if (!started_) {
    // The first sample's place on the track's timeline; after it, audio is contiguous.
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
  // Decode until the FIFO reaches the end of the wanted range (or the file ends, or a
  // stream has nothing more yet).
  while (!broken_ && !source_->at_end() &&
         (!started_ || fifo_start_ + static_cast<int64_t>(fifo_.size() / kChannels) < want_end)) {
    if (!DecodeMore()) {
      break;
    }
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
