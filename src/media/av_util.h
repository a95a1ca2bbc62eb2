#pragma once
// Small RAII helpers and error text for FFmpeg objects.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
}

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ssr::media {

std::string AvErrorText(int code);

struct OpenDeadline;
struct FormatInputCloser {
  void operator()(AVFormatContext* ctx) const; // also deletes its OpenDeadline (opaque)
};
struct CodecContextFree {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

using FormatInputPtr = std::unique_ptr<AVFormatContext, FormatInputCloser>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;

// How to open an input. The defaults suit a file; a network stream sets all of them.
struct OpenOptions {
  double timeout_s = 0;       // > 0: connecting and each read give up after this long
  bool zero_at_start = false; // times count from the input's first timestamp (live streams
                              // start anywhere on their own clock)
  // A stream URL that passed StreamUrlPolicy: only the protocols of http(s) and HLS over them
  // (kStreamProtocols, for the playlist's own opens too), no redirects (a public server must
  // not send the recorder to an internal one), and the whole open (connect, headers, probing
  // the stream) given up after open_deadline_s, however slowly the bytes drip.
  bool remote_stream = false;
  double open_deadline_s = 0; // > 0: the open's deadline (remote streams)
  // > 0: a picture of more pixels is refused, at the open (the stream's declared size) and by
  // the decoder (a stream that grows later).
  int64_t max_pixels = 0;
  // Set from another thread: every blocking open or read gives up at once (a StreamReader
  // that is closed). Must outlive the input.
  const std::atomic<bool>* cancel = nullptr;
};

inline constexpr const char* kStreamProtocols = "http,https,tls,tcp,hls,crypto";

// The deadline of one open, checked by FFmpeg's interrupt callback while it blocks. The
// protocols keep a pointer to it for their later reads, so the opened input owns it (in
// AVFormatContext::opaque, deleted by FormatInputCloser after the close); it is disarmed once
// the input is open.
struct OpenDeadline {
  int64_t until_us = 0;                      // av_gettime_relative(); 0: disarmed
  const std::atomic<bool>* cancel = nullptr; // OpenOptions::cancel, checked for good
};

// An opened input file with a decoder for its best stream of `type`. Throws
// std::runtime_error with a readable reason ("not a media file", "no video stream", ...).
struct DecoderInput {
  FormatInputPtr format;
  CodecContextPtr codec;
  int stream_index = -1;
  AVRational time_base{1, 1000};
  double start_s = 0; // subtracted from the stream's timestamps (OpenOptions::zero_at_start)
};
DecoderInput OpenDecoder(const std::string& path, AVMediaType type,
                         const OpenOptions& options = {});

// What an input holds (cover art does not count as video). Throws std::runtime_error with
// the reason when it cannot be opened.
struct InputInfo {
  bool has_video = false;
  bool has_audio = false;
  double duration_s = -1; // negative when unknown (live streams)
};
InputInfo ProbeInput(const std::string& path, const OpenOptions& options = {});

// One open for both questions: what the input holds (`info`) and, when it has a stream of
// `type`, a decoder for it (nullopt when it has none). Throws like OpenDecoder.
std::optional<DecoderInput> OpenDecoderIfAny(const std::string& path, AVMediaType type,
                                             const OpenOptions& options, InputInfo& info);

// Seeks to the keyframe at or before `seconds` (no-op at 0 or when the input cannot seek;
// decoding forward from there reaches the wanted time either way).
void SeekBefore(DecoderInput& input, double seconds);

// At the end of a stream: a warning when the media stopped well before the duration the
// file declares (a truncated file), or an empty string.
std::string TruncationWarning(const DecoderInput& input, double last_media_t);
// The same from the input's declared duration (AVFormatContext::duration).
std::string TruncationWarning(int64_t declared_duration, double last_media_t);

// Duration of a media file in seconds, or a negative value when it cannot be known.
double ProbeDurationSeconds(const std::string& path);

} // namespace ssr::media
