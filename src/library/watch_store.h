#pragma once
// Watch URLs (R13, R19) and share links (R16), in the ssr database with their own schema
// version table ("watch_schema"). Tokens are random (libsodium) and only their hashes are
// stored: a token is a credential by itself. Every byte range a watch URL served is kept, so
// the viewer report can say how much of each part a viewer actually received.

#include "control/database.h"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssr::library {

// What a watch token grants: one part of one recording, until expires_at_s.
struct WatchGrant {
  std::string token_hash;
  std::string recording_id;
  int part = 0;
  double expires_at_s = 0;
  std::string user_id;                // who it was issued to ("" : a share-link viewer)
  std::optional<int64_t> view_id;     // the share-link view it was issued for
  std::optional<std::string> link_id; // that view's link
};

struct ShareLink {
  std::string id;
  std::string recording_id;
  std::string created_by;
  double created_at_s = 0;
  std::optional<double> expires_at_s;
  std::optional<double> revoked_at_s;
};

struct ShareView {
  int64_t id = 0;
  std::string link_id;
  std::string email;
  double viewed_at_s = 0;
};

// Bytes [first, end) of a part served to a share-link viewer.
struct ServedRange {
  std::string email;
  int part = 0;
  uint64_t first = 0;
  uint64_t end = 0;
};

class WatchStore {
 public:
  explicit WatchStore(const std::filesystem::path& db_path);

  // A new watch token for part `part` of `recording_id`; returns the token (not stored).
  std::string IssueWatchToken(const std::string& recording_id, int part, double expires_at_s,
                              const std::string& user_id, std::optional<int64_t> view_id);
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
  // The share-link views of a recording, oldest first, and what was served to them.
  std::vector<ShareView> Views(const std::string& recording_id);
  std::vector<ServedRange> Served(const std::string& recording_id);

 private:
  std::mutex mutex_;
  control::Database db_;
};

}  // namespace ssr::library
