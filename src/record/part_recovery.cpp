#include "record/part_recovery.h"

#include "media/av_util.h"

#include <algorithm>
#include <vector>

namespace ssr::record {

namespace {

struct OutputCloser {
  void operator()(AVFormatContext* ctx) const {
    if (ctx->pb != nullptr) {
      avio_closep(&ctx->pb);
    }
    avformat_free_context(ctx);
  }
};

} // namespace

RecoveryResult RecoverPart(const std::filesystem::path& in, const std::filesystem::path& out) {
  const std::string name = in.filename().string();
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, in.c_str(), nullptr, nullptr);
  if (rc < 0) {
    throw RecoveryError(name + ": cannot open: " + media::AvErrorText(rc));
  }
  media::FormatInputPtr input(raw);
  if (avformat_find_stream_info(raw, nullptr) < 0 || raw->nb_streams == 0) {
    throw RecoveryError(name + ": no streams to recover");
  }

  const std::filesystem::path temp = out.string() + ".recovering";
  AVFormatContext* out_raw = nullptr;
  rc = avformat_alloc_output_context2(&out_raw, nullptr, "webm", temp.c_str());
  if (rc < 0) {
    throw RecoveryError("cannot create a WebM muxer: " + media::AvErrorText(rc));
  }
  std::unique_ptr<AVFormatContext, OutputCloser> output(out_raw);
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    AVStream* stream = avformat_new_stream(out_raw, nullptr);
    avcodec_parameters_copy(stream->codecpar, raw->streams[i]->codecpar);
    stream->codecpar->codec_tag = 0;
    stream->time_base = raw->streams[i]->time_base;
    av_dict_copy(&stream->metadata, raw->streams[i]->metadata, 0);
  }
  rc = avio_open(&out_raw->pb, temp.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0) {
    throw RecoveryError(temp.string() + ": cannot create: " + media::AvErrorText(rc));
  }
  rc = avformat_write_header(out_raw, nullptr);
  if (rc < 0) {
    throw RecoveryError("cannot write the WebM header: " + media::AvErrorText(rc));
  }

  RecoveryResult result;
  double end_s = 0;
  media::PacketPtr packet(av_packet_alloc());
  // Read until the data runs out or breaks: what comes before is whole, what follows is lost.
  while (av_read_frame(raw, packet.get()) >= 0) {
    const AVRational in_tb = raw->streams[packet->stream_index]->time_base;
    if (packet->pts != AV_NOPTS_VALUE) {
      end_s = std::max(end_s, static_cast<double>(packet->pts + packet->duration) * av_q2d(in_tb));
    }
    av_packet_rescale_ts(packet.get(), in_tb, out_raw->streams[packet->stream_index]->time_base);
    if (av_interleaved_write_frame(out_raw, packet.get()) < 0) {
      break; // a damaged tail (e.g. timestamps going backwards): stop there
    }
    ++result.packets;
  }
  if (result.packets == 0) {
    std::filesystem::remove(temp);
    throw RecoveryError(name + ": no complete media packet to recover");
  }
  rc = av_write_trailer(out_raw);
  if (rc < 0 || avio_closep(&out_raw->pb) < 0) {
    throw RecoveryError(temp.string() + ": cannot finish: " + media::AvErrorText(rc));
  }
  std::filesystem::rename(temp, out);
  result.duration_s = end_s;
  return result;
}

} // namespace ssr::record
