#include "server/event_intake.h"

#include "common/log.h"

namespace ssr::server {

std::mutex& EventIntake::OrderOf(const std::string& session_id) {
  std::lock_guard lock(order_mutex_);
  auto& mutex = session_order_[session_id];
  if (!mutex)
    mutex = std::make_unique<std::mutex>();
  return *mutex;
}

void EventIntake::ForgetSession(const std::string& session_id) {
  std::lock_guard order(OrderOf(session_id));
  logs_.Forget(session_id);
  references_.Forget(session_id);
}

void EventIntake::CheckStreamUrl(const events::Event& event) const {
  if (event.type != events::EventType::kStreamStart) {
    return;
  }
  if (const std::string why = stream_urls_.CheckSyntax(event.Str("url")); !why.empty()) {
    throw events::EventError(0, "stream.start: field 'url' is refused: " + why);
  }
}

std::vector<events::Event> EventIntake::Accept(const std::string& session_id,
                                               const std::vector<nlohmann::json>& batch,
                                               double wall_s, std::vector<std::string>* warnings) {
  std::lock_guard order(OrderOf(session_id));
  for (SessionEventListener* listener : listeners_) {
    listener->BeforeLogged(session_id);
  }
  events::EventLog& log = logs_.For(session_id);
  const events::BundleDir bundle(logs_.sessions_dir() / session_id);
  references_.Prime(session_id, bundle);
  std::vector<events::Event> logged =
      log.Append(batch, [this](const events::Event& event) { CheckStreamUrl(event); });
  std::vector<std::string> unknown = references_.Check(session_id, bundle, logged);
  if (warnings != nullptr) {
    *warnings = std::move(unknown);
  }
  for (SessionEventListener* listener : listeners_) {
    try {
      listener->OnSessionEvents(session_id, logged, wall_s);
    } catch (const std::exception& e) {
      // A re-read of events.jsonl (a restart, a re-index) recovers what is missed here.
      Logger("intake")->error("session {}: {} missed {} event(s): {}", session_id, listener->Name(),
                              logged.size(), e.what());
    }
  }
  return logged;
}

} // namespace ssr::server
