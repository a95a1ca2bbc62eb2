#pragma once
// The route table of `ssr serve`, as data: one row per route — the verbs it takes, its path
// pattern ("/api/v1/recordings/{rid}/parts/{n}/watch", also its metrics label), who may call
// it (RouteAuth), what it is (RouteKind) and the Api handler that answers it. A RouteTable
// matches a request's path and verb against the rows: the row and its named path params, or
// "the path is known, the verb is not" (405 with the verbs for `Allow`), or nothing (404).
// Which credential each RouteAuth means and what each param must look like are Api's
// (api_routes.cpp); docs/openapi.json documents every row (tests/unit/http/openapi_test.cpp).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ssr::http {

namespace beast_http = boost::beast::http;

enum class RouteKind {
  kLivez,
  kReadyz,
  kMetrics,
  kOpenApi, // GET /api/v1/openapi.json
  kCreateSession,
  kPostEvents,
  kEventsWebSocket,
  kPutAsset,
  kWhipOffer,          // POST /whip/{sid}/{tracks}
  kWhipResource,       // DELETE /whip/{sid}/{tracks}/{resource}
  kRtpForward,         // POST /api/v1/sessions/{sid}/tracks/{track}/rtp
  kStartRecording,     // POST /api/v1/sessions/{sid}/recordings
  kStopRecording,      // POST /api/v1/recordings/{rid}/stop
  kRecording,          // GET, PATCH or DELETE /api/v1/recordings/{rid}
  kListRecordings,     // GET /api/v1/recordings[?session_id=]
  kMe,                 // GET /api/v1/me
  kLogin,              // POST /api/v1/login
  kLogout,             // POST /api/v1/logout
  kCreateUser,         // POST /api/v1/users (platform)
  kDownloadPart,       // GET /api/v1/recordings/{rid}/parts/{n}/download
  kPartChat,           // GET /api/v1/recordings/{rid}/parts/{n}/chat.vtt
  kSharing,            // GET or PUT /api/v1/recordings/{rid}/sharing (R15)
  kSettings,           // GET or PUT /api/v1/settings
  kNotifications,      // GET /api/v1/sessions/{sid}/notifications (Server-Sent Events)
  kTestFaults,         // PUT /api/v1/sessions/{sid}/test-faults (only with test_faults: true)
  kWatchPart,          // POST /api/v1/recordings/{rid}/parts/{n}/watch
  kLinks,              // GET or POST /api/v1/recordings/{rid}/links
  kLink,               // DELETE /api/v1/recordings/{rid}/links/{lid}
  kViewers,            // GET /api/v1/recordings/{rid}/viewers[?format=csv]
  kSharePage,          // GET /s/{token}
  kShareViews,         // POST /s/{token}/views
  kWatch,              // GET or HEAD /watch/{token} (Range)
  kWatchChat,          // GET /watch/{token}/chat.vtt
  kWebPage,            // GET /, /login, /recordings, /recordings/{rid}, /sessions/{sid}
  kWebAsset,           // GET /assets/{file}
  kSession,            // GET /api/v1/sessions/{sid}
  kPublishers,         // POST /api/v1/sessions/{sid}/publishers (platform)
  kDeleteSession,      // DELETE /api/v1/sessions/{sid}[?recordings=keep|delete] (platform)
  kParticipants,       // GET /api/v1/sessions/{sid}/participants
  kUsers,              // GET /api/v1/users (platform; POST is kCreateUser)
  kUser,               // DELETE /api/v1/users/{id} (platform)
  kUserPassword,       // PUT /api/v1/users/{id}/password (platform)
  kWatchProgress,      // POST /watch/{token}/progress
  kWatchRenew,         // POST /watch/{token}/renew
  kNotificationTicket, // POST /api/v1/sessions/{sid}/notifications/ticket
  kPartChapters,       // GET /api/v1/recordings/{rid}/parts/{n}/chapters.vtt
  kWatchChapters,      // GET /watch/{token}/chapters.vtt
  kWorkers,            // GET /api/v1/workers (platform; the fleet)
};

// Who may call a route. Checked after the path is known and before the verb, so that a
// caller without the right credential learns nothing about the verbs (api_routes.cpp).
enum class RouteAuth {
  kNone,          // anyone: probes, the web app, login, the OpenAPI document
  kApiKey,        // the platform: Authorization: Bearer <API key>
  kCaller,        // anyone signed in: the API key, a user's JWT, or the login cookie
  kSessionRunner, // the platform, or a host or co-host of {sid} (JWT, cookie, or a ticket)
  kIngestToken,   // the ingest token of {sid} (or the API key)
  kPathToken,     // the watch URL's or share link's {token} is the credential
};

class Api;
struct Route;
using StringRequest = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
// The Api member that answers a route whose whole body is in memory; null for the routes the
// connection serves itself (uploads, downloads, watch media, the streams).
using RouteHandler = Response (Api::*)(const Route&, const StringRequest&);

struct RouteRow {
  std::vector<beast_http::verb> verbs;
  std::string pattern; // "/a/{name}/b": literal segments and whole-segment {params}
  RouteAuth auth = RouteAuth::kNone;
  RouteKind kind = RouteKind::kLivez;
  RouteHandler handler = nullptr;
  std::string wrong_verb_hint = {}; // ends the 405 message: "use POST with an SDP offer"
  bool test_only = false;           // served only with the test_faults setting
};

struct PathParam {
  std::string name;
  std::string value; // percent-decoded; may be empty (Api says what each must be)
};
using PathParams = std::vector<PathParam>;

// The names of a pattern's params, in order: "/x/{a}/y/{b}" -> {"a", "b"}. Throws
// std::logic_error for a malformed pattern (no leading '/', a '{' inside a segment, a name
// twice).
std::vector<std::string> PatternParams(std::string_view pattern);

class RouteTable {
 public:
  // What Find says about a path and a verb.
  struct Found {
    const RouteRow* row = nullptr;   // the row taking the verb; null: 405 (or 404, no pattern)
    std::string pattern;             // empty: no row has this path (404)
    std::string allow;               // the verbs the path takes: "GET, PATCH, DELETE"
    const RouteRow* first = nullptr; // the path's first row: its auth and kind for a 405
    PathParams params;
  };

  // The rows, those marked test_only only `with_test_only`. Throws std::logic_error for a
  // malformed pattern, or two patterns one path could match.
  explicit RouteTable(const std::vector<RouteRow>& rows, bool with_test_only = false);

  Found Find(beast_http::verb verb, const std::vector<std::string>& segments) const;
  const std::vector<const RouteRow*>& rows() const { return rows_; }

 private:
  struct Compiled {
    std::vector<std::string> segments; // the pattern split at '/'
    std::vector<bool> is_param;
  };
  bool Matches(const Compiled& c, const std::vector<std::string>& segments) const;

  std::vector<const RouteRow*> rows_;
  std::vector<Compiled> compiled_; // one per row
};

// "GET, PATCH, DELETE": the verbs in order, each once.
std::string JoinVerbs(const std::vector<beast_http::verb>& verbs);

} // namespace ssr::http
