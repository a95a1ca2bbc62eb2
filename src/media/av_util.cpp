#include "media/av_util.h"

#include <algorithm>

#include <cstdio>
#include <stdexcept>

extern "C" {
#include <libavutil/time.h>
}

namespace ssr::media {

std::string AvErrorText(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof(buf));
  return buf;
}

void FormatInputCloser::operator()(AVFormatContext* ctx) const {
  auto* deadline = static_cast<OpenDeadline*>(ctx->opaque);
  avformat_close_input(&ctx);
  delete deadline;
}

namespace {

bool DeadlinePassed(const OpenDeadline& deadline) {
  return deadline.until_us != 0 && av_gettime_relative() > deadline.until_us;
}

int InterruptAfterDeadline(void* opaque) {
  const auto* deadline = static_cast<const OpenDeadline*>(opaque);
  const bool cancelled = deadline->cancel != nullptr && deadline->cancel->load();
  return cancelled || DeadlinePassed(*deadline) ? 1 : 0;
}

// The options of avformat_open_input.
AVDictionary* OpenDictionary(const OpenOptions& options) {
  AVDictionary* dict = nullptr;
  if (options.timeout_s > 0) {
    // "timeout" bounds connecting and socket reads (tcp, http), "rw_timeout" any protocol's
    // reads, including the segments an HLS playlist points to.
    const int64_t us = static_cast<int64_t>(options.timeout_s * 1e6);
    av_dict_set_int(&dict, "timeout", us, 0);
    av_dict_set_int(&dict, "rw_timeout", us, 0);
  }
  if (options.remote_stream) {
    av_dict_set(&dict, "protocol_whitelist", kStreamProtocols, 0);
    av_dict_set_int(&dict, "max_redirects", 0, 0); // a 3xx fails the open ("I/O error")
  }
  return dict;
}

// Opens `path` and reads its stream info; throws std::runtime_error with the reason. With
// options.open_deadline_s, both steps together give up after that long.
FormatInputPtr OpenFormat(const std::string& path, const OpenOptions& options) {
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) {
    throw std::runtime_error("cannot open: out of memory");
  }
  auto deadline = std::make_unique<OpenDeadline>();
  deadline->cancel = options.cancel;
  if (options.open_deadline_s > 0) {
    deadline->until_us =
        av_gettime_relative() + static_cast<int64_t>(options.open_deadline_s * 1e6);
  }
  if (options.open_deadline_s > 0 || options.cancel != nullptr) {
    raw->interrupt_callback = {InterruptAfterDeadline, deadline.get()};
  }
  char gave_up[64];
  std::snprintf(gave_up, sizeof(gave_up), " (gave up after %g s)", options.open_deadline_s);
  AVDictionary* dict = OpenDictionary(options);
  int rc = avformat_open_input(&raw, path.c_str(), nullptr, &dict); // frees raw on failure
  av_dict_free(&dict);
  if (rc < 0) {
    throw std::runtime_error("cannot open: " + AvErrorText(rc) +
                             (DeadlinePassed(*deadline) ? gave_up : ""));
  }
  raw->opaque = deadline.get(); // owned by the input from here (FormatInputCloser)
  OpenDeadline& open_deadline = *deadline.release();
  FormatInputPtr format(raw);
  rc = avformat_find_stream_info(raw, nullptr);
  if (DeadlinePassed(open_deadline)) {
    throw std::runtime_error("cannot open: no stream info in time" + std::string(gave_up));
  }
  if (rc < 0) {
    throw std::runtime_error("cannot read stream info: " + AvErrorText(rc));
  }
  open_deadline.until_us = 0; // reads from here on have their own timeout
  return format;
}

// A decoder for the best stream of `type` of an opened input.
DecoderInput DecoderFor(FormatInputPtr format, AVMediaType type, const OpenOptions& options) {
  DecoderInput in;
  in.format = std::move(format);
  AVFormatContext* raw = in.format.get();
  if (options.zero_at_start && raw->start_time != AV_NOPTS_VALUE) {
    in.start_s = static_cast<double>(raw->start_time) / AV_TIME_BASE;
  }
  const AVCodec* codec = nullptr;
  in.stream_index = av_find_best_stream(raw, type, -1, -1, &codec, 0);
  if (in.stream_index < 0 || codec == nullptr) {
    throw std::runtime_error(std::string("no decodable ") + av_get_media_type_string(type) +
                             " stream");
  }
  AVStream* stream = raw->streams[in.stream_index];
  const AVCodecParameters* par = stream->codecpar;
  if (options.max_pixels > 0 && int64_t{par->width} * par->height > options.max_pixels) {
    throw std::runtime_error("its picture of " + std::to_string(par->width) + "x" +
                             std::to_string(par->height) + " is over the limit of " +
                             std::to_string(options.max_pixels) + " pixels");
  }
  in.time_base = stream->time_base;
  in.codec.reset(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(in.codec.get(), par);
  in.codec->thread_count = 1; // one thread per track: many tracks decode side by side
  if (options.max_pixels > 0) {
    in.codec->max_pixels = options.max_pixels; // a picture that grows later is not decoded
  }
  const int rc = avcodec_open2(in.codec.get(), codec, nullptr);
  if (rc < 0) {
    throw std::runtime_error("cannot open decoder: " + AvErrorText(rc));
  }
  return in;
}

InputInfo InfoOf(const AVFormatContext* format) {
  InputInfo info;
  const AVCodec* codec = nullptr; // asking for the decoder skips streams nothing decodes
  auto* ctx = const_cast<AVFormatContext*>(format);
  const int video = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  info.has_video =
      video >= 0 && (format->streams[video]->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0;
  info.has_audio = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0) >= 0;
  if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
    info.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  return info;
}

} // namespace

DecoderInput OpenDecoder(const std::string& path, AVMediaType type, const OpenOptions& options) {
  return DecoderFor(OpenFormat(path, options), type, options);
}

std::optional<DecoderInput> OpenDecoderIfAny(const std::string& path, AVMediaType type,
                                             const OpenOptions& options, InputInfo& info) {
  FormatInputPtr format = OpenFormat(path, options);
  info = InfoOf(format.get());
  if (!(type == AVMEDIA_TYPE_VIDEO ? info.has_video : info.has_audio)) {
    return std::nullopt;
  }
  return DecoderFor(std::move(format), type, options);
}

void SeekBefore(DecoderInput& input, double seconds) {
  if (seconds <= 0) {
    return;
  }
  const int64_t ts = static_cast<int64_t>((seconds + input.start_s) / av_q2d(input.time_base));
  if (av_seek_frame(input.format.get(), input.stream_index, ts, AVSEEK_FLAG_BACKWARD) >= 0) {
    avcodec_flush_buffers(input.codec.get());
  }
}

std::string TruncationWarning(const DecoderInput& input, double last_media_t) {
  return TruncationWarning(input.format->duration, last_media_t);
}

std::string TruncationWarning(int64_t declared, double last_media_t) {
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

InputInfo ProbeInput(const std::string& path, const OpenOptions& options) {
  return InfoOf(OpenFormat(path, options).get());
}

double ProbeDurationSeconds(const std::string& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) {
    return -1;
  }
  FormatInputPtr format(raw);
  if (avformat_find_stream_info(raw, nullptr) < 0) {
    return -1;
  }
  if (raw->duration != AV_NOPTS_VALUE) {
    return static_cast<double>(raw->duration) / AV_TIME_BASE;
  }
  // No duration in the header: a file still being written (a live track) or cut by a crash.
  // The end of its last packet is the duration (packets are read, not decoded).
  double end_s = -1;
  AVPacket* packet = av_packet_alloc();
  while (av_read_frame(raw, packet) >= 0) {
    if (packet->pts != AV_NOPTS_VALUE) {
      const AVRational tb = raw->streams[packet->stream_index]->time_base;
      end_s = std::max(end_s,
                       static_cast<double>(packet->pts + std::max<int64_t>(packet->duration, 0)) *
                           av_q2d(tb));
    }
    av_packet_unref(packet);
  }
  av_packet_free(&packet);
  return end_s;
}

} // namespace ssr::media
