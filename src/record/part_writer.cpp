#include "record/part_writer.h"

#include "common/cpu_clock.h"
#include "media/av_util.h"
#include "media/feeds.h"

#include <algorithm>
#include <atomic>

namespace ssr::record {
namespace {

// Parts asking for a staggered keyframe phase, in the order this process started them.
std::atomic<int64_t> staggered_parts{0};

encode::KeyframePlan PlanFor(const PartWriterOptions& o, const encode::VideoEncoder& encoder) {
  encode::KeyframePlan plan;
  plan.interval_frames = encoder.keyframe_interval_frames();
  plan.min_distance_frames = o.video.fps / 2;
  if (!o.scene_keyframes) {
    plan.change_threshold = 2; // never reached
  }
  plan.phase_frames = o.keyframe_phase_frames >= 0
                          ? o.keyframe_phase_frames
                          : encode::StaggeredPhase(staggered_parts++, plan.interval_frames);
  return plan;
}

// Encodes on the calling thread, into one reused canvas.
class InlineVideoStage : public VideoStage {
 public:
  InlineVideoStage(encode::VideoEncoder& encoder, encode::WebmWriter& writer, int stream)
      : encoder_(encoder),
        sink_([&writer, stream, time_base = encoder.context()->time_base](AVPacket* packet) {
          writer.WritePacket(packet, time_base, stream);
        }) {}

  media::I420Frame* AcquireFrame() override { return &canvas_; }
  void Submit(media::I420Frame* frame, int64_t index, bool keyframe) override {
    encoder_.Encode(*frame, index, sink_, keyframe);
  }
  void Finish() override { encoder_.Flush(sink_); }

 private:
  encode::VideoEncoder& encoder_;
  encode::VideoEncoder::PacketSink sink_;
  media::I420Frame canvas_;
};

} // namespace

std::filesystem::path VttPathFor(const std::filesystem::path& webm) {
  std::filesystem::path vtt = webm;
  vtt.replace_extension(".vtt");
  return vtt;
}

PartWriter::PartWriter(PartWriterOptions options)
    : options_(std::move(options)), video_encoder_(options_.video),
      keyframes_(PlanFor(options_, video_encoder_)),
      // The legacy profile leaves keyframes to libvpx's clock.
      plan_keyframes_(options_.video.profile != encode::EncoderProfile::kLegacy),
      writer_(options_.output.string()), vtt_(VttPathFor(options_.output).string()) {
  video_stream_ = writer_.AddStream(video_encoder_.context());
  audio_stream_ = writer_.AddStream(audio_encoder_.context());
  writer_.AddChatStream();
  if (options_.max_interleave_delay_us > 0) {
    writer_.SetMaxInterleaveDelay(options_.max_interleave_delay_us);
  }
  writer_.Start();
  video_stage_ = options_.video_stage
                     ? options_.video_stage(video_encoder_, writer_, video_stream_)
                     : std::make_unique<InlineVideoStage>(video_encoder_, writer_, video_stream_);
}

PartWriter::~PartWriter() = default;

std::optional<PartWriter::Unit> PartWriter::NextUnit(int64_t total_frames,
                                                     int64_t total_audio_blocks) const {
  const bool video_left = frames_ < total_frames;
  const bool audio_left = audio_blocks_ < total_audio_blocks;
  const double video_t = static_cast<double>(frames_) / options_.video.fps;
  const double audio_t =
      static_cast<double>(audio_blocks_ * encode::AudioEncoder::kFrameSamples) / media::kSampleRate;
  if (video_left && (!audio_left || video_t <= audio_t)) {
    return Unit{true, video_t};
  }
  if (audio_left) {
    return Unit{false, audio_t};
  }
  return std::nullopt;
}

media::I420Frame* PartWriter::AcquireFrame() { return video_stage_->AcquireFrame(); }

void PartWriter::SubmitFrame(media::I420Frame* frame, double static_change) {
  const bool key = plan_keyframes_ && keyframes_.Next(frames_, static_change);
  video_stage_->Submit(frame, frames_, key);
  ++frames_;
}

void PartWriter::WriteAudio(const float* samples) {
  static const AVRational kAudioTimeBase{1, media::kSampleRate};
  double mux_s = 0; // nested in the encoder's time
  {
    ScopedCpuTimer timer(cpu_.audio_encode_s);
    audio_encoder_.Encode(samples, audio_blocks_ * encode::AudioEncoder::kFrameSamples,
                          [&](AVPacket* packet) {
                            ScopedCpuTimer mux_timer(mux_s);
                            writer_.WritePacket(packet, kAudioTimeBase, audio_stream_);
                          });
  }
  cpu_.audio_encode_s = std::max(0.0, cpu_.audio_encode_s - mux_s);
  cpu_.mux_s += mux_s;
  ++audio_blocks_;
}

void PartWriter::WriteCue(const encode::ChatCue& cue) {
  ScopedCpuTimer timer(cpu_.mux_s);
  writer_.WriteCue(cue);
  vtt_.Write(cue);
  ++chat_cues_;
}

void PartWriter::Finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  static const AVRational kAudioTimeBase{1, media::kSampleRate};
  video_stage_->Finish();
  audio_encoder_.Flush(
      [&](AVPacket* packet) { writer_.WritePacket(packet, kAudioTimeBase, audio_stream_); });
  writer_.Finish();
  vtt_.Close();
}

} // namespace ssr::record
