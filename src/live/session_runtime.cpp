#include "live/session_runtime.h"

#include "common/log.h"

#include <cstdio>

namespace ssr::live {
namespace {

int64_t MonotonicNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr int64_t kFlowWindowNs = 5'000'000'000; // media or events within 5 s: flowing

// A track.publish event's kind; validated events always name one (the parser checks it).
MediaKind KindOf(const events::Event& publish) {
  return ParseMediaKind(publish.Str("kind")).value_or(MediaKind::kVideo);
}

} // namespace

SessionRuntime::SessionRuntime(std::string session_id, events::BundleDir bundle_dir,
                               RuntimeOptions options)
    : session_id_(std::move(session_id)), bundle_(std::move(bundle_dir)),
      options_(std::move(options)), clock_(bundle_.LiveClockFile()),
      media_(bundle_.AssetsDir(), media::StreamUrlPolicy(options_.stream_url_allow)) {
  ReplayBundleEvents();
}

SessionRuntime::~SessionRuntime() { Shutdown(); }

void SessionRuntime::ReplayBundleEvents() {
  // A line that does not parse (a torn last line after a crash) is logged and left out.
  events::ForEachLoggedEvent(
      bundle_.EventsFile(),
      [this](events::Event&& event) {
        NoteEvent(event);
        events_.push_back(std::move(event));
        return true;
      },
      [this](const events::BadEventLine& bad) {
        Logger("ingest")->warn("session {}: {}:{}: {}", session_id_, events::BundleDir::kEventsFile,
                               bad.line, bad.error);
      });
}

void SessionRuntime::NoteEvent(const events::Event& event) {
  if (event.type == events::EventType::kSessionEnd && !ended_t_) {
    ended_t_ = event.t;
  }
  if (event.type != events::EventType::kTrackPublish)
    return;
  const std::string track = event.Str("track");
  publish_t_[track] = event.t;
  publish_kind_[track] = KindOf(event);
}

void SessionRuntime::OnEvents(const std::vector<events::Event>& batch) {
  if (batch.empty())
    return;
  clock_.AnchorAt(batch.front().t);
  std::lock_guard lock(mutex_);
  last_event_ns_ = MonotonicNowNs();
  for (const events::Event& event : batch) {
    NoteEvent(event);
    if (event.type == events::EventType::kTrackPublish) {
      if (auto it = tracks_.find(event.Str("track")); it != tracks_.end()) {
        it->second->SetOrigin(event.t);
      }
    }
    for (auto& [id, part] : parts_)
      part.recorder->PostEvent(event);
    events_.push_back(event);
  }
}

std::optional<MediaKind> SessionRuntime::PublishedKind(const std::string& track_id) {
  auto it = publish_kind_.find(track_id);
  if (it == publish_kind_.end())
    return std::nullopt;
  return it->second;
}

IngestedTrack& SessionRuntime::TrackFor(const std::string& track_id, MediaKind kind) {
  auto& slot = tracks_[track_id];
  if (!slot) {
    slot = std::make_unique<IngestedTrack>(track_id, kind, clock_, media_, bundle_.TracksDir());
    if (auto it = publish_t_.find(track_id); it != publish_t_.end())
      slot->SetOrigin(it->second);
  }
  return *slot;
}

void SessionRuntime::CheckIngestAllowed(size_t new_tracks) const {
  if (ended_t_) {
    char at[32];
    std::snprintf(at, sizeof(at), "%.3f", *ended_t_);
    throw IngestRefused("session_ended", "session " + session_id_ + " ended at t=" + at +
                                             " (session.end): it takes no more media");
  }
  if (tracks_.size() + new_tracks > static_cast<size_t>(options_.max_tracks)) {
    throw IngestRefused("ingest_limit",
                        "session " + session_id_ + " has " + std::to_string(tracks_.size()) +
                            " tracks; the limit is " + std::to_string(options_.max_tracks) +
                            " per session (ingest_max_tracks)");
  }
}

std::string SessionRuntime::AddWhip(const std::string& resource_id,
                                    const std::vector<std::string>& track_ids,
                                    const std::string& offer_sdp) {
  std::unique_ptr<ingest::WhipSession> session;
  {
    std::lock_guard lock(mutex_);
    CheckIngestAllowed(0); // an ended session before whatever the offer says
    auto offered = ingest::CheckOffer(offer_sdp, track_ids,
                                      [this](const std::string& id) { return PublishedKind(id); });
    std::vector<ingest::TrackSink*> sinks;
    // Resources whose connection failed are gone for good: drop them before adding one.
    for (auto it = whip_.begin(); it != whip_.end();) {
      if (it->second->failed()) {
        it->second->Close("connection failed");
        it = whip_.erase(it);
      } else {
        ++it;
      }
    }
    size_t new_tracks = 0;
    for (const auto& track : offered)
      new_tracks += tracks_.count(track.track_id) == 0 ? 1 : 0;
    CheckIngestAllowed(new_tracks);
    if (whip_.size() >= static_cast<size_t>(options_.max_whip_resources)) {
      throw IngestRefused("ingest_limit", "session " + session_id_ + " has " +
                                              std::to_string(whip_.size()) +
                                              " WHIP resources; the limit is " +
                                              std::to_string(options_.max_whip_resources) +
                                              " per session (ingest_max_whip_resources): "
                                              "DELETE one that is no longer used");
    }
    sinks.reserve(offered.size());
    for (const auto& track : offered)
      sinks.push_back(&TrackFor(track.track_id, track.kind));
    ingest::WhipOptions whip_options = options_.whip;
    whip_options.bundle = ingest::OfferSharesIceCredentials(offer_sdp);
    session = std::make_unique<ingest::WhipSession>(session_id_ + "/" + resource_id, offered, sinks,
                                                    whip_options);
  }
  // Negotiation waits for ICE gathering: outside the lock.
  std::string answer = session->Negotiate(offer_sdp);
  std::lock_guard lock(mutex_);
  whip_[resource_id] = std::move(session);
  return answer;
}

bool SessionRuntime::DeleteWhip(const std::string& resource_id) {
  std::unique_ptr<ingest::WhipSession> session;
  {
    std::lock_guard lock(mutex_);
    auto it = whip_.find(resource_id);
    if (it == whip_.end())
      return false;
    session = std::move(it->second);
    whip_.erase(it);
  }
  session->Close("resource deleted");
  return true;
}

int SessionRuntime::AddRtp(const std::string& track_id, const std::string& sdp,
                           const std::string& source) {
  ingest::RtpDescription description = ingest::ParseRtpDescription(sdp);
  description.source_address = source;
  std::unique_ptr<ingest::RtpSession> previous;
  std::lock_guard lock(mutex_);
  if (auto known = PublishedKind(track_id); known && *known != description.kind) {
    throw ingest::OfferError("track '" + track_id + "' was published as " +
                             std::string(KindName(*known)) + " but the sdp describes " +
                             std::string(KindName(description.kind)));
  }
  CheckIngestAllowed(tracks_.count(track_id) == 0 ? 1 : 0);
  if (auto it = rtp_.find(track_id); it != rtp_.end()) {
    it->second->Close("replaced by a new forward");
    rtp_.erase(it);
  }
  auto session =
      std::make_unique<ingest::RtpSession>(session_id_ + "/" + track_id, description,
                                           &TrackFor(track_id, description.kind), options_.rtp);
  const int port = session->port();
  rtp_[track_id] = std::move(session);
  return port;
}

void SessionRuntime::StartPart(const std::string& recording_id, const std::string& room,
                               const std::filesystem::path& webm_path, double start_t,
                               const control::PartVideo& video) {
  std::error_code ec;
  std::filesystem::create_directories(webm_path.parent_path(), ec);
  record::LiveRecorderOptions recorder_options;
  recorder_options.room = room;
  recorder_options.width = video.width;
  recorder_options.height = video.height;
  recorder_options.fps = video.fps;
  recorder_options.video_bitrate_bps = video.bitrate_bps;
  recorder_options.latency_s = options_.recorder_latency_s;
  // Overloaded, a recorder sheds frames rather than fall further behind than its latency: a
  // frame starts at most a third of it late, which leaves the rest for the frame's own work
  // on a saturated machine (bench/RESULTS.md, "Capacity and overload").
  recorder_options.shed_after_s = options_.recorder_latency_s / 3;
  recorder_options.output = webm_path;
  std::lock_guard lock(mutex_);
  if (parts_.count(recording_id) != 0) {
    throw IngestError("recording " + recording_id + " is already running");
  }
  auto recorder =
      std::make_unique<record::LiveRecorder>(recorder_options, media_, clock_.Origin(), start_t);
  for (const events::Event& event : events_)
    recorder->PostEvent(event);
  recorder->Start();
  parts_[recording_id] = Part{std::move(recorder), webm_path, room, start_t};
  Logger("record")->info("session {}: {} part {} of room {} from t={:.3f}", session_id_,
                         recording_id, webm_path.filename().string(), room, start_t);
}

bool SessionRuntime::Flowing(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  auto it = parts_.find(recording_id);
  if (it == parts_.end() || it->second.recorder->frames_written() == 0)
    return false;
  const int64_t now = MonotonicNowNs();
  if (now - last_event_ns_ < kFlowWindowNs)
    return true;
  for (const auto& [id, track] : tracks_) {
    if (now - track->last_media_ns() < kFlowWindowNs)
      return true;
  }
  return false;
}

std::optional<std::string> SessionRuntime::PartError(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  auto it = parts_.find(recording_id);
  return it == parts_.end() ? std::nullopt : it->second.recorder->error();
}

PartResult SessionRuntime::StopPart(const std::string& recording_id, std::optional<double> end_t) {
  Part part;
  {
    std::lock_guard lock(mutex_);
    auto it = parts_.find(recording_id);
    if (it == parts_.end()) {
      throw IngestError("recording " + recording_id + " has no running part");
    }
    part = std::move(it->second);
    parts_.erase(it);
  }
  PartResult result;
  result.stats = part.recorder->Stop(end_t);
  result.webm = part.webm;
  result.duration_s = result.stats.media_s;
  Logger("record")->info(
      "session {}: {} part {} finished: {} frames, {} late (max lag {:.0f} ms), {} shed",
      session_id_, recording_id, part.webm.filename().string(), result.stats.frames,
      result.stats.late_frames, result.stats.max_lag_ms, result.stats.shed_frames);
  if (!result.stats.error.empty()) {
    Logger("record")->error("session {}: {} part {} failed: {}", session_id_, recording_id,
                            part.webm.filename().string(), result.stats.error);
  }
  return result;
}

void SessionRuntime::Shutdown() {
  std::map<std::string, Part> parts;
  std::map<std::string, std::unique_ptr<ingest::WhipSession>> whip;
  std::map<std::string, std::unique_ptr<ingest::RtpSession>> rtp;
  {
    std::lock_guard lock(mutex_);
    parts.swap(parts_);
    whip.swap(whip_);
    rtp.swap(rtp_);
  }
  for (auto& [id, part] : parts)
    part.recorder->Stop(std::nullopt);
  for (auto& [id, session] : whip)
    session->Close("server stopping");
  for (auto& [id, session] : rtp)
    session->Close("server stopping");
  std::lock_guard lock(mutex_);
  for (auto& [id, track] : tracks_)
    track->FinishFile();
}

size_t SessionRuntime::ingest_count() {
  std::lock_guard lock(mutex_);
  return whip_.size() + rtp_.size();
}

size_t SessionRuntime::part_count() {
  std::lock_guard lock(mutex_);
  return parts_.size();
}

std::shared_ptr<SessionRuntime> SessionRuntimes::For(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto& slot = runtimes_[session_id];
  if (!slot) {
    slot = std::make_shared<SessionRuntime>(
        session_id, events::BundleDir(sessions_dir_ / session_id), options_);
  }
  return slot;
}

bool SessionRuntimes::Remove(const std::string& session_id) {
  std::shared_ptr<SessionRuntime> runtime;
  {
    std::lock_guard lock(mutex_);
    auto it = runtimes_.find(session_id);
    if (it == runtimes_.end())
      return false;
    runtime = std::move(it->second);
    runtimes_.erase(it);
  }
  runtime->Shutdown(); // outside the map's lock: closing ingest takes a while
  return true;
}

void SessionRuntimes::ShutdownAll() {
  std::lock_guard lock(mutex_);
  for (auto& [id, runtime] : runtimes_)
    runtime->Shutdown();
}

size_t SessionRuntimes::ingest_count() {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (auto& [id, runtime] : runtimes_)
    n += runtime->ingest_count();
  return n;
}

} // namespace ssr::live

namespace ssr::live {

size_t SessionRuntimes::part_count() {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (auto& [id, runtime] : runtimes_)
    n += runtime->part_count();
  return n;
}

} // namespace ssr::live
