#include "encode/webm_writer.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ssr::encode {

WebmWriter::WebmWriter(const std::string& path) : path_(path) {
  int rc = avformat_alloc_output_context2(&format_, nullptr, "webm", path.c_str());
  if (rc < 0 || format_ == nullptr) {
    throw std::runtime_error(path + ": cannot create a WebM muxer: " + media::AvErrorText(rc));
  }
  rc = avio_open(&format_->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0) {
    avformat_free_context(format_);
    format_ = nullptr;
    throw std::runtime_error(path + ": cannot create the file: " + media::AvErrorText(rc));
  }
}

WebmWriter::~WebmWriter() {
  if (format_ != nullptr) {
    avio_closep(&format_->pb);
    avformat_free_context(format_);
  }
}

int WebmWriter::AddStream(const AVCodecContext* encoder) {
  AVStream* stream = avformat_new_stream(format_, nullptr);
  avcodec_parameters_from_context(stream->codecpar, encoder);
  stream->time_base = encoder->time_base;
  return stream->index;
}

int WebmWriter::AddChatStream() {
  AVStream* stream = avformat_new_stream(format_, nullptr);
  stream->codecpar->codec_type = AVMEDIA_TYPE_SUBTITLE;
  stream->codecpar->codec_id = AV_CODEC_ID_WEBVTT;
  stream->time_base = AVRational{1, 1000};
  av_dict_set(&stream->metadata, "title", "Chat", 0);
  av_dict_set(&stream->metadata, "language", "und", 0);
  chat_stream_ = stream->index;
  return chat_stream_;
}

void WebmWriter::SetMaxInterleaveDelay(int64_t delay_us) {
  format_->max_interleave_delta = delay_us;
}

void WebmWriter::Start() {
  AVDictionary* options = nullptr;
  av_dict_set(&options, "cluster_time_limit", "1000", 0); // ms: short clusters
  av_dict_set(&options, "cluster_size_limit", "2097152", 0);
  av_dict_set(&options, "flush_packets", "1", 0);
  int rc = avformat_write_header(format_, &options);
  av_dict_free(&options);
  if (rc < 0) {
    throw std::runtime_error(path_ + ": cannot write the WebM header: " + media::AvErrorText(rc));
  }
  started_ = true;
}

void WebmWriter::WritePacket(AVPacket* packet, AVRational packet_time_base, int stream) {
  std::lock_guard lock(mutex_);
  packet->stream_index = stream;
  av_packet_rescale_ts(packet, packet_time_base, format_->streams[stream]->time_base);
  int rc = av_interleaved_write_frame(format_, packet);
  if (rc < 0) {
    throw std::runtime_error(path_ + ": write failed: " + media::AvErrorText(rc));
  }
}

void WebmWriter::WriteCue(const ChatCue& cue) {
  const std::string payload = CuePayload(cue);
  media::PacketPtr packet(av_packet_alloc());
  if (av_new_packet(packet.get(), static_cast<int>(payload.size())) < 0) {
    throw std::runtime_error("out of memory for a chat cue");
  }
  std::memcpy(packet->data, payload.data(), payload.size());
  packet->pts = packet->dts = std::llround(cue.start_s * 1000);
  packet->duration = std::llround((cue.end_s - cue.start_s) * 1000);
  packet->flags |= AV_PKT_FLAG_KEY;
  WritePacket(packet.get(), AVRational{1, 1000}, chat_stream_);
}

void WebmWriter::Finish() {
  std::lock_guard lock(mutex_);
  if (finished_ || !started_) {
    return;
  }
  finished_ = true;
  int rc = av_write_trailer(format_);
  int close_rc = avio_closep(&format_->pb);
  if (rc < 0 || close_rc < 0) {
    throw std::runtime_error(
        path_ + ": cannot finish the file: " + media::AvErrorText(rc < 0 ? rc : close_rc));
  }
}

} // namespace ssr::encode
