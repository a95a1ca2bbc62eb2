#pragma once
// Tickets for a session's notification stream: an EventSource cannot send an Authorization
// header, so a host asks for a short-lived ticket (with their JWT or cookie) and puts it in
// the stream's URL. A ticket is random, kept only as its hash (in memory: a restart makes the
// client ask again), opens streams of one session for its lifetime and may be used again
// (an EventSource reconnects with the same URL).

#include "library/caller.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ssr::http {

class NotificationTickets {
 public:
  static constexpr double kLifetimeS = 300;

  struct Issued {
    std::string ticket;
    double expires_at_s = 0;
  };

  // A new ticket for `session_id`, opening streams as `caller` until now + kLifetimeS.
  Issued Issue(const std::string& session_id, const library::Caller& caller, double now_s);

  // The caller a ticket stands for, if it is known, for `session_id` and not expired; else
  // nullopt and `problem` says which (for a 401 that tells the client to get a new ticket).
  std::optional<library::Caller> Redeem(const std::string& ticket, const std::string& session_id,
                                        double now_s, std::string& problem);

 private:
  struct Entry {
    std::string session_id;
    library::Caller caller;
    double expires_at_s = 0;
  };

  std::mutex mutex_;
  std::map<std::string, Entry> by_hash_;
};

} // namespace ssr::http
