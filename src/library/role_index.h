#pragma once
// The roles of user U in session S (R12): every role U held in S, from the session's invite
// list (POST /api/v1/sessions `invitees`) and from its participant events (`participant.join`
// with a `user`, and `participant.role` for a participant whose user is known). A role held
// once counts: a co-host demoted later still co-hosted the session.
//
// Kept in SQLite (DATA/ssr.db) as sessions are created and events arrive, so listing a
// user's recordings never reads event logs. A user is matched by id or, case-insensitively,
// by e-mail (the event contract allows either in `user`).

#include "events/event.h"
#include "events/role.h"
#include "library/caller.h"
#include "store/database.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssr::library {

// A user of a session as the session knows them: the name participant.join gave ("" when
// they only were invited) and their latest role.
struct Member {
  std::string user;
  std::string name;
  events::Role role = events::Role::kAttendee;
};

class RoleIndex {
 public:
  explicit RoleIndex(store::Database& db);

  // `invitees` as validated by the API: [{user, role}]; other entries are skipped. Marks the
  // session as indexed: what it gets from now on comes through AddEvents.
  void AddInvitees(const std::string& session_id, const nlohmann::json& invitees);
  // False for a session created before the index existed (IndexExistingSessions fills it).
  bool Indexed(const std::string& session_id);
  // Validated events (events::ParseEvent); only participant.join and participant.role matter.
  void AddEvents(const std::string& session_id, const std::vector<events::Event>& events);

  // The roles of `user` in `session_id` (empty for the platform and anonymous callers).
  events::Roles RolesOf(const std::string& session_id, const Caller& user);
  // Every session where `user` held a role, with those roles.
  std::map<std::string, events::Roles> SessionsOf(const Caller& user);
  // The participant ids `user` joined `session_id` under (participant.join with their `user`).
  std::vector<std::string> ParticipantIdsOf(const std::string& session_id, const Caller& user);

  // A deleted session: its participant ids go; its roles and members go too unless
  // `keep_roles` (its recordings are kept, and who may see them is decided by those roles).
  // A session whose roles are kept stays Indexed, so that its id is not given again.
  void DeleteSession(const std::string& session_id, bool keep_roles);

  // The users of a session, by name then user, with their latest roles.
  std::vector<Member> Members(const std::string& session_id);
  // The latest role of `user` in `session_id` (nullopt: none, the platform, anonymous).
  std::optional<events::Role> LatestRole(const std::string& session_id, const Caller& user);

 private:
  void AddRole(const std::string& session_id, const std::string& user, events::Role role,
               const char* source);
  // The member `user` of `session_id` now has `role` (and `name`, unless it is empty). An
  // invitation does not replace what events said.
  void SetMember(const std::string& session_id, const std::string& user, const std::string& name,
                 events::Role role, bool from_invite);

  std::mutex mutex_;
  store::Database& db_;
};

// Once, at start: indexes the sessions of `sessions_dir` (DATA/sessions/<id>/) that are not
// yet, from their invitees (`invitees_of`) and the participant events of their events.jsonl
// (lines that do not parse are skipped). Returns how many sessions it indexed.
size_t IndexExistingSessions(RoleIndex& index, const std::filesystem::path& sessions_dir,
                             const std::function<nlohmann::json(const std::string&)>& invitees_of);

} // namespace ssr::library
