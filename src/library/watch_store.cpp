#include "library/watch_store.h"

#include "auth/new_ids.h"
#include "auth/tokens.h"

#include <algorithm>

namespace ssr::library {
namespace {

using store::Statement;

// The id an INSERT ... RETURNING id gave the new row.
int64_t InsertedId(Statement& insert) {
  if (!insert.Step())
    throw store::StoreError("sqlite: INSERT ... RETURNING gave no row");
  const int64_t id = insert.Int(0);
  while (insert.Step()) {
  }
  return id;
}

ShareLink LinkFromRow(const Statement& s) {
  ShareLink link;
  link.id = s.Text(0);
  link.recording_id = s.Text(1);
  link.created_by = s.Text(2);
  link.created_at_s = s.Real(3);
  if (!s.IsNull(4))
    link.expires_at_s = s.Real(4);
  if (!s.IsNull(5))
    link.revoked_at_s = s.Real(5);
  return link;
}

constexpr const char* kLinkColumns =
    "SELECT id, recording_id, created_by, created_at_s, expires_at_s, revoked_at_s "
    "FROM share_links ";

} // namespace

WatchStore::WatchStore(store::Database& db) : db_(db) {}

std::string WatchStore::IssueWatchToken(const std::string& recording_id, int part,
                                        double expires_at_s, const std::string& user_id,
                                        std::optional<int64_t> view_id,
                                        std::optional<int64_t> user_view_id) {
  std::string token = auth::RandomToken(32);
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT INTO watch_tokens (token_hash, recording_id, part, expires_at_s, user_id, "
              "view_id, user_view_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, auth::HashToken(token)).Bind(2, recording_id).Bind(3, int64_t{part});
  s.Bind(4, expires_at_s).Bind(5, user_id);
  if (view_id) {
    s.Bind(6, *view_id);
  } else {
    s.BindNull(6);
  }
  if (user_view_id) {
    s.Bind(7, *user_view_id);
  } else {
    s.BindNull(7);
  }
  s.Run();
  return token;
}

std::optional<WatchGrant> WatchStore::FindWatchToken(const std::string& token) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT t.token_hash, t.recording_id, t.part, t.expires_at_s, t.user_id, t.view_id, "
              "v.link_id, t.user_view_id, u.email, u.name FROM watch_tokens t "
              "LEFT JOIN share_views v ON v.id = t.view_id "
              "LEFT JOIN user_views u ON u.id = t.user_view_id WHERE t.token_hash = ?");
  s.Bind(1, auth::HashToken(token));
  if (!s.Step())
    return std::nullopt;
  WatchGrant grant;
  grant.token_hash = s.Text(0);
  grant.recording_id = s.Text(1);
  grant.part = static_cast<int>(s.Int(2));
  grant.expires_at_s = s.Real(3);
  grant.user_id = s.Text(4);
  if (!s.IsNull(5))
    grant.view_id = s.Int(5);
  if (!s.IsNull(6))
    grant.link_id = s.Text(6);
  if (!s.IsNull(7)) {
    grant.user_view_id = s.Int(7);
    grant.user_email = s.Text(8);
    grant.user_name = s.Text(9);
  }
  return grant;
}

void WatchStore::RecordServed(const std::string& token_hash, uint64_t first, uint64_t end) {
  if (end <= first)
    return;
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT INTO watch_served (token_hash, first, end) VALUES (?, ?, ?)");
  s.Bind(1, token_hash).Bind(2, static_cast<int64_t>(first)).Bind(3, static_cast<int64_t>(end));
  s.Run();
}

std::pair<ShareLink, std::string> WatchStore::CreateLink(const std::string& recording_id,
                                                         const std::string& created_by,
                                                         std::optional<double> expires_at_s,
                                                         double now_s) {
  ShareLink link;
  link.id = auth::NewShareLinkId();
  link.recording_id = recording_id;
  link.created_by = created_by;
  link.created_at_s = now_s;
  link.expires_at_s = expires_at_s;
  std::string token = auth::RandomToken(32);
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT INTO share_links (id, token_hash, recording_id, created_by, created_at_s, "
              "expires_at_s) VALUES (?, ?, ?, ?, ?, ?)");
  s.Bind(1, link.id).Bind(2, auth::HashToken(token)).Bind(3, recording_id).Bind(4, created_by);
  s.Bind(5, now_s);
  if (expires_at_s) {
    s.Bind(6, *expires_at_s);
  } else {
    s.BindNull(6);
  }
  s.Run();
  return {link, token};
}

std::vector<ShareLink> WatchStore::Links(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  Statement s(
      db_,
      (std::string(kLinkColumns) + "WHERE recording_id = ? ORDER BY created_at_s, id").c_str());
  s.Bind(1, recording_id);
  std::vector<ShareLink> links;
  while (s.Step())
    links.push_back(LinkFromRow(s));
  return links;
}

std::optional<ShareLink> WatchStore::FindLink(const std::string& token) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kLinkColumns) + "WHERE token_hash = ?").c_str());
  s.Bind(1, auth::HashToken(token));
  if (!s.Step())
    return std::nullopt;
  return LinkFromRow(s);
}

std::optional<ShareLink> WatchStore::FindLinkById(const std::string& link_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kLinkColumns) + "WHERE id = ?").c_str());
  s.Bind(1, link_id);
  if (!s.Step())
    return std::nullopt;
  return LinkFromRow(s);
}

bool WatchStore::RevokeLink(const std::string& recording_id, const std::string& link_id,
                            double now_s) {
  std::lock_guard lock(mutex_);
  {
    Statement find(db_, "SELECT 1 FROM share_links WHERE id = ? AND recording_id = ?");
    find.Bind(1, link_id).Bind(2, recording_id);
    if (!find.Step())
      return false;
  }
  Statement s(db_, "UPDATE share_links SET revoked_at_s = ? WHERE id = ? AND revoked_at_s IS NULL");
  s.Bind(1, now_s).Bind(2, link_id);
  s.Run();
  return true;
}

int64_t WatchStore::AddView(const ShareLink& link, const std::string& email, double now_s) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT INTO share_views (link_id, recording_id, email, viewed_at_s) "
                   "VALUES (?, ?, ?, ?) RETURNING id");
  s.Bind(1, link.id).Bind(2, link.recording_id).Bind(3, email).Bind(4, now_s);
  return InsertedId(s);
}

std::optional<int64_t> WatchStore::LatestView(const std::string& link_id, const std::string& email,
                                              double since_s) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT id FROM share_views WHERE link_id = ? AND email = ? AND viewed_at_s >= ? "
              "ORDER BY viewed_at_s DESC, id DESC LIMIT 1");
  s.Bind(1, link_id).Bind(2, email).Bind(3, since_s);
  if (!s.Step())
    return std::nullopt;
  return s.Int(0);
}

std::vector<ShareView> WatchStore::Views(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT id, link_id, email, viewed_at_s, 'link', '' FROM share_views "
                   "WHERE recording_id = ?1 UNION ALL "
                   "SELECT id, '', email, viewed_at_s, 'user', name FROM user_views "
                   "WHERE recording_id = ?1 ORDER BY 4, 1");
  s.Bind(1, recording_id);
  std::vector<ShareView> views;
  while (s.Step()) {
    views.push_back({s.Int(0), s.Text(1), s.Text(2), s.Real(3), s.Text(4), s.Text(5)});
  }
  return views;
}

std::vector<ServedRange> WatchStore::Served(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT v.email, t.part, w.first, w.end, 'link' FROM watch_served w "
                   "JOIN watch_tokens t ON t.token_hash = w.token_hash "
                   "JOIN share_views v ON v.id = t.view_id WHERE t.recording_id = ?1 UNION ALL "
                   "SELECT u.email, t.part, w.first, w.end, 'user' FROM watch_served w "
                   "JOIN watch_tokens t ON t.token_hash = w.token_hash "
                   "JOIN user_views u ON u.id = t.user_view_id WHERE t.recording_id = ?1");
  s.Bind(1, recording_id);
  std::vector<ServedRange> served;
  while (s.Step()) {
    served.push_back({s.Text(0), static_cast<int>(s.Int(1)), static_cast<uint64_t>(s.Int(2)),
                      static_cast<uint64_t>(s.Int(3)), s.Text(4)});
  }
  return served;
}

int64_t WatchStore::UserView(const std::string& recording_id, const std::string& user_id,
                             const std::string& email, const std::string& name, double now_s,
                             double reuse_within_s) {
  std::lock_guard lock(mutex_);
  {
    Statement find(db_, "SELECT id FROM user_views WHERE recording_id = ? AND user_id = ? AND "
                        "viewed_at_s >= ? ORDER BY viewed_at_s DESC LIMIT 1");
    find.Bind(1, recording_id).Bind(2, user_id).Bind(3, now_s - reuse_within_s);
    if (find.Step())
      return find.Int(0);
  }
  Statement s(db_, "INSERT INTO user_views (recording_id, user_id, email, name, viewed_at_s) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id");
  s.Bind(1, recording_id).Bind(2, user_id).Bind(3, email).Bind(4, name).Bind(5, now_s);
  return InsertedId(s);
}

void WatchStore::AddProgress(const std::string& token_hash,
                             const std::vector<std::pair<double, double>>& spans) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  std::vector<std::pair<double, double>> all = spans;
  {
    Statement old(db_, "SELECT from_s, to_s FROM watch_progress WHERE token_hash = ?");
    old.Bind(1, token_hash);
    while (old.Step())
      all.emplace_back(old.Real(0), old.Real(1));
  }
  Statement(db_, "DELETE FROM watch_progress WHERE token_hash = ?").Bind(1, token_hash).Run();
  for (const auto& [from, to] : MergeSpans(std::move(all))) {
    Statement(db_, "INSERT INTO watch_progress (token_hash, from_s, to_s) VALUES (?, ?, ?)")
        .Bind(1, token_hash)
        .Bind(2, from)
        .Bind(3, to)
        .Run();
  }
  tx.Commit();
}

std::vector<WatchedSpan> WatchStore::Progress(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT v.email, t.part, p.from_s, p.to_s, 'link' FROM watch_progress p "
                   "JOIN watch_tokens t ON t.token_hash = p.token_hash "
                   "JOIN share_views v ON v.id = t.view_id WHERE t.recording_id = ?1 UNION ALL "
                   "SELECT u.email, t.part, p.from_s, p.to_s, 'user' FROM watch_progress p "
                   "JOIN watch_tokens t ON t.token_hash = p.token_hash "
                   "JOIN user_views u ON u.id = t.user_view_id WHERE t.recording_id = ?1");
  s.Bind(1, recording_id);
  std::vector<WatchedSpan> spans;
  while (s.Step()) {
    spans.push_back({s.Text(0), static_cast<int>(s.Int(1)), s.Real(2), s.Real(3), s.Text(4)});
  }
  return spans;
}

void WatchStore::DeleteRowsOf(const std::string& recording_id) {
  // Children first: watch_tokens points at views, views at links.
  for (const char* sql : {
           "DELETE FROM watch_served WHERE token_hash IN "
           "(SELECT token_hash FROM watch_tokens WHERE recording_id = ?)",
           "DELETE FROM watch_progress WHERE token_hash IN "
           "(SELECT token_hash FROM watch_tokens WHERE recording_id = ?)",
           "DELETE FROM watch_tokens WHERE recording_id = ?",
           "DELETE FROM share_views WHERE recording_id = ?",
           "DELETE FROM user_views WHERE recording_id = ?",
           "DELETE FROM share_links WHERE recording_id = ?",
       }) {
    Statement(db_, sql).Bind(1, recording_id).Run();
  }
}

int64_t WatchStore::PurgeExpiredTokens(double expired_before_s) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  for (const char* sql : {
           "DELETE FROM watch_served WHERE token_hash IN "
           "(SELECT token_hash FROM watch_tokens WHERE expires_at_s < ?)",
           "DELETE FROM watch_progress WHERE token_hash IN "
           "(SELECT token_hash FROM watch_tokens WHERE expires_at_s < ?)",
       }) {
    Statement(db_, sql).Bind(1, expired_before_s).Run();
  }
  int64_t deleted = 0;
  {
    Statement s(db_, "DELETE FROM watch_tokens WHERE expires_at_s < ? RETURNING token_hash");
    s.Bind(1, expired_before_s);
    while (s.Step())
      ++deleted;
  }
  tx.Commit();
  return deleted;
}

std::vector<std::pair<double, double>> MergeSpans(std::vector<std::pair<double, double>> spans) {
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<double, double>> merged;
  for (const auto& [from, to] : spans) {
    if (to <= from)
      continue;
    if (!merged.empty() && from <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, to);
    } else {
      merged.emplace_back(from, to);
    }
  }
  return merged;
}

} // namespace ssr::library
