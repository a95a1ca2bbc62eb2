#pragma once
// Where a session's events come in (POST .../events and the events WebSocket): they are
// appended to events.jsonl, all or nothing, and then handed to every registered listener —
// the live runtime (panes and timing of live parts), the role index (who may watch, R12) and
// recording control (autostart, presence, breakouts) — in the order they were logged. The
// order is kept per session: two sessions' events go in side by side, one session's never
// overtake each other.

#include "events/event.h"
#include "events/event_log.h"
#include "media/stream_url_policy.h"
#include "server/event_references.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ssr::server {

class SessionEventListener {
 public:
  virtual ~SessionEventListener() = default;
  // Names the listener in the log when it fails.
  virtual const char* Name() const = 0;
  // Before the batch is logged: a listener that loads state from events.jsonl (the live
  // runtime replays it) does so now, so that it does not see the batch twice.
  virtual void BeforeLogged(const std::string& /*session_id*/) {}
  // The batch, as logged. `wall_s` is Unix seconds when it arrived. A listener that throws is
  // logged and skipped: the events are logged already and the others still get them.
  virtual void OnSessionEvents(const std::string& session_id,
                               const std::vector<events::Event>& events, double wall_s) = 0;
};

class EventIntake {
 public:
  // `stream_urls`: stream.start URLs it refuses (scheme, shape, literal address) with the
  // other invalid events; names are resolved when the stream is opened (docs/security.md).
  explicit EventIntake(events::EventLogs& logs,
                       media::StreamUrlPolicy stream_urls = media::StreamUrlPolicy())
      : logs_(logs), stream_urls_(std::move(stream_urls)) {}

  // Listeners are called in the order they were added; add them all before the first Accept.
  void AddListener(SessionEventListener& listener) { listeners_.push_back(&listener); }

  // Logs `batch` (events as JSON) for `session_id`, all or nothing, then hands it to the
  // listeners. Throws events::EventLogError (with the index of the bad event) when an event is
  // invalid: nothing of the batch is then logged or handed on. `warnings`, when given, gets
  // one line per reference of the batch to something the session does not know (a
  // participant that never joined, an unpublished track, an asset not uploaded).
  std::vector<events::Event> Accept(const std::string& session_id,
                                    const std::vector<nlohmann::json>& batch, double wall_s,
                                    std::vector<std::string>* warnings = nullptr);

  // A deleted session: its log is closed and what it knew forgotten, after any batch being
  // accepted for it is done (a session of the same id later starts afresh).
  void ForgetSession(const std::string& session_id);

 private:
  std::mutex& OrderOf(const std::string& session_id);
  // Throws events::EventError for a stream.start whose URL the policy refuses.
  void CheckStreamUrl(const events::Event& event) const;

  events::EventLogs& logs_;
  const media::StreamUrlPolicy stream_urls_;
  std::vector<SessionEventListener*> listeners_;
  EventReferences references_; // each session's under its order lock
  std::mutex order_mutex_;     // guards session_order_
  std::map<std::string, std::unique_ptr<std::mutex>> session_order_; // one lock per session
};

} // namespace ssr::server
