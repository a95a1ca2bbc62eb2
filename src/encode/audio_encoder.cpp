#include "encode/audio_encoder.h"

#include "media/feeds.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <cstring>
#include <stdexcept>

namespace ssr::encode {

AudioEncoder::AudioEncoder(int64_t bitrate_bps)
    : frame_(av_frame_alloc()), packet_(av_packet_alloc()) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libopus");
  if (codec == nullptr) {
    throw std::runtime_error("encoder libopus is not available");
  }
  codec_.reset(avcodec_alloc_context3(codec));
  AVCodecContext* c = codec_.get();
  c->sample_rate = media::kSampleRate;
  c->sample_fmt = AV_SAMPLE_FMT_FLT;
  c->ch_layout = AV_CHANNEL_LAYOUT_STEREO;
  c->bit_rate = bitrate_bps;
  c->time_base = AVRational{1, media::kSampleRate};
  c->frame_size = kFrameSamples;
  int rc = avcodec_open2(c, codec, nullptr);
  if (rc < 0) {
    throw std::runtime_error("cannot open libopus: " + media::AvErrorText(rc));
  }
  frame_->format = AV_SAMPLE_FMT_FLT;
  frame_->ch_layout = AV_CHANNEL_LAYOUT_STEREO;
  frame_->sample_rate = media::kSampleRate;
  frame_->nb_samples = kFrameSamples;
  if (av_frame_get_buffer(frame_.get(), 0) < 0) {
    throw std::runtime_error("out of memory for an audio frame");
  }
}

void AudioEncoder::Encode(const float* samples, int64_t first_sample, const PacketSink& sink) {
  if (av_frame_make_writable(frame_.get()) < 0) {
    throw std::runtime_error("audio frame not writable");
  }
  std::memcpy(frame_->data[0], samples, sizeof(float) * kFrameSamples * media::kChannels);
  frame_->pts = first_sample;
  int rc = avcodec_send_frame(codec_.get(), frame_.get());
  if (rc < 0) {
    throw std::runtime_error("audio encoder rejected a frame: " + media::AvErrorText(rc));
  }
  Drain(sink);
}

void AudioEncoder::Flush(const PacketSink& sink) {
  avcodec_send_frame(codec_.get(), nullptr);
  Drain(sink);
}

void AudioEncoder::Drain(const PacketSink& sink) {
  while (avcodec_receive_packet(codec_.get(), packet_.get()) == 0) {
    sink(packet_.get());
    av_packet_unref(packet_.get());
  }
}

} // namespace ssr::encode
