// Organization settings of recording control (GET/PUT /api/v1/settings), the notification
// stream of a session (Server-Sent Events, served by the connection), and the test-only
// recorder faults (PUT /api/v1/sessions/{sid}/test-faults, when test_faults is on).

#include "http/api.h"

#include "common/log.h"
#include "notify/webhook_sender.h"

#include <algorithm>
#include <optional>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

Response Api::Settings(const Route&, const StringRequest& request) {
  if (request.method() == beast_http::verb::put) {
    const json body = ParseJsonBody(request);
    control::OrgSettings settings;
    try {
      settings = control::OrgSettings::FromJson(body, control_.controller.settings());
      settings.CheckWebhook();
    } catch (const control::SettingsError& e) {
      throw ApiError(status::bad_request, "invalid_field", e.what(),
                     e.field().empty() ? json(nullptr) : json{{"field", e.field()}});
    }
    control_.controller.UpdateSettings(settings);
    json logged = settings.ToJson(false);
    logged["webhook_url"] = notify::WebhookSender::UrlForLog(settings.webhook_url);
    Logger("http")->info("organization settings updated: {}", logged.dump());
  }
  return JsonResponse(status::ok, control_.controller.settings().ToJson(false), request.version(),
                      request.keep_alive());
}

Response Api::PutTestFaults(const Route& route, const StringRequest& request) {
  live::RecorderFaults faults;
  try {
    faults = live::RecorderFaults::FromJson(ParseJsonBody(request));
  } catch (const std::invalid_argument& e) {
    throw ApiError(status::bad_request, "invalid_field", e.what());
  }
  control_.recorder.SetFaults(route.session_id, faults);
  Logger("http")->warn("session {}: TEST recorder faults set: {}", route.session_id,
                       faults.ToJson().dump());
  return JsonResponse(status::ok, faults.ToJson(), request.version(), request.keep_alive());
}

uint64_t Api::SubscribeNotifications(const Route& route, std::string_view target,
                                     std::string_view last_event_id,
                                     std::function<void(std::string)> push) {
  // The platform may follow one participant (?participant=ID) or everyone. A host gets what
  // is for all plus what is addressed to them, as any participant id they joined under: asked
  // when such a notification comes (they may join after opening the stream; these are rare).
  std::optional<library::Caller> user;
  if (route.caller.user())
    user = route.caller;
  const std::string participant = user ? "" : QueryParam(target, "participant");
  std::optional<std::string> last_seen;
  if (!last_event_id.empty())
    last_seen = std::string(last_event_id);
  // ?last_event_id= stands in for the header an EventSource's first request cannot send.
  const std::string in_url = QueryParam(target, "last_event_id");
  if (!last_seen && !in_url.empty())
    last_seen = in_url;
  return control_.hub.Subscribe(
      route.session_id,
      [user, participant, &roles = library_.roles,
       push = std::move(push)](const notify::Notification& n) {
        if (!n.recipient.empty()) {
          if (user) {
            const auto ids = roles.ParticipantIdsOf(n.session_id, *user);
            if (std::find(ids.begin(), ids.end(), n.recipient) == ids.end())
              return;
          } else if (!participant.empty() && n.recipient != participant) {
            return;
          }
        }
        push("id: " + n.id + "\nevent: " + n.type + "\ndata: " + n.ToJson().dump() + "\n\n");
      },
      last_seen);
}

void Api::UnsubscribeNotifications(uint64_t token) { control_.hub.Unsubscribe(token); }

} // namespace ssr::http
