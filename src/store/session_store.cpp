#include "store/session_store.h"

#include <chrono>
#include <ctime>

namespace ssr::store {
namespace {

std::string NowRfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace

bool SessionStore::Create(const SessionRecord& session) {
  Statement insert(db_, "INSERT INTO sessions (id, title, timezone, autostart, invitees, "
                        "ingest_token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (id) DO NOTHING RETURNING id;");
  insert.Bind(1, session.id).Bind(2, session.title).Bind(3, session.timezone);
  if (session.autostart) {
    insert.Bind(4, int64_t{1});
  } else {
    insert.BindNull(4); // the organization's setting, unless control is told otherwise
  }
  insert.Bind(5, session.invitees.dump())
      .Bind(6, session.ingest_token_hash)
      .Bind(7, session.created_at.empty() ? NowRfc3339() : session.created_at);
  const bool inserted = insert.Step();
  while (insert.Step()) {
  }
  return inserted;
}

std::optional<SessionRecord> SessionStore::Find(const std::string& id) {
  Statement select(db_, "SELECT id, title, timezone, autostart, invitees, ingest_token_hash, "
                        "created_at FROM sessions WHERE id = ?;");
  select.Bind(1, id);
  if (!select.Step()) {
    return std::nullopt;
  }
  SessionRecord r;
  r.id = select.Text(0);
  r.title = select.Text(1);
  r.timezone = select.Text(2);
  r.autostart = !select.IsNull(3) && select.Int(3) != 0;
  r.invitees = nlohmann::json::parse(select.Text(4), nullptr, false);
  r.ingest_token_hash = select.Text(5);
  r.created_at = select.Text(6);
  return r;
}

long long SessionStore::Count() {
  Statement count(db_, "SELECT COUNT(*) FROM sessions;");
  count.Step();
  return count.Int(0);
}

} // namespace ssr::store
