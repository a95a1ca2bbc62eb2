#include "output_probe.h"

#include "media/av_util.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <memory>
#include <stdexcept>

namespace ssr::test {

using media::AvErrorText;

OutputProbe::OutputProbe(const std::string& path) {
  av_log_set_level(AV_LOG_ERROR);
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    throw std::runtime_error(path + ": " + AvErrorText(rc));
  }
  media::FormatInputPtr format(raw);
  avformat_find_stream_info(raw, nullptr);
  duration_s = raw->duration == AV_NOPTS_VALUE ? 0 : raw->duration / double(AV_TIME_BASE);

  std::vector<media::CodecContextPtr> decoders(raw->nb_streams);
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    AVCodecParameters* par = raw->streams[i]->codecpar;
    streams.push_back({av_get_media_type_string(par->codec_type), avcodec_get_name(par->codec_id)});
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && video_width == 0) {
      video_width = par->width;
      video_height = par->height;
    }
    if (par->codec_type == AVMEDIA_TYPE_VIDEO || par->codec_type == AVMEDIA_TYPE_AUDIO) {
      const AVCodec* codec = avcodec_find_decoder(par->codec_id);
      decoders[i].reset(avcodec_alloc_context3(codec));
      avcodec_parameters_to_context(decoders[i].get(), par);
      avcodec_open2(decoders[i].get(), codec, nullptr);
    }
  }

  SwsContext* sws = nullptr;
  SwrContext* swr = nullptr;
  media::PacketPtr packet(av_packet_alloc());
  media::FramePtr frame(av_frame_alloc());
  auto take_frames = [&](unsigned index) {
    AVCodecContext* dec = decoders[index].get();
    const AVRational tb = raw->streams[index]->time_base;
    while (avcodec_receive_frame(dec, frame.get()) == 0) {
      double t = frame->best_effort_timestamp * av_q2d(tb);
      if (dec->codec_type == AVMEDIA_TYPE_VIDEO) {
        sws = sws_getCachedContext(sws, frame->width, frame->height,
                                   static_cast<AVPixelFormat>(frame->format), kWidth, kHeight,
                                   AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr, nullptr);
        Frame f{t, std::vector<uint8_t>(kWidth * kHeight * 3)};
        uint8_t* dst[1] = {f.rgb.data()};
        int stride[1] = {kWidth * 3};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
        frames_.push_back(std::move(f));
        ++video_frames;
        video_end_s = std::max(video_end_s, t + 1.0 / 30);
      } else {
        if (swr == nullptr) {
          AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
          swr_alloc_set_opts2(&swr, &stereo, AV_SAMPLE_FMT_FLT, 48000, &frame->ch_layout,
                              static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0,
                              nullptr);
          swr_init(swr);
        }
        std::vector<float> out(static_cast<size_t>(frame->nb_samples + 256) * 2);
        uint8_t* dst[1] = {reinterpret_cast<uint8_t*>(out.data())};
        int got = swr_convert(swr, dst, frame->nb_samples + 256,
                              const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples);
        audio_.insert(audio_.end(), out.begin(), out.begin() + std::max(0, got) * 2);
      }
    }
  };
  while (av_read_frame(raw, packet.get()) >= 0) {
    const unsigned index = packet->stream_index;
    AVStream* stream = raw->streams[index];
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) {
      const double tb = av_q2d(stream->time_base);
      cues.push_back({packet->pts * tb, (packet->pts + packet->duration) * tb,
                      std::string(reinterpret_cast<char*>(packet->data), packet->size)});
    } else if (decoders[index]) {
      avcodec_send_packet(decoders[index].get(), packet.get());
      take_frames(index);
    }
    av_packet_unref(packet.get());
  }
  for (unsigned i = 0; i < decoders.size(); ++i) {
    if (decoders[i]) {
      avcodec_send_packet(decoders[i].get(), nullptr);
      take_frames(i);
    }
  }
  sws_freeContext(sws);
  swr_free(&swr);
}

const OutputProbe::Frame& OutputProbe::FrameAt(double t) const {
  if (frames_.empty()) {
    throw std::runtime_error("no video frames");
  }
  const Frame* best = &frames_.front();
  for (const Frame& f : frames_) {
    if (f.t <= t + 1e-6) {
      best = &f;
    }
  }
  return *best;
}

double OutputProbe::ColourFraction(double t, double x0, double y0, double x1, double y1,
                                   uint32_t rgb, int tolerance) const {
  const Frame& f = FrameAt(t);
  const int r = (rgb >> 16) & 0xff;
  const int g = (rgb >> 8) & 0xff;
  const int b = rgb & 0xff;
  int hits = 0;
  int total = 0;
  for (int y = static_cast<int>(y0 * kHeight); y < static_cast<int>(y1 * kHeight); ++y) {
    for (int x = static_cast<int>(x0 * kWidth); x < static_cast<int>(x1 * kWidth); ++x) {
      const uint8_t* p = &f.rgb[(y * kWidth + x) * 3];
      ++total;
      if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance &&
          std::abs(p[2] - b) <= tolerance) {
        ++hits;
      }
    }
  }
  return total == 0 ? 0 : static_cast<double>(hits) / total;
}

uint32_t OutputProbe::MeanColour(double t, double x0, double y0, double x1, double y1) const {
  const Frame& f = FrameAt(t);
  double sum[3] = {};
  int total = 0;
  for (int y = static_cast<int>(y0 * kHeight); y < static_cast<int>(y1 * kHeight); ++y) {
    for (int x = static_cast<int>(x0 * kWidth); x < static_cast<int>(x1 * kWidth); ++x) {
      for (int c = 0; c < 3; ++c) {
        sum[c] += f.rgb[(y * kWidth + x) * 3 + c];
      }
      ++total;
    }
  }
  auto channel = [&](int c) { return static_cast<uint32_t>(sum[c] / std::max(1, total)); };
  return (channel(0) << 16) | (channel(1) << 8) | channel(2);
}

double OutputProbe::ToneLevel(double hz, double t0, double t1) const {
  const int64_t s0 = std::max<int64_t>(0, std::llround(t0 * 48000));
  const int64_t s1 =
      std::min<int64_t>(static_cast<int64_t>(audio_.size() / 2), std::llround(t1 * 48000));
  if (s1 <= s0) {
    return 0;
  }
  const double w = 2 * M_PI * hz / 48000;
  const double coeff = 2 * std::cos(w);
  double q1 = 0;
  double q2 = 0;
  for (int64_t s = s0; s < s1; ++s) {
    double q0 = coeff * q1 - q2 + audio_[s * 2];
    q2 = q1;
    q1 = q0;
  }
  const double power = q1 * q1 + q2 * q2 - coeff * q1 * q2;
  return 2 * std::sqrt(std::max(0.0, power)) / static_cast<double>(s1 - s0);
}

double OutputProbe::Peak() const {
  double peak = 0;
  for (float s : audio_) {
    peak = std::max(peak, static_cast<double>(std::fabs(s)));
  }
  return peak;
}

int64_t OutputProbe::FullScaleSamples() const {
  int64_t n = 0;
  for (float s : audio_) {
    n += std::fabs(s) >= 0.999F ? 1 : 0;
  }
  return n;
}

std::vector<double> OutputProbe::FrameTimes() const {
  std::vector<double> times;
  times.reserve(frames_.size());
  for (const Frame& f : frames_)
    times.push_back(f.t);
  return times;
}

} // namespace ssr::test
