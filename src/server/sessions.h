#pragma once
// Sessions as the platform creates them (POST /api/v1/sessions): the rules a new session
// must meet, its row in the store, its bundle directory (session.json, events.jsonl,
// assets/), its invitees' roles and its registration with recording control.

#include "control/recording_controller.h"
#include "library/role_index.h"
#include "store/session_store.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ssr::server {

struct Invitee {
  std::string user;
  std::string role; // host, cohost, presenter, attendee
};

// A session as asked for; absent fields take their defaults (a random id, UTC, the
// organization's autostart setting, no invitees).
struct NewSession {
  std::optional<std::string> id;
  std::string title;
  std::optional<std::string> timezone;
  std::optional<bool> autostart;
  std::vector<Invitee> invitees;
};

struct CreatedSession {
  store::SessionRecord record;
  std::string ingest_token; // shown once: only its hash is kept
};

class Sessions {
 public:
  Sessions(std::filesystem::path sessions_dir, store::SessionStore& store,
           control::RecordingController& controller, library::RoleIndex& roles)
      : sessions_dir_(std::move(sessions_dir)), store_(store), controller_(controller),
        roles_(roles) {}

  // Throws ssr::Error: kInvalid naming the field at fault ("id", "title", "timezone",
  // "invitees[1].role"), kConflict when the id is taken (by a session, or by a deleted one
  // whose recordings were kept).
  CreatedSession Create(const NewSession& request);

  std::optional<store::SessionRecord> Find(const std::string& id) { return store_.Find(id); }

  // Makes sure recording control knows the session: one created before control kept its
  // sessions, or ended and seen again, is registered with its stored title and autostart.
  void RegisterWithControl(const std::string& session_id);
  // A deleted session (SessionDeletion): registered again if a session of its id is made.
  void Forget(const std::string& session_id);

 private:
  const std::filesystem::path sessions_dir_;
  store::SessionStore& store_;
  control::RecordingController& controller_;
  library::RoleIndex& roles_;
  std::mutex registered_mutex_;
  std::set<std::string> registered_; // known to recording control since this process started
};

// Empty when `tz` names an IANA time zone this machine knows ("UTC", "Europe/Paris"), else
// what is wrong with it.
std::string CheckTimezone(const std::string& tz);

} // namespace ssr::server
