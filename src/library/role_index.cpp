#include "library/role_index.h"

#include "events/bundle_dir.h"

namespace ssr::library {
namespace {

using events::EventType;
using events::ParseRole;
using events::Role;
using events::Roles;
using store::Statement;

// The WHERE clause matching a caller in `user`: by id, or by e-mail ignoring case.
constexpr const char* kUserMatch = "(user = ?1 OR (?2 <> '' AND lower(user) = ?2))";

} // namespace

RoleIndex::RoleIndex(store::Database& db) : db_(db) {}

void RoleIndex::AddRole(const std::string& session_id, const std::string& user, Role role,
                        const char* source) {
  Statement(db_, "INSERT INTO session_roles (session_id, user, role, source) "
                 "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING;")
      .Bind(1, session_id)
      .Bind(2, user)
      .Bind(3, std::string(RoleName(role)))
      .Bind(4, std::string(source))
      .Run();
}

void RoleIndex::SetMember(const std::string& session_id, const std::string& user,
                          const std::string& name, Role role, bool from_invite) {
  Statement(db_, from_invite ? "INSERT INTO session_members (session_id, user, name, role) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING;"
                             : "INSERT INTO session_members (session_id, user, name, role) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user) DO UPDATE SET "
                               "role = excluded.role, name = CASE WHEN excluded.name <> '' THEN "
                               "excluded.name ELSE session_members.name END;")
      .Bind(1, session_id)
      .Bind(2, user)
      .Bind(3, name)
      .Bind(4, std::string(RoleName(role)))
      .Run();
}

void RoleIndex::AddInvitees(const std::string& session_id, const nlohmann::json& invitees) {
  if (!invitees.is_array())
    return;
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  for (const auto& invitee : invitees) {
    if (!invitee.is_object() || !invitee.contains("user") || !invitee.contains("role") ||
        !invitee["user"].is_string() || !invitee["role"].is_string()) {
      continue;
    }
    const auto role = ParseRole(invitee["role"].get<std::string>());
    const std::string user = invitee["user"].get<std::string>();
    if (role && !user.empty()) {
      AddRole(session_id, user, *role, "invite");
      SetMember(session_id, user, "", *role, /*from_invite=*/true);
    }
  }
  Statement(db_,
            "INSERT INTO session_roles_indexed (session_id) VALUES (?) ON CONFLICT DO NOTHING;")
      .Bind(1, session_id)
      .Run();
  tx.Commit();
}

void RoleIndex::DeleteSession(const std::string& session_id, bool keep_roles) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  std::vector<const char*> tables = {"session_participants"};
  if (!keep_roles)
    tables.insert(tables.end(), {"session_roles", "session_members", "session_roles_indexed"});
  for (const char* table : tables) {
    Statement(db_, std::string("DELETE FROM ") + table + " WHERE session_id = ?;")
        .Bind(1, session_id)
        .Run();
  }
  tx.Commit();
}

bool RoleIndex::Indexed(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT 1 FROM session_roles_indexed WHERE session_id = ?;");
  select.Bind(1, session_id);
  return select.Step();
}

void RoleIndex::AddEvents(const std::string& session_id, const std::vector<events::Event>& batch) {
  std::lock_guard lock(mutex_);
  bool any = false;
  for (const events::Event& e : batch) {
    any = any || e.type == EventType::kParticipantJoin || e.type == EventType::kParticipantRole;
  }
  if (!any)
    return;
  store::Transaction tx(db_);
  for (const events::Event& e : batch) {
    if (e.type == EventType::kParticipantJoin) {
      const auto role = ParseRole(e.Str("role"));
      const std::string user = e.StrOr("user", "");
      if (user.empty())
        continue;
      Statement(db_, "INSERT INTO session_participants (session_id, participant_id, user) "
                     "VALUES (?, ?, ?) ON CONFLICT (session_id, participant_id) DO UPDATE "
                     "SET user = excluded.user;")
          .Bind(1, session_id)
          .Bind(2, e.Str("id"))
          .Bind(3, user)
          .Run();
      if (role) {
        AddRole(session_id, user, *role, "event");
        SetMember(session_id, user, e.StrOr("name", ""), *role, /*from_invite=*/false);
      }
    } else if (e.type == EventType::kParticipantRole) {
      const auto role = ParseRole(e.Str("role"));
      Statement find(db_, "SELECT user FROM session_participants WHERE session_id = ? AND "
                          "participant_id = ?;");
      find.Bind(1, session_id).Bind(2, e.Str("id"));
      if (role && find.Step()) {
        AddRole(session_id, find.Text(0), *role, "event");
        SetMember(session_id, find.Text(0), "", *role, /*from_invite=*/false);
      }
    }
  }
  tx.Commit();
}

Roles RoleIndex::RolesOf(const std::string& session_id, const Caller& user) {
  Roles roles;
  if (!user.user())
    return roles;
  std::lock_guard lock(mutex_);
  const std::string sql =
      std::string("SELECT DISTINCT role FROM session_roles WHERE session_id = ?3 AND ") +
      kUserMatch + ";";
  Statement select(db_, sql.c_str());
  select.Bind(1, user.user_id).Bind(2, user.email).Bind(3, session_id);
  while (select.Step()) {
    if (const auto role = ParseRole(select.Text(0)))
      roles.insert(*role);
  }
  return roles;
}

std::vector<std::string> RoleIndex::ParticipantIdsOf(const std::string& session_id,
                                                     const Caller& user) {
  std::vector<std::string> ids;
  if (!user.user())
    return ids;
  std::lock_guard lock(mutex_);
  const std::string sql =
      std::string("SELECT participant_id FROM session_participants WHERE session_id = ?3 AND ") +
      kUserMatch + ";";
  Statement select(db_, sql.c_str());
  select.Bind(1, user.user_id).Bind(2, user.email).Bind(3, session_id);
  while (select.Step())
    ids.push_back(select.Text(0));
  return ids;
}

std::map<std::string, Roles> RoleIndex::SessionsOf(const Caller& user) {
  std::map<std::string, Roles> sessions;
  if (!user.user())
    return sessions;
  std::lock_guard lock(mutex_);
  const std::string sql =
      std::string("SELECT DISTINCT session_id, role FROM session_roles WHERE ") + kUserMatch + ";";
  Statement select(db_, sql.c_str());
  select.Bind(1, user.user_id).Bind(2, user.email);
  while (select.Step()) {
    if (const auto role = ParseRole(select.Text(1)))
      sessions[select.Text(0)].insert(*role);
  }
  return sessions;
}

std::vector<Member> RoleIndex::Members(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT user, name, role FROM session_members WHERE session_id = ? "
                        "ORDER BY CASE WHEN name = '' THEN user ELSE name END, user;");
  select.Bind(1, session_id);
  std::vector<Member> members;
  while (select.Step()) {
    if (const auto role = ParseRole(select.Text(2))) {
      members.push_back({select.Text(0), select.Text(1), *role});
    }
  }
  return members;
}

std::optional<Role> RoleIndex::LatestRole(const std::string& session_id, const Caller& user) {
  if (!user.user())
    return std::nullopt;
  std::lock_guard lock(mutex_);
  // Matched by id first, then by e-mail.
  const std::string sql =
      std::string("SELECT role FROM session_members WHERE session_id = ?3 AND ") + kUserMatch +
      " ORDER BY user = ?1 DESC LIMIT 1;";
  Statement select(db_, sql.c_str());
  select.Bind(1, user.user_id).Bind(2, user.email).Bind(3, session_id);
  if (!select.Step())
    return std::nullopt;
  return ParseRole(select.Text(0));
}

size_t IndexExistingSessions(RoleIndex& index, const std::filesystem::path& sessions_dir,
                             const std::function<nlohmann::json(const std::string&)>& invitees_of) {
  size_t count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sessions_dir, ec)) {
    if (!entry.is_directory())
      continue;
    const std::string session_id = entry.path().filename().string();
    if (index.Indexed(session_id))
      continue;
    std::vector<events::Event> participants;
    events::ForEachLoggedEvent(
        events::BundleDir(entry.path()).EventsFile(),
        [&participants](events::Event&& e) {
          if (e.type == EventType::kParticipantJoin || e.type == EventType::kParticipantRole) {
            participants.push_back(std::move(e));
          }
          return true;
        },
        // events.jsonl holds only accepted events; a torn last line is left out.
        [](const events::BadEventLine&) {},
        {.only_lines_containing = "\"participant."}); // most lines: skipped unparsed
    index.AddEvents(session_id, participants);
    index.AddInvitees(session_id, invitees_of(session_id)); // marks it indexed
    ++count;
  }
  return count;
}

} // namespace ssr::library
