// Fuzzes a text message on the events WebSocket (and the body of POST .../events), as
// Api::HandleWebSocketMessage and EventLog::Append read it: http::ParseJson with its depth
// limit, one event object or an array of them, each through events::ParseEvent with "t" never
// going backwards. A bad message may only be refused with ApiError (invalid_json) or
// EventError (the event at fault). An accepted batch is logged as one JSON line per event:
// each line reads back (events::ParseEventLine, as a bundle is loaded) as the same event, and
// the batch folds into a session's state.

#include "events/event_parser.h"
#include "events/room_state.h"
#include "http/json_body.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json message = ssr::http::ParseJson(text, "message");
    std::vector<nlohmann::json> batch;
    if (message.is_array()) {
      batch.assign(message.begin(), message.end());
    } else if (message.is_object()) {
      batch.push_back(message);
    } else {
      return 0; // 400 invalid_event
    }
    double t = 0;
    std::vector<ssr::events::Event> accepted;
    for (const nlohmann::json& item : batch) {
      ssr::events::Event e = ssr::events::ParseEvent(item);
      if (e.t < t)
        return 0; // 400 invalid_event: t goes backwards
      t = e.t;
      accepted.push_back(std::move(e));
    }
    ssr::events::SessionState state;
    std::vector<std::string> warnings;
    for (size_t i = 0; i < batch.size(); ++i) {
      const std::string line = batch[i].dump(); // what events.jsonl gets
      const ssr::events::Event back = ssr::events::ParseEventLine(line, static_cast<int>(i + 1));
      if (back.t != accepted[i].t || back.type != accepted[i].type ||
          back.type_name != accepted[i].type_name || back.room != accepted[i].room)
        std::abort();
      state.Apply(back, &warnings);
    }
  } catch (const ssr::http::ApiError&) {
    // 400 invalid_json
  } catch (const ssr::events::EventError&) {
    // 400 invalid_event, naming the event
  }
  return 0;
}
