#include "media/av_util.h"

#include <cstdio>
#include <stdexcept>

namespace ssr::media {

std::string AvErrorText(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof(buf));
  return buf;
}

DecoderInput OpenDecoder(const std::string& path, AVMediaType type) {
  DecoderInput in;
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    throw std::runtime_error("cannot open: " + AvErrorText(rc));
  }
  in.format.reset(raw);
  rc = avformat_find_stream_info(raw, nullptr);
  if (rc < 0) {
    throw std::runtime_error("cannot read stream info: " + AvErrorText(rc));
  }
  const AVCodec* codec = nullptr;
  in.stream_index = av_find_best_stream(raw, type, -1, -1, &codec, 0);
  if (in.stream_index < 0 || codec == nullptr) {
    throw std::runtime_error(std::string("no decodable ") + av_get_media_type_string(type) +
                             " stream");
  }
  AVStream* stream = raw->streams[in.stream_index];
  in.time_base = stream->time_base;
  in.codec.reset(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(in.codec.get(), stream->codecpar);
  in.codec->thread_count = 1;  // one thread per track: many tracks decode side by side
  rc = avcodec_open2(in.codec.get(), codec, nullptr);
  if (rc < 0) {
    throw std::runtime_error("cannot open decoder: " + AvErrorText(rc));
  }
  return in;
}

void SeekBefore(DecoderInput& input, double seconds) {
  if (seconds <= 0) {
    return;
  }
  const int64_t ts = static_cast<int64_t>(seconds / av_q2d(input.time_base));
  if (av_seek_frame(input.format.get(), input.stream_index, ts, AVSEEK_FLAG_BACKWARD) >= 0) {
    avcodec_flush_buffers(input.codec.get());
  }
}

std::string TruncationWarning(const DecoderInput& input, double last_media_t) {
  const int64_t declared = input.format->duration;
  if (declared == AV_NOPTS_VALUE) {
    return "";
  }
  const double declared_s = static_cast<double>(declared) / AV_TIME_BASE;
  if (last_media_t + 1.0 >= declared_s) {
    return "";
  }
  char buf[160];
  std::snprintf(buf, sizeof(buf), "media ends at %.2f s of the %.2f s it declares (truncated)",
                last_media_t, declared_s);
  return buf;
}

double ProbeDurationSeconds(const std::string& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) {
    return -1;
  }
  FormatInputPtr format(raw);
  if (avformat_find_stream_info(raw, nullptr) < 0 || raw->duration == AV_NOPTS_VALUE) {
    return -1;
  }
  return static_cast<double>(raw->duration) / AV_TIME_BASE;
}

}  // namespace ssr::media
