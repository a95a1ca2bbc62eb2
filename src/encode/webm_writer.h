#pragma once
// Writes a WebM file with libavformat: encoded video and audio streams and a WebVTT text
// track (D_WEBVTT/SUBTITLES) with the chat. Short clusters so a seek and a crash lose
// little; cues (the seek index) and the duration are written at the end.

#include "encode/chat_cue.h"
#include "media/av_util.h"

#include <mutex>
#include <string>

namespace ssr::encode {

class WebmWriter {
 public:
  explicit WebmWriter(const std::string& path); // throws std::runtime_error
  ~WebmWriter();
  WebmWriter(const WebmWriter&) = delete;
  WebmWriter& operator=(const WebmWriter&) = delete;

  // Streams are added before Start.
  int AddStream(const AVCodecContext* encoder);
  int AddChatStream();
  // Longest time libavformat may hold packets back to interleave the streams (before Start).
  // Its default, 10 s, means a chat track with no cue yet keeps everything in memory for
  // 10 s: a live part killed then would lose them. Live parts use a short delay.
  void SetMaxInterleaveDelay(int64_t delay_us);
  void Start();

  // Thread-safe: video and audio are written from different threads.
  void WritePacket(AVPacket* packet, AVRational packet_time_base, int stream);
  void WriteCue(const ChatCue& cue);

  // Writes the cues and the duration and closes the file.
  void Finish();

 private:
  std::string path_;
  AVFormatContext* format_ = nullptr;
  int chat_stream_ = -1;
  bool started_ = false;
  bool finished_ = false;
  std::mutex mutex_;
};

} // namespace ssr::encode
