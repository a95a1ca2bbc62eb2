#include "server/sessions.h"

#include "auth/new_ids.h"
#include "auth/tokens.h"
#include "common/error.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/title.h"
#include "events/bundle_dir.h"
#include "events/role.h"

#include <cctype>
#include <system_error>

namespace ssr::server {
namespace {

constexpr size_t kMaxTimezoneBytes = 64;

Error FieldError(const std::string& field, const std::string& what) {
  return Error(ErrorKind::kInvalid, "field '" + field + "' " + what, field);
}

// The checked record of `request` (ingest token hash not set yet).
store::SessionRecord CheckedRecord(const NewSession& request) {
  store::SessionRecord session;
  if (request.id) {
    session.id = *request.id;
    if (const std::string problem = CheckSessionId(session.id); !problem.empty()) {
      throw FieldError("id", problem);
    }
  } else {
    session.id = auth::NewSessionId();
  }
  // The title rule of every title (a recording's name comes from it): trimmed, 1-200
  // characters, one line.
  CheckedTitle title = CheckTitle(request.title);
  if (!title.ok())
    throw FieldError("title", title.problem);
  session.title = std::move(title.title);
  if (request.timezone) {
    session.timezone = *request.timezone;
    if (const std::string problem = CheckTimezone(session.timezone); !problem.empty()) {
      throw FieldError("timezone", problem);
    }
  }
  session.autostart = request.autostart.value_or(false);
  for (size_t i = 0; i < request.invitees.size(); ++i) {
    const Invitee& invitee = request.invitees[i];
    const std::string where = "invitees[" + std::to_string(i) + "]";
    if (invitee.user.empty())
      throw FieldError(where + ".user", "must be a non-empty string");
    if (!events::ParseRole(invitee.role)) {
      throw FieldError(where + ".role", "must be one of host, cohost, presenter, attendee");
    }
    session.invitees.push_back({{"user", invitee.user}, {"role", invitee.role}});
  }
  return session;
}

} // namespace

std::string CheckTimezone(const std::string& tz) {
  std::string problem = "'" + tz + "' is not an IANA time zone (e.g. Europe/Paris)";
  if (tz == "UTC")
    return "";
  if (tz.empty() || tz.size() > kMaxTimezoneBytes || tz.front() == '/' ||
      tz.find("..") != std::string::npos) {
    return problem;
  }
  for (char c : tz) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return problem;
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / tz, ec)) {
    return problem;
  }
  return "";
}

CreatedSession Sessions::Create(const NewSession& request) {
  CreatedSession created{CheckedRecord(request), auth::RandomToken(32)};
  store::SessionRecord& session = created.record;
  session.ingest_token_hash = auth::HashToken(created.ingest_token);
  if (roles_.Indexed(session.id) && !store_.Find(session.id)) {
    throw Error(ErrorKind::kConflict, "id '" + session.id +
                                          "' belonged to a deleted session whose recordings "
                                          "were kept; choose another id");
  }
  if (!store_.Create(session)) {
    throw Error(ErrorKind::kConflict, "a session with id '" + session.id + "' exists");
  }
  events::BundleDir::Create(sessions_dir_ / session.id,
                            events::SessionInfo{session.id, session.title, session.timezone});
  // Absent autostart: the organization's setting decides.
  controller_.OpenSession({session.id, session.title, request.autostart, std::nullopt});
  roles_.AddInvitees(session.id, session.invitees);
  {
    std::lock_guard lock(registered_mutex_);
    registered_.insert(session.id);
  }
  Logger("sessions")->info("session {} created ('{}')", session.id, session.title);
  return created;
}

void Sessions::RegisterWithControl(const std::string& session_id) {
  {
    std::lock_guard lock(registered_mutex_);
    if (registered_.count(session_id))
      return;
  }
  if (!controller_.Presence(session_id)) {
    if (const auto session = store_.Find(session_id)) {
      controller_.OpenSession({session_id, session->title,
                               session->autostart ? std::optional<bool>(true) : std::nullopt,
                               std::nullopt});
    }
  }
  std::lock_guard lock(registered_mutex_);
  registered_.insert(session_id);
}

void Sessions::Forget(const std::string& session_id) {
  std::lock_guard lock(registered_mutex_);
  registered_.erase(session_id);
}

} // namespace ssr::server
