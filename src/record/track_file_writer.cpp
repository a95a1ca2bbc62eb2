#include "record/track_file_writer.h"

#include "common/log.h"
#include "media/av_util.h"

extern "C" {
#include <libavformat/avformat.h>
}

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ssr::record {
namespace {

AVCodecID CodecId(const std::string& name) {
  if (name == "VP8")
    return AV_CODEC_ID_VP8;
  if (name == "VP9")
    return AV_CODEC_ID_VP9;
  if (name == "H264")
    return AV_CODEC_ID_H264;
  if (name == "OPUS")
    return AV_CODEC_ID_OPUS;
  return AV_CODEC_ID_NONE;
}

// The Opus identification header Matroska wants as CodecPrivate (RFC 7845 §5.1): stereo,
// 312 samples of pre-skip (libopus' usual), 48 kHz, no gain, mapping family 0.
std::vector<uint8_t> OpusHead() {
  std::vector<uint8_t> head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 2};
  const uint16_t pre_skip = 312;
  const uint32_t rate = 48000;
  head.push_back(pre_skip & 0xff);
  head.push_back(pre_skip >> 8);
  for (int i = 0; i < 4; ++i)
    head.push_back((rate >> (8 * i)) & 0xff);
  head.insert(head.end(), {0, 0, 0});
  return head;
}

} // namespace

const char* TrackFileWriter::Extension(const std::string& codec) {
  return codec == "H264" ? ".mkv" : ".webm";
}

TrackFileWriter::TrackFileWriter(const std::filesystem::path& path, const TrackCodec& codec)
    : path_(path) {
  const AVCodecID id = CodecId(codec.name);
  if (id == AV_CODEC_ID_NONE) {
    throw std::runtime_error(path.string() + ": codec " + codec.name + " cannot be stored");
  }
  const char* format = codec.name == "H264" ? "matroska" : "webm";
  int rc = avformat_alloc_output_context2(&format_, nullptr, format, path.c_str());
  if (rc < 0 || format_ == nullptr) {
    throw std::runtime_error(path.string() + ": cannot create a muxer: " + media::AvErrorText(rc));
  }
  AVStream* stream = avformat_new_stream(format_, nullptr);
  stream->time_base = AVRational{1, 1000};
  AVCodecParameters* par = stream->codecpar;
  par->codec_id = id;
  std::vector<uint8_t> extradata = codec.name == "OPUS" ? OpusHead() : codec.extradata;
  if (codec.name == "OPUS") {
    par->codec_type = AVMEDIA_TYPE_AUDIO;
    par->sample_rate = 48000;
    av_channel_layout_default(&par->ch_layout, 2);
  } else {
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->width = codec.width;
    par->height = codec.height;
  }
  if (!extradata.empty()) {
    par->extradata =
        static_cast<uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    std::memcpy(par->extradata, extradata.data(), extradata.size());
    par->extradata_size = static_cast<int>(extradata.size());
  }
  rc = avio_open(&format_->pb, path.c_str(), AVIO_FLAG_WRITE);
  AVDictionary* options = nullptr;
  av_dict_set(&options, "cluster_time_limit", "1000", 0);
  av_dict_set(&options, "flush_packets", "1", 0);
  if (rc >= 0)
    rc = avformat_write_header(format_, &options);
  av_dict_free(&options);
  if (rc < 0) {
    if (format_->pb != nullptr)
      avio_closep(&format_->pb);
    avformat_free_context(format_);
    format_ = nullptr;
    throw std::runtime_error(path.string() + ": cannot start the file: " + media::AvErrorText(rc));
  }
}

TrackFileWriter::~TrackFileWriter() {
  Finish();
  if (format_ != nullptr) {
    avio_closep(&format_->pb);
    avformat_free_context(format_);
  }
}

void TrackFileWriter::Write(const uint8_t* data, size_t size, double t_s, bool keyframe) {
  if (failed_ || finished_ || size == 0)
    return;
  const int64_t ms = std::llround(t_s * 1000.0);
  if (ms < 0 || ms < last_ms_)
    return;
  AVPacket* packet = av_packet_alloc();
  if (av_new_packet(packet, static_cast<int>(size)) == 0) {
    std::memcpy(packet->data, data, size);
    packet->pts = packet->dts = ms;
    packet->stream_index = 0;
    if (keyframe)
      packet->flags |= AV_PKT_FLAG_KEY;
    const int rc = av_write_frame(format_, packet);
    if (rc < 0) {
      failed_ = true;
      Logger("record")->warn("{}: write failed ({}); the track file stops here", path_.string(),
                             media::AvErrorText(rc));
    }
    last_ms_ = ms;
  }
  av_packet_free(&packet);
}

void TrackFileWriter::Finish() {
  if (finished_ || format_ == nullptr)
    return;
  finished_ = true;
  av_write_trailer(format_);
}

} // namespace ssr::record
