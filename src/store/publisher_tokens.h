#pragma once
// Publisher credentials (review finding M6): a token the platform mints for one participant
// of a session, bound to the track ids that participant publishes. With it a publisher (a
// browser's WHIP client, an SFU's forward for one person) can ingest those tracks and no
// others; the session's ingest token stays the platform's credential for every track. Only
// the token's hash is kept (auth::HashToken), as for every token.

#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace ssr::store {

struct Publisher {
  std::string session_id;
  std::string participant;
  std::vector<std::string> tracks;
};

class PublisherTokens {
 public:
  explicit PublisherTokens(Database& db) : db_(db) {}

  // Keeps `token_hash` for `publisher`. Returns the first of its tracks that another
  // participant's token of the session holds already (nothing is kept then), or "".
  std::string Add(const std::string& token_hash, const Publisher& publisher);
  std::optional<Publisher> Find(const std::string& token_hash);
  // A deleted session's tokens go with it.
  void DeleteSession(const std::string& session_id);

 private:
  Database& db_;
};

} // namespace ssr::store
