#include "store/publisher_tokens.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace ssr::store {
namespace {

std::vector<std::string> TracksOf(const std::string& json_text) {
  const nlohmann::json tracks = nlohmann::json::parse(json_text, nullptr, false);
  std::vector<std::string> out;
  if (!tracks.is_array())
    return out;
  for (const auto& track : tracks) {
    if (track.is_string())
      out.push_back(track.get<std::string>());
  }
  return out;
}

} // namespace

std::string PublisherTokens::Add(const std::string& token_hash, const Publisher& publisher) {
  Transaction tx(db_);
  Statement others(db_, "SELECT tracks FROM publisher_tokens WHERE session_id = ? AND "
                        "participant <> ?;");
  others.Bind(1, publisher.session_id).Bind(2, publisher.participant);
  while (others.Step()) {
    for (const std::string& taken : TracksOf(others.Text(0))) {
      if (std::find(publisher.tracks.begin(), publisher.tracks.end(), taken) !=
          publisher.tracks.end()) {
        return taken;
      }
    }
  }
  const auto now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  Statement(db_, "INSERT INTO publisher_tokens (token_hash, session_id, participant, tracks, "
                 "created_at_s) VALUES (?, ?, ?, ?, ?);")
      .Bind(1, token_hash)
      .Bind(2, publisher.session_id)
      .Bind(3, publisher.participant)
      .Bind(4, nlohmann::json(publisher.tracks).dump())
      .Bind(5, now)
      .Run();
  tx.Commit();
  return "";
}

std::optional<Publisher> PublisherTokens::Find(const std::string& token_hash) {
  Statement select(db_, "SELECT session_id, participant, tracks FROM publisher_tokens WHERE "
                        "token_hash = ?;");
  select.Bind(1, token_hash);
  if (!select.Step())
    return std::nullopt;
  return Publisher{select.Text(0), select.Text(1), TracksOf(select.Text(2))};
}

void PublisherTokens::DeleteSession(const std::string& session_id) {
  Statement(db_, "DELETE FROM publisher_tokens WHERE session_id = ?;").Bind(1, session_id).Run();
}

} // namespace ssr::store
