#include "events/event_parser.h"

#include "common/media_kind.h"
#include "events/role.h"
#include "events/track_source.h"

#include <cctype>
#include <climits>
#include <cmath>
#include <filesystem>
#include <span>
#include <vector>

namespace ssr::events {
namespace {

using nlohmann::json;

// What a field must hold. Each kind has one check and one plain-words description.
enum class Kind {
  kNonEmpty, // ids, names of rooms, URLs
  kString,   // any string, even empty (names, chat and note text)
  kAsset,    // a relative path under assets/, without ".."
  kEnum,     // one of FieldSpec::values
  kBool,
  kSeconds,   // a number >= 0
  kPage,      // an integer >= 1
  kMaximized, // null or 1..4
  kColor,     // #rrggbb
  kWidth,     // 0 < width <= 1
  kPoints,    // [[x, y], ...] within [0, 1]
};

struct FieldSpec {
  std::string_view name;
  Kind kind;
  bool required = true;
  std::span<const std::string_view> values = {};
};

struct TypeSchema {
  EventType type;
  std::vector<FieldSpec> fields;
};

constexpr std::string_view kReasons[] = {"left", "disconnected"};
constexpr std::string_view kWebcams[] = {"filmstrip", "grid"};
constexpr std::string_view kSidebar[] = {"open", "minimized"};
constexpr std::string_view kShapes[] = {"pen",  "highlighter", "line", "arrow",
                                        "rect", "ellipse",     "text"};

FieldSpec Req(std::string_view name, Kind kind) { return {name, kind, true}; }
FieldSpec Opt(std::string_view name, Kind kind) { return {name, kind, false}; }
FieldSpec ReqEnum(std::string_view name, std::span<const std::string_view> values) {
  return {name, Kind::kEnum, true, values};
}
FieldSpec OptEnum(std::string_view name, std::span<const std::string_view> values) {
  return {name, Kind::kEnum, false, values};
}

std::vector<FieldSpec> ShapeFields() {
  return {Req("id", Kind::kNonEmpty), ReqEnum("shape", kShapes),    Req("color", Kind::kColor),
          Req("width", Kind::kWidth), Req("points", Kind::kPoints), Opt("text", Kind::kString)};
}

// The fields of every known type (contract v1). Types without fields are listed too, so
// that a missing entry is a bug caught by the tests rather than a silent pass.
const std::vector<TypeSchema>& Schemas() {
  static const std::vector<TypeSchema> kSchemas = {
      {EventType::kParticipantJoin,
       {Req("id", Kind::kNonEmpty), Req("name", Kind::kString), ReqEnum("role", kRoleNames),
        Opt("user", Kind::kString)}},
      {EventType::kParticipantLeave, {Req("id", Kind::kNonEmpty), ReqEnum("reason", kReasons)}},
      {EventType::kParticipantMove, {Req("id", Kind::kNonEmpty), Req("to", Kind::kNonEmpty)}},
      {EventType::kParticipantRole, {Req("id", Kind::kNonEmpty), ReqEnum("role", kRoleNames)}},
      {EventType::kPresenterChange, {Req("id", Kind::kNonEmpty)}},
      {EventType::kRoomOpen,
       {Req("id", Kind::kNonEmpty), Req("name", Kind::kString), Opt("auto_record", Kind::kBool)}},
      {EventType::kRoomClose, {Req("id", Kind::kNonEmpty)}},
      {EventType::kSessionEnd, {}},
      {EventType::kLayout,
       {OptEnum("webcams", kWebcams), Opt("maximized", Kind::kMaximized),
        OptEnum("sidebar", kSidebar)}},
      {EventType::kTrackPublish,
       {Req("track", Kind::kNonEmpty), Req("participant", Kind::kNonEmpty),
        ReqEnum("kind", kMediaKindNames), ReqEnum("source", kTrackSourceNames)}},
      {EventType::kTrackUnpublish, {Req("track", Kind::kNonEmpty)}},
      {EventType::kTrackMute, {Req("track", Kind::kNonEmpty), Req("muted", Kind::kBool)}},
      {EventType::kMediaPlay, {Req("asset", Kind::kAsset), Opt("position", Kind::kSeconds)}},
      {EventType::kMediaPause, {}},
      {EventType::kMediaStop, {}},
      {EventType::kStreamStart, {Req("url", Kind::kNonEmpty)}},
      {EventType::kStreamStop, {}},
      {EventType::kPresentationShow, {Req("asset", Kind::kAsset), Opt("page", Kind::kPage)}},
      {EventType::kDocumentShow, {Req("asset", Kind::kAsset), Opt("page", Kind::kPage)}},
      {EventType::kScreenshareStart, {Req("track", Kind::kNonEmpty)}},
      {EventType::kScreenshareStop, {}},
      {EventType::kAnnotationAdd, ShapeFields()},
      {EventType::kAnnotationRemove, {Req("id", Kind::kNonEmpty)}},
      {EventType::kAnnotationClear, {}},
      {EventType::kNoteboardUpdate, {Req("text", Kind::kString)}},
      {EventType::kImageShow, {Req("asset", Kind::kAsset)}},
      {EventType::kImageHide, {}},
      {EventType::kWhiteboardAdd, ShapeFields()},
      {EventType::kWhiteboardRemove, {Req("id", Kind::kNonEmpty)}},
      {EventType::kWhiteboardClear, {}},
      {EventType::kChatMessage,
       {Req("from", Kind::kNonEmpty), Req("text", Kind::kString), Opt("to", Kind::kNonEmpty)}},
      {EventType::kNotesUpdate, {Req("text", Kind::kString)}},
  };
  return kSchemas;
}

const TypeSchema* FindSchema(EventType type) {
  for (const auto& schema : Schemas()) {
    if (schema.type == type) {
      return &schema;
    }
  }
  return nullptr;
}

// A short rendering of a value for messages: `(got "tiles")`.
std::string Got(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) {
    size_t cut = 37;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut; // do not split a UTF-8 sequence
    }
    text = text.substr(0, cut) + "...";
  }
  return " (got " + text + ")";
}

std::string Join(std::span<const std::string_view> values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ");
    out += values[i];
  }
  return out;
}

bool IsIntegerIn(const json& value, double low, double high) {
  if (!value.is_number()) {
    return false;
  }
  const double number = value.get<double>();
  return std::isfinite(number) && number == std::floor(number) && number >= low && number <= high;
}

bool IsColor(const std::string& text) {
  if (text.size() != 7 || text[0] != '#') {
    return false;
  }
  for (size_t i = 1; i < text.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

bool IsSafeAssetName(const std::string& name) {
  const std::filesystem::path path(name);
  if (path.is_absolute() || name.front() == '/' || name.front() == '\\') {
    return false;
  }
  for (const auto& part : path) {
    if (part == "..") {
      return false;
    }
  }
  return name.find('\0') == std::string::npos;
}

class FieldChecker {
 public:
  FieldChecker(std::string_view type_name, int line) : type_name_(type_name), line_(line) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw EventError(line_, std::string(type_name_) + ": " + what);
  }

  void Check(const FieldSpec& spec, const json& value) const {
    const std::string field = "field '" + std::string(spec.name) + "'";
    switch (spec.kind) {
    case Kind::kNonEmpty:
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        Fail(field + " must be a non-empty string" + Got(value));
      }
      return;
    case Kind::kString:
      if (!value.is_string()) {
        Fail(field + " must be a string" + Got(value));
      }
      return;
    case Kind::kAsset:
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        Fail(field + " must be a non-empty string" + Got(value));
      }
      if (!IsSafeAssetName(value.get<std::string>())) {
        Fail(field + " must be a file name under assets/ (relative, without '..')" + Got(value));
      }
      return;
    case Kind::kEnum:
      if (!value.is_string()) {
        Fail(field + " must be a string, one of " + Join(spec.values) + Got(value));
      }
      for (auto allowed : spec.values) {
        if (value.get_ref<const std::string&>() == allowed) {
          return;
        }
      }
      Fail(field + " must be one of " + Join(spec.values) + Got(value));
    case Kind::kBool:
      if (!value.is_boolean()) {
        Fail(field + " must be a boolean" + Got(value));
      }
      return;
    case Kind::kSeconds:
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0) {
        Fail(field + " must be a number of seconds >= 0" + Got(value));
      }
      return;
    case Kind::kPage:
      if (!IsIntegerIn(value, 1, INT_MAX)) {
        Fail(field + " must be a page number, an integer >= 1" + Got(value));
      }
      return;
    case Kind::kMaximized:
      if (!value.is_null() && !IsIntegerIn(value, 1, 4)) {
        Fail(field + " must be null or a pane number 1, 2, 3 or 4" + Got(value));
      }
      return;
    case Kind::kColor:
      if (!value.is_string() || !IsColor(value.get<std::string>())) {
        Fail(field + " must be a colour like #ff0000" + Got(value));
      }
      return;
    case Kind::kWidth:
      if (!value.is_number() || !(value.get<double>() > 0 && value.get<double>() <= 1)) {
        Fail(field + " must be a number > 0 and <= 1 (a fraction of the surface width)" +
             Got(value));
      }
      return;
    case Kind::kPoints:
      CheckPoints(value);
      return;
    }
  }

  void CheckPoints(const json& value) const {
    if (!value.is_array() || value.empty()) {
      Fail("field 'points' must be a non-empty array of [x, y] pairs" + Got(value));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const json& point = value[i];
      const std::string which = "point " + std::to_string(i + 1) + " of 'points'";
      if (!point.is_array() || point.size() != 2 || !point[0].is_number() ||
          !point[1].is_number()) {
        Fail(which + " must be an [x, y] pair of numbers" + Got(point));
      }
      for (const json& coordinate : point) {
        const double v = coordinate.get<double>();
        if (!(v >= 0 && v <= 1)) {
          Fail(which + " must have x and y within [0, 1]" + Got(point));
        }
      }
    }
  }

  // The number of points and the text a shape needs.
  void CheckShape(const json& body) const {
    const std::string shape = body.at("shape").get<std::string>();
    const size_t count = body.at("points").size();
    if (shape == "text") {
      const auto text = body.find("text");
      if (text == body.end() || !text->is_string() || text->get_ref<const std::string&>().empty()) {
        Fail("shape 'text' needs a non-empty field 'text'");
      }
      return; // one point, the top left corner (extra points are ignored)
    }
    if (count < 2) {
      Fail("shape '" + shape + "' needs at least 2 points" + Got(body.at("points")));
    }
  }

 private:
  std::string_view type_name_;
  int line_;
};

void CheckEnvelope(const json& object, int line) {
  if (!object.is_object()) {
    throw EventError(line, "event must be a JSON object" + Got(object));
  }
  const auto t = object.find("t");
  if (t == object.end()) {
    throw EventError(line, "missing required field 't'");
  }
  if (!t->is_number() || !std::isfinite(t->get<double>()) || t->get<double>() < 0) {
    throw EventError(line, "field 't' must be a number of seconds >= 0" + Got(*t));
  }
  const auto type = object.find("type");
  if (type == object.end()) {
    throw EventError(line, "missing required field 'type'");
  }
  if (!type->is_string() || type->get_ref<const std::string&>().empty()) {
    throw EventError(line, "field 'type' must be a non-empty string" + Got(*type));
  }
  const auto room = object.find("room");
  if (room != object.end() && !room->is_null() &&
      (!room->is_string() || room->get_ref<const std::string&>().empty())) {
    throw EventError(line, type->get<std::string>() + ": field 'room' must be a non-empty string" +
                               Got(*room));
  }
}

} // namespace

Event ParseEvent(const nlohmann::json& object, int line) {
  CheckEnvelope(object, line);
  Event event;
  event.t = object.at("t").get<double>();
  event.type_name = object.at("type").get<std::string>();
  event.type = EventTypeFromName(event.type_name);
  const auto room = object.find("room");
  if (room != object.end() && room->is_string()) {
    event.room = room->get<std::string>();
  }
  event.line = line;

  if (const TypeSchema* schema = FindSchema(event.type)) {
    const FieldChecker checker(event.type_name, line);
    for (const FieldSpec& spec : schema->fields) {
      const auto value = object.find(spec.name);
      // An optional field set to null counts as absent, except `maximized` where null
      // is a value of its own ("no pane maximized").
      const bool absent = value == object.end() ||
                          (value->is_null() && !spec.required && spec.kind != Kind::kMaximized);
      if (absent) {
        if (spec.required) {
          checker.Fail("missing required field '" + std::string(spec.name) + "'");
        }
        continue;
      }
      checker.Check(spec, *value);
    }
    if (event.type == EventType::kAnnotationAdd || event.type == EventType::kWhiteboardAdd) {
      checker.CheckShape(object);
    }
  }
  event.body = object;
  return event;
}

Event ParseEventLine(std::string_view text, int line) {
  json object;
  try {
    object = json::parse(text);
  } catch (const json::exception& error) { // parse_error, or out_of_range for 1e999
    std::string reason = error.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " tag: it means nothing to a user.
    if (const auto tag_end = reason.find("] ");
        reason.starts_with("[json.") && tag_end != std::string::npos) {
      reason = reason.substr(tag_end + 2);
    }
    throw EventError(line, "not JSON: " + reason);
  }
  return ParseEvent(object, line);
}

} // namespace ssr::events
