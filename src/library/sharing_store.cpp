#include "library/sharing_store.h"

#include "control/recording.h"

#include <nlohmann/json.hpp>

namespace ssr::library {
namespace {

using nlohmann::json;
using store::Statement;

std::string AudiencesText(const std::set<Audience>& audiences) {
  json array = json::array();
  for (Audience a : audiences)
    array.push_back(AudienceName(a));
  return array.dump();
}

std::set<Audience> AudiencesFrom(const std::string& text) {
  std::set<Audience> audiences;
  for (const json& name : json::parse(text)) {
    if (name == "attendees")
      audiences.insert(Audience::kAttendees);
    if (name == "presenters")
      audiences.insert(Audience::kPresenters);
  }
  return audiences;
}

} // namespace

SharingStore::SharingStore(store::Database& db) : db_(db) {}

std::optional<SharingRecord> SharingStore::Load(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  return LoadLocked(recording_id);
}

std::optional<SharingRecord> SharingStore::LoadLocked(const std::string& recording_id) {
  Statement select(db_, "SELECT stream_by, download_by, release_at, release_timezone, "
                        "release_at_s, version, updated_at, updated_by FROM recording_sharing "
                        "WHERE recording_id = ?;");
  select.Bind(1, recording_id);
  if (!select.Step())
    return std::nullopt;
  SharingRecord r;
  r.settings.stream_by = AudiencesFrom(select.Text(0));
  r.settings.download_by = AudiencesFrom(select.Text(1));
  if (!select.IsNull(2))
    r.release_at = ParseLocalDateTime(select.Text(2));
  r.release_timezone = select.Text(3);
  if (!select.IsNull(4))
    r.settings.release_at_s = select.Real(4);
  r.version = select.Int(5);
  r.updated_at = select.Text(6);
  r.updated_by = select.Text(7);
  Statement grants(db_, "SELECT user, stream, download FROM recording_grants WHERE "
                        "recording_id = ? ORDER BY position;");
  grants.Bind(1, recording_id);
  while (grants.Step()) {
    r.settings.grants.push_back({grants.Text(0), grants.Int(1) != 0, grants.Int(2) != 0});
  }
  return r;
}

SharingStore::SaveResult SharingStore::Save(const std::string& recording_id, SharingRecord settings,
                                            std::optional<int64_t> expected_version,
                                            const std::string& updated_by, double now_s) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_); // BEGIN IMMEDIATE: no other writer between check and write
  std::optional<SharingRecord> current = LoadLocked(recording_id);
  const int64_t current_version = current ? current->version : 0;
  if (expected_version && *expected_version != current_version) {
    SaveResult refused;
    if (current)
      refused.current = std::move(*current);
    refused.current.version = current_version;
    return refused; // rolled back: nothing written
  }
  settings.version = current_version + 1;
  settings.updated_at = control::FormatRfc3339(now_s);
  settings.updated_by = updated_by;
  Statement upsert(db_, "INSERT INTO recording_sharing (recording_id, stream_by, "
                        "download_by, release_at, release_timezone, release_at_s, version, "
                        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (recording_id) DO UPDATE SET stream_by = excluded.stream_by, "
                        "download_by = excluded.download_by, release_at = excluded.release_at, "
                        "release_timezone = excluded.release_timezone, "
                        "release_at_s = excluded.release_at_s, version = excluded.version, "
                        "updated_at = excluded.updated_at, updated_by = excluded.updated_by;");
  upsert.Bind(1, recording_id)
      .Bind(2, AudiencesText(settings.settings.stream_by))
      .Bind(3, AudiencesText(settings.settings.download_by));
  if (settings.release_at) {
    upsert.Bind(4, settings.release_at->ToString());
  } else {
    upsert.BindNull(4);
  }
  upsert.Bind(5, settings.release_timezone);
  if (settings.settings.release_at_s) {
    upsert.Bind(6, *settings.settings.release_at_s);
  } else {
    upsert.BindNull(6);
  }
  upsert.Bind(7, settings.version).Bind(8, settings.updated_at).Bind(9, settings.updated_by).Run();
  Statement(db_, "DELETE FROM recording_grants WHERE recording_id = ?;")
      .Bind(1, recording_id)
      .Run();
  int64_t position = 0;
  for (const Grant& g : settings.settings.grants) {
    Statement(db_, "INSERT INTO recording_grants (recording_id, user, stream, download, position) "
                   "VALUES (?, ?, ?, ?, ?);")
        .Bind(1, recording_id)
        .Bind(2, g.user)
        .Bind(3, static_cast<int64_t>(g.stream))
        .Bind(4, static_cast<int64_t>(g.download))
        .Bind(5, position++)
        .Run();
  }
  tx.Commit();
  return {true, std::move(settings)};
}

std::vector<std::string> SharingStore::GrantedTo(const Caller& user) {
  std::vector<std::string> ids;
  if (!user.user())
    return ids;
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT DISTINCT recording_id FROM recording_grants WHERE "
                        "(stream <> 0 OR download <> 0) AND "
                        "(user = ?1 OR (?2 <> '' AND lower(user) = ?2));");
  select.Bind(1, user.user_id).Bind(2, user.email);
  while (select.Step())
    ids.push_back(select.Text(0));
  return ids;
}

void SharingStore::Forget(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  DeleteRowsOf(recording_id);
  tx.Commit();
}

void SharingStore::DeleteRowsOf(const std::string& recording_id) {
  Statement(db_, "DELETE FROM recording_grants WHERE recording_id = ?;")
      .Bind(1, recording_id)
      .Run();
  Statement(db_, "DELETE FROM recording_sharing WHERE recording_id = ?;")
      .Bind(1, recording_id)
      .Run();
}

} // namespace ssr::library
