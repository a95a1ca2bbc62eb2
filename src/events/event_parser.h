#pragma once
// Parses and validates session events (contract v1, docs/session-events.md).

#include "common/error.h"
#include "events/event.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace ssr::events {

// A line that is not JSON, or a known type with a missing or mistyped field. The message
// says what is wrong (e.g. "chat.message: field 'text' must be a string"); `line()` is the
// 1-based line of events.jsonl (0 for events that did not come from a file).
class EventError : public Error {
 public:
  EventError(int line, const std::string& message)
      : Error(ErrorKind::kInvalid, message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Validates a JSON object as an event: envelope ("t" number >= 0, "type" string, optional
// "room" string) and, for known types, every field of the type (required/optional, JSON
// type, enums such as role or shape, colours "#rrggbb", points [[x,y],...] within [0,1],
// the number of points a shape needs, "text" for text shapes). Throws EventError.
Event ParseEvent(const nlohmann::json& object, int line = 0);

// Same, from one line of text. Throws EventError ("not JSON: ...") for bad JSON.
Event ParseEventLine(std::string_view text, int line);

} // namespace ssr::events
