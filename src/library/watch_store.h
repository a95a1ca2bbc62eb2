#pragma once
// Watch URLs (R13, R19) and share links (R16), in the ssr database with their own schema
// version table ("watch_schema"). Tokens are random (libsodium) and only their hashes are
// stored: a token is a credential by itself. Every byte range a watch URL served is kept, so
// the viewer report can say how much of each part a viewer actually received.

#include "store/database.h"
#include "store/recording_rows.h"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssr::library {

// What a watch token grants: one part of one recording, until expires_at_s.
struct WatchGrant {
  std::string token_hash;
  std::string recording_id;
  int part = 0;
  double expires_at_s = 0;
  std::string user_id;                 // who it was issued to ("" : a share-link viewer)
  std::optional<int64_t> view_id;      // the share-link view it was issued for
  std::optional<std::string> link_id;  // that view's link
  std::optional<int64_t> user_view_id; // the logged-in user's view it was issued for
  std::string user_email;              // that user's e-mail and name
  std::string user_name;
};

struct ShareLink {
  std::string id;
  std::string recording_id;
  std::string created_by;
  double created_at_s = 0;
  std::optional<double> expires_at_s;
  std::optional<double> revoked_at_s;
};

// A view of a recording: through a share link (kind "link", link_id set), or by a logged-in
// user (kind "user", with their name).
struct ShareView {
  int64_t id = 0;
  std::string link_id;
  std::string email;
  double viewed_at_s = 0;
  std::string kind = "link";
  std::string name;
};

// Bytes [first, end) of a part served to a viewer.
struct ServedRange {
  std::string email;
  int part = 0;
  uint64_t first = 0;
  uint64_t end = 0;
  std::string kind = "link";
};

// Seconds [from_s, to_s) of a part a viewer's player reported it played.
struct WatchedSpan {
  std::string email;
  int part = 0;
  double from_s = 0;
  double to_s = 0;
  std::string kind = "link";
};

// The union of spans as sorted, disjoint spans (empty and reversed ones left out).
std::vector<std::pair<double, double>> MergeSpans(std::vector<std::pair<double, double>> spans);

class WatchStore : public store::RecordingRowsOwner {
 public:
  explicit WatchStore(store::Database& db);

  // A new watch token for part `part` of `recording_id`; returns the token (not stored).
  std::string IssueWatchToken(const std::string& recording_id, int part, double expires_at_s,
                              const std::string& user_id, std::optional<int64_t> view_id,
                              std::optional<int64_t> user_view_id = std::nullopt);
  // The grant of `token` whatever its expiry (the caller compares), nullopt if unknown.
  std::optional<WatchGrant> FindWatchToken(const std::string& token);
  void RecordServed(const std::string& token_hash, uint64_t first, uint64_t end);

  // A new share link; returns it and its token (not stored).
  std::pair<ShareLink, std::string> CreateLink(const std::string& recording_id,
                                               const std::string& created_by,
                                               std::optional<double> expires_at_s, double now_s);
  std::vector<ShareLink> Links(const std::string& recording_id);
  std::optional<ShareLink> FindLink(const std::string& token);
  std::optional<ShareLink> FindLinkById(const std::string& link_id);
  // Marks the link of `recording_id` revoked; false when there is no such link.
  bool RevokeLink(const std::string& recording_id, const std::string& link_id, double now_s);

  int64_t AddView(const ShareLink& link, const std::string& email, double now_s);
  // The latest view of `link_id` by `email` since `since_s`, if any.
  std::optional<int64_t> LatestView(const std::string& link_id, const std::string& email,
                                    double since_s);
  // The view of `recording_id` by a logged-in user: their latest one if it began within
  // `reuse_within_s` (one viewing, however many parts and renewals), else a new one.
  int64_t UserView(const std::string& recording_id, const std::string& user_id,
                   const std::string& email, const std::string& name, double now_s,
                   double reuse_within_s);

  // The views of a recording (share links and users), oldest first, what was served to them,
  // and what their players reported they played.
  std::vector<ShareView> Views(const std::string& recording_id);
  std::vector<ServedRange> Served(const std::string& recording_id);
  std::vector<WatchedSpan> Progress(const std::string& recording_id);
  // Adds spans [from_s, to_s) a player reports for the watch URL `token_hash` (merged with
  // what it reported before).
  void AddProgress(const std::string& token_hash,
                   const std::vector<std::pair<double, double>>& spans);

  // Deletes the recording's share links, their views (viewers' e-mails), user views, watch
  // tokens and what they served and played, inside the transaction that deletes the
  // recording (store/recording_rows.h).
  void DeleteRowsOf(const std::string& recording_id) override;
  // Deletes watch tokens that expired before `expired_before_s`, with the ranges they
  // served and the progress reported for them (review finding M3: they grow with every
  // view and request). Views themselves stay: the viewer report still lists who opened
  // the recording. Returns the number of tokens deleted.
  int64_t PurgeExpiredTokens(double expired_before_s);

 private:
  std::mutex mutex_;
  store::Database& db_;
};

} // namespace ssr::library
