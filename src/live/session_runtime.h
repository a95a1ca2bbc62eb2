#pragma once
// Everything live about one session: its clock, the events so far, the media ingests (WHIP
// resources and RTP forwards) and the tracks they feed, and the live recorders writing
// parts of its rooms. The HTTP API feeds it events and ingests; recording control asks it
// to start and stop parts (StartPart/StopPart: the recorder port of recording control).

#include "common/error.h"
#include "control/part_video.h"
#include "events/bundle_dir.h"
#include "events/event.h"
#include "ingest/rtp_session.h"
#include "ingest/whip_session.h"
#include "live/ingested_track.h"
#include "live/session_clock.h"
#include "record/live_feeds.h"
#include "record/live_recorder.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::live {

struct RuntimeOptions {
  double recorder_latency_s = 0.3;
  ingest::WhipOptions whip;
  ingest::RtpOptions rtp;
  // Hosts and addresses stream.start may reach although not public (stream_url_allow).
  std::vector<std::string> stream_url_allow;
  // What one session may hold at once (ingest_max_whip_resources, ingest_max_tracks): each
  // WHIP resource is a pipeline with threads and sockets, each track a file being written.
  int max_whip_resources = 100;
  int max_tracks = 200;
};

// Media the session takes no more (409 with `code`): it has ended ("session_ended"), or it
// holds as many WHIP resources or tracks as one session may ("ingest_limit").
class IngestRefused : public Error {
 public:
  IngestRefused(std::string code, const std::string& message)
      : Error(ErrorKind::kConflict, message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// A part that cannot be started or stopped (already running, not running).
class IngestError : public Error {
 public:
  explicit IngestError(const std::string& message) : Error(ErrorKind::kUnavailable, message) {}
};

struct PartResult {
  std::filesystem::path webm;
  double duration_s = 0;
  record::LiveRecorderStats stats; // stats.error: why the part failed ("": it did not)
};

class SessionRuntime {
 public:
  // `bundle_dir`: the session's bundle (events.jsonl, assets/, tracks/). Replays the events
  // already in events.jsonl (after a restart).
  SessionRuntime(std::string session_id, events::BundleDir bundle_dir, RuntimeOptions options);
  ~SessionRuntime();

  // Events already validated and appended to events.jsonl, in order.
  void OnEvents(const std::vector<events::Event>& batch);

  // WHIP: checks the offer, starts receiving, returns the answer. `resource_id` names the
  // resource (the Location's last segment). Throws IngestError or ingest::OfferError.
  std::string AddWhip(const std::string& resource_id, const std::vector<std::string>& track_ids,
                      const std::string& offer_sdp);
  bool DeleteWhip(const std::string& resource_id);
  // RTP: returns the UDP port the forward goes to. Replaces an earlier forward of the track.
  // `source`: the only address packets are taken from ("": the first that sends).
  int AddRtp(const std::string& track_id, const std::string& sdp, const std::string& source = "");

  // Recording control: one part of a room from session time `start_t`, at `video`'s size,
  // frame rate and bitrate.
  void StartPart(const std::string& recording_id, const std::string& room,
                 const std::filesystem::path& webm_path, double start_t,
                 const control::PartVideo& video);
  // The part runs and the room shows life: its recorder composes frames and the session has
  // events or media arriving.
  bool Flowing(const std::string& recording_id);
  // Why the running part failed (its recorder stopped writing), once it has; nullopt while
  // it is well or when no part runs.
  std::optional<std::string> PartError(const std::string& recording_id);
  // Ends the part at session time `end_t` (nullopt: now) and returns when it is written.
  PartResult StopPart(const std::string& recording_id, std::optional<double> end_t = std::nullopt);

  // Stops every part (playable files) and ingest; finishes the raw track files.
  void Shutdown();

  double Now() const { return clock_.Now(); }
  size_t ingest_count();
  size_t part_count();

 private:
  IngestedTrack& TrackFor(const std::string& track_id, MediaKind kind);
  std::optional<MediaKind> PublishedKind(const std::string& track_id);
  void ReplayBundleEvents();
  // Remembers the t and kind of a track.publish (what a track of that id starts from), and
  // the session's end.
  void NoteEvent(const events::Event& event);
  // Under mutex_: throws IngestRefused when the session has ended or `new_tracks` more
  // tracks would pass the session's limit.
  void CheckIngestAllowed(size_t new_tracks) const;

  const std::string session_id_;
  const events::BundleDir bundle_;
  const RuntimeOptions options_;
  SessionClock clock_;
  record::LiveMediaProvider media_;

  std::mutex mutex_;
  std::vector<events::Event> events_;
  std::map<std::string, double> publish_t_;       // track id → track.publish t
  std::map<std::string, MediaKind> publish_kind_; // track id → kind
  std::map<std::string, std::unique_ptr<IngestedTrack>> tracks_;
  std::map<std::string, std::unique_ptr<ingest::WhipSession>> whip_;
  std::map<std::string, std::unique_ptr<ingest::RtpSession>> rtp_;
  struct Part {
    std::unique_ptr<record::LiveRecorder> recorder;
    std::filesystem::path webm;
    std::string room;
    double start_t = 0;
  };
  std::map<std::string, Part> parts_;
  int64_t last_event_ns_ = 0;
  std::optional<double> ended_t_; // session.end's t, once logged
};

// The runtimes of all sessions, created on first use. Shared: a runtime removed while a
// request still uses it lives until that request is done.
class SessionRuntimes {
 public:
  SessionRuntimes(std::filesystem::path sessions_dir, RuntimeOptions options)
      : sessions_dir_(std::move(sessions_dir)), options_(std::move(options)) {}
  std::shared_ptr<SessionRuntime> For(const std::string& session_id);
  // A deleted session: its runtime is shut down (ingest closed, track files finished) and
  // forgotten. False when it had none.
  bool Remove(const std::string& session_id);
  void ShutdownAll();
  size_t ingest_count();
  size_t part_count();

 private:
  const std::filesystem::path sessions_dir_;
  const RuntimeOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<SessionRuntime>> runtimes_;
};

} // namespace ssr::live
