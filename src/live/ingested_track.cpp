#include "live/ingested_track.h"

#include "common/log.h"

namespace ssr::live {
namespace {
constexpr size_t kMaxPendingUnits = 300; // ~10 s of video before a decodable picture
}

IngestedTrack::IngestedTrack(std::string track_id, MediaKind kind, SessionClock& clock,
                             record::LiveMediaProvider& media, std::filesystem::path tracks_dir)
    : track_id_(std::move(track_id)), kind_(kind), clock_(clock), media_(media),
      tracks_dir_(std::move(tracks_dir)) {}

IngestedTrack::~IngestedTrack() { FinishFile(); }

std::optional<double> IngestedTrack::TrackTime(int64_t mono_ns) const {
  const double origin = origin_t_;
  const auto session_t = clock_.SessionTime(mono_ns);
  if (std::isnan(origin) || !session_t)
    return std::nullopt;
  return *session_t - origin;
}

void IngestedTrack::OnCodec(const ingest::CodecInfo& codec) {
  std::lock_guard lock(file_mutex_);
  if (has_codec_ && codec_.name != codec.name) {
    Logger("ingest")->warn("track {}: codec changed from {} to {}; the raw track file keeps {}",
                           track_id_, codec_.name, codec.name, codec_.name);
    file_failed_ = true;
    return;
  }
  codec_.name = codec.name;
  codec_.extradata = codec.extradata;
  has_codec_ = true;
}

void IngestedTrack::OnVideo(int64_t mono_ns, const media::VideoPicture& picture) {
  last_media_ns_ = mono_ns;
  const auto t = TrackTime(mono_ns);
  if (!t || *t < 0)
    return;
  media_.VideoFeedFor(track_id_).Push(*t, picture);
  std::lock_guard lock(file_mutex_);
  if (codec_.width == 0) {
    codec_.width = picture.width;
    codec_.height = picture.height;
  }
}

void IngestedTrack::OnAudio(int64_t mono_ns, const float* samples, int frames) {
  last_media_ns_ = mono_ns;
  const auto t = TrackTime(mono_ns);
  if (!t || *t < 0)
    return;
  media_.AudioFeedFor(track_id_).Push(*t, samples, frames);
}

void IngestedTrack::OnEncoded(const ingest::EncodedUnit& unit) {
  const auto t = TrackTime(unit.mono_ns);
  if (!t || *t < 0)
    return;
  WriteEncoded(unit.data, unit.size, *t, unit.keyframe);
}

void IngestedTrack::WriteEncoded(const uint8_t* data, size_t size, double t, bool keyframe) {
  std::lock_guard lock(file_mutex_);
  if (file_failed_ || !has_codec_)
    return;
  if (!file_) {
    const bool size_known = kind_ == MediaKind::kAudio || codec_.width > 0;
    if (!size_known) {
      if (pending_.size() < kMaxPendingUnits)
        pending_.push_back({{data, data + size}, t, keyframe});
      return;
    }
    std::error_code ec;
    std::filesystem::create_directories(tracks_dir_, ec);
    const auto path = tracks_dir_ / (track_id_ + record::TrackFileWriter::Extension(codec_.name));
    // A file from before a restart is kept aside, never overwritten (the bundle then renders
    // the track from the new file; the old media stays on disk).
    for (int n = 1; std::filesystem::exists(path, ec); ++n) {
      const auto kept = path.string() + ".before-restart-" + std::to_string(n);
      if (!std::filesystem::exists(kept, ec)) {
        std::filesystem::rename(path, kept, ec);
        if (ec) {
          Logger("ingest")->warn("track {}: cannot keep {} aside ({}); no raw track file",
                                 track_id_, path.string(), ec.message());
          file_failed_ = true;
          return;
        }
        Logger("ingest")->warn("track {}: {} existed; kept as {}", track_id_, path.string(), kept);
      }
    }
    try {
      file_ = std::make_unique<record::TrackFileWriter>(path, codec_);
    } catch (const std::exception& e) {
      Logger("ingest")->warn("track {}: {}", track_id_, e.what());
      file_failed_ = true;
      return;
    }
    for (const Pending& p : pending_)
      file_->Write(p.data.data(), p.data.size(), p.t, p.keyframe);
    pending_.clear();
  }
  file_->Write(data, size, t, keyframe);
}

void IngestedTrack::OnEnded(const std::string& reason) {
  Logger("ingest")->info("track {}: ingest ended ({})", track_id_, reason);
}

void IngestedTrack::FinishFile() {
  std::lock_guard lock(file_mutex_);
  if (file_)
    file_->Finish();
}

} // namespace ssr::live
