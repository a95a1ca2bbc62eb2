#include "events/event_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ssr::events {
namespace {

using nlohmann::json;

struct TypeCase {
  EventType type;
  const char* minimal; // the required fields only
  const char* full;    // every field of the contract
};

// Every type of the contract, in a minimal and a full form ("t" and "type" are added).
const std::vector<TypeCase>& TypeCases() {
  static const std::vector<TypeCase> cases = {
      {EventType::kParticipantJoin, R"({"id":"p1","name":"Ann","role":"host"})",
       R"({"id":"p1","name":"Ann","role":"attendee","user":"ann@example.org","room":"b1"})"},
      {EventType::kParticipantLeave, R"({"id":"p1","reason":"left"})",
       R"({"id":"p1","reason":"disconnected"})"},
      {EventType::kParticipantMove, R"({"id":"p1","to":"b1"})", R"({"id":"p1","to":"main"})"},
      {EventType::kParticipantRole, R"({"id":"p1","role":"cohost"})",
       R"({"id":"p1","role":"presenter"})"},
      {EventType::kPresenterChange, R"({"id":"p1"})", R"({"id":"p1","room":"main"})"},
      {EventType::kRoomOpen, R"({"id":"b1","name":"Group 1"})",
       R"({"id":"b1","name":"Group 1","auto_record":true})"},
      {EventType::kRoomClose, R"({"id":"b1"})", R"({"id":"b1"})"},
      {EventType::kSessionEnd, R"({})", R"({"room":"main"})"},
      {EventType::kLayout, R"({})",
       R"({"webcams":"grid","maximized":2,"sidebar":"minimized","room":"b1"})"},
      {EventType::kTrackPublish,
       R"({"track":"cam1","participant":"p1","kind":"video","source":"camera"})",
       R"({"track":"mic1","participant":"p1","kind":"audio","source":"microphone","room":"b1"})"},
      {EventType::kTrackUnpublish, R"({"track":"cam1"})", R"({"track":"cam1","room":"b1"})"},
      {EventType::kTrackMute, R"({"track":"cam1","muted":true})",
       R"({"track":"cam1","muted":false,"room":"b1"})"},
      {EventType::kMediaPlay, R"({"asset":"intro.webm"})",
       R"({"asset":"clips/intro.webm","position":12.5})"},
      {EventType::kMediaPause, R"({})", R"({"room":"b1"})"},
      {EventType::kMediaStop, R"({})", R"({"room":"b1"})"},
      {EventType::kStreamStart, R"({"url":"https://example.org/live.m3u8"})",
       R"({"url":"rtmp://example.org/live","room":"b1"})"},
      {EventType::kStreamStop, R"({})", R"({"room":"b1"})"},
      {EventType::kPresentationShow, R"({"asset":"deck.pdf"})", R"({"asset":"deck.pdf","page":3})"},
      {EventType::kDocumentShow, R"({"asset":"notes.pdf"})", R"({"asset":"notes.pdf","page":1})"},
      {EventType::kScreenshareStart, R"({"track":"screen1"})",
       R"({"track":"screen1","room":"b1"})"},
      {EventType::kScreenshareStop, R"({})", R"({"room":"b1"})"},
      {EventType::kAnnotationAdd,
       R"({"id":"a1","shape":"pen","color":"#ff0000","width":0.01,"points":[[0,0],[1,1]]})",
       R"({"id":"a2","shape":"text","color":"#00FF7f","width":0.5,"points":[[0.1,0.2]],"text":"Look"})"},
      {EventType::kAnnotationRemove, R"({"id":"a1"})", R"({"id":"a1","room":"b1"})"},
      {EventType::kAnnotationClear, R"({})", R"({"room":"b1"})"},
      {EventType::kNoteboardUpdate, R"({"text":""})",
       R"({"text":"line 1\nline 2 \u05e9\u05dc\u05d5\u05dd"})"},
      {EventType::kImageShow, R"({"asset":"map.png"})", R"({"asset":"img/map.png","room":"b1"})"},
      {EventType::kImageHide, R"({})", R"({"room":"b1"})"},
      {EventType::kWhiteboardAdd,
       R"({"id":"w1","shape":"rect","color":"#000000","width":1,"points":[[0.1,0.1],[0.5,0.5]]})",
       R"({"id":"w2","shape":"highlighter","color":"#abcdef","width":0.2,"points":[[0,0],[0.5,0.5],[1,0]],"text":""})"},
      {EventType::kWhiteboardRemove, R"({"id":"w1"})", R"({"id":"w1","room":"b1"})"},
      {EventType::kWhiteboardClear, R"({})", R"({"room":"b1"})"},
      {EventType::kChatMessage, R"({"from":"p1","text":"hi"})",
       R"({"from":"p1","text":"psst","to":"p2","room":"b1"})"},
      {EventType::kNotesUpdate, R"({"text":"agenda"})", R"({"text":"agenda\n- item"})"},
  };
  return cases;
}

json WithEnvelope(EventType type, const char* fields, double t = 1.5) {
  json object = json::parse(fields);
  object["t"] = t;
  object["type"] = std::string(EventTypeName(type));
  return object;
}

// The message of the EventError that parsing `text` throws ("" if it does not throw).
std::string ErrorOf(const std::string& text) {
  try {
    ParseEventLine(text, 7);
  } catch (const EventError& error) {
    EXPECT_EQ(error.line(), 7);
    return error.what();
  }
  return "";
}

TEST(EventTypeNames, RoundTripForEveryType) {
  EXPECT_EQ(TypeCases().size(), 32u);
  for (const auto& c : TypeCases()) {
    const std::string_view name = EventTypeName(c.type);
    EXPECT_NE(name, "unknown");
    EXPECT_EQ(EventTypeFromName(name), c.type) << name;
  }
  EXPECT_EQ(EventTypeFromName("chat.message"), EventType::kChatMessage);
  EXPECT_EQ(EventTypeName(EventType::kTrackMute), "track.mute");
  EXPECT_EQ(EventTypeFromName("chat.reaction"), EventType::kUnknown);
  EXPECT_EQ(EventTypeFromName(""), EventType::kUnknown);
}

TEST(EventParser, AcceptsEveryTypeInMinimalForm) {
  for (const auto& c : TypeCases()) {
    SCOPED_TRACE(EventTypeName(c.type));
    const Event event = ParseEvent(WithEnvelope(c.type, c.minimal), 3);
    EXPECT_EQ(event.type, c.type);
    EXPECT_EQ(event.type_name, EventTypeName(c.type));
    EXPECT_DOUBLE_EQ(event.t, 1.5);
    EXPECT_EQ(event.room, "main");
    EXPECT_EQ(event.line, 3);
  }
}

TEST(EventParser, AcceptsEveryTypeInFullForm) {
  for (const auto& c : TypeCases()) {
    SCOPED_TRACE(EventTypeName(c.type));
    const json object = WithEnvelope(c.type, c.full);
    const Event event = ParseEvent(object);
    EXPECT_EQ(event.type, c.type);
    EXPECT_EQ(event.room, object.value("room", "main"));
    EXPECT_EQ(event.body, object);
  }
}

TEST(EventParser, EveryRequiredFieldIsRequired) {
  for (const auto& c : TypeCases()) {
    const json minimal = json::parse(c.minimal);
    for (const auto& [field, value] : minimal.items()) {
      SCOPED_TRACE(std::string(EventTypeName(c.type)) + " without " + field);
      json object = WithEnvelope(c.type, c.minimal);
      object.erase(field);
      const std::string error = ErrorOf(object.dump());
      EXPECT_EQ(error,
                std::string(EventTypeName(c.type)) + ": missing required field '" + field + "'");
    }
  }
}

TEST(EventParser, ReadsEnvelopeAndAccessors) {
  const Event event = ParseEventLine(
      R"({"t":12.25,"type":"media.play","room":"b1","asset":"a.webm","position":3})", 4);
  EXPECT_EQ(event.type, EventType::kMediaPlay);
  EXPECT_DOUBLE_EQ(event.t, 12.25);
  EXPECT_EQ(event.room, "b1");
  EXPECT_EQ(event.line, 4);
  EXPECT_EQ(event.Str("asset"), "a.webm");
  EXPECT_EQ(event.StrOr("asset", "x"), "a.webm");
  EXPECT_EQ(event.StrOr("nope", "x"), "x");
  EXPECT_EQ(event.StrOr("position", "x"), "x"); // not a string
  EXPECT_DOUBLE_EQ(event.NumOr("position", 0), 3);
  EXPECT_DOUBLE_EQ(event.NumOr("asset", -1), -1);
  EXPECT_TRUE(event.Has("position"));
  EXPECT_FALSE(event.Has("page"));
}

TEST(EventParser, IntegerTimeAndZeroTimeAreFine) {
  EXPECT_DOUBLE_EQ(ParseEventLine(R"({"t":0,"type":"session.end"})", 1).t, 0);
  EXPECT_DOUBLE_EQ(ParseEventLine(R"({"t":42,"type":"session.end"})", 1).t, 42);
}

TEST(EventParser, UnknownTypeIsParsedWithoutFieldChecks) {
  const Event event = ParseEventLine(R"({"t":1,"type":"poll.start","question":5})", 2);
  EXPECT_EQ(event.type, EventType::kUnknown);
  EXPECT_EQ(event.type_name, "poll.start");
  EXPECT_EQ(event.body["question"], 5);
}

TEST(EventParser, ExtraFieldsAreAllowed) {
  const Event event = ParseEventLine(R"({"t":1,"type":"chat.message","from":"p","text":"x",)"
                                     R"("reactions":["+1"]})",
                                     1);
  EXPECT_EQ(event.type, EventType::kChatMessage);
}

TEST(EventParser, OptionalNullCountsAsAbsent) {
  const Event event =
      ParseEventLine(R"({"t":1,"type":"chat.message","from":"p","text":"x","to":null})", 1);
  EXPECT_FALSE(event.Has("to"));
  EXPECT_NO_THROW(ParseEventLine(R"({"t":1,"type":"layout","maximized":null})", 1));
}

struct BadCase {
  const char* text;
  const char* message; // the whole message, or its start when it ends with "..."
};

TEST(EventParser, RejectsMalformedInputWithAPlainMessage) {
  const std::vector<BadCase> cases = {
      {R"({"t":1,"type":)", "not JSON: parse error at line 1, column 15..."},
      {"hello", "not JSON: ..."},
      {"", "not JSON: ..."},
      {R"([1,2])", "event must be a JSON object (got [1,2])"},
      {R"("chat.message")", "event must be a JSON object..."},
      {R"({"type":"session.end"})", "missing required field 't'"},
      {R"({"t":-1,"type":"session.end"})", "field 't' must be a number of seconds >= 0 (got -1)"},
      {R"({"t":"3","type":"session.end"})", "field 't' must be a number of seconds >= 0..."},
      {R"({"t":1e999,"type":"session.end"})", "not JSON: number overflow parsing '1e999'"},
      {R"({"t":1})", "missing required field 'type'"},
      {R"({"t":1,"type":3})", "field 'type' must be a non-empty string (got 3)"},
      {R"({"t":1,"type":"session.end","room":7})",
       "session.end: field 'room' must be a non-empty string (got 7)"},
      {R"({"t":1,"type":"chat.message","from":"p1"})",
       "chat.message: missing required field 'text'"},
      {R"({"t":1,"type":"chat.message","from":"p1","text":5})",
       "chat.message: field 'text' must be a string (got 5)"},
      {R"({"t":1,"type":"chat.message","from":"","text":"x"})",
       "chat.message: field 'from' must be a non-empty string..."},
      {R"({"t":1,"type":"track.mute","track":"c","muted":"yes"})",
       "track.mute: field 'muted' must be a boolean (got \"yes\")"},
      {R"({"t":1,"type":"participant.join","id":"p","name":"A","role":"king"})",
       "participant.join: field 'role' must be one of host, cohost, presenter or attendee "
       "(got \"king\")"},
      {R"({"t":1,"type":"participant.leave","id":"p","reason":"bored"})",
       "participant.leave: field 'reason' must be one of left or disconnected..."},
      {R"({"t":1,"type":"track.publish","track":"t","participant":"p","kind":"data","source":"camera"})",
       "track.publish: field 'kind' must be one of audio or video..."},
      {R"({"t":1,"type":"track.publish","track":"t","participant":"p","kind":"video","source":"tv"})",
       "track.publish: field 'source' must be one of camera, microphone or screen..."},
      {R"({"t":1,"type":"layout","webcams":"tiles"})",
       "layout: field 'webcams' must be one of filmstrip or grid (got \"tiles\")"},
      {R"({"t":1,"type":"layout","maximized":5})",
       "layout: field 'maximized' must be null or a pane number 1, 2, 3 or 4 (got 5)"},
      {R"({"t":1,"type":"layout","maximized":1.5})", "layout: field 'maximized' must be null..."},
      {R"({"t":1,"type":"layout","sidebar":true})",
       "layout: field 'sidebar' must be a string, one of open or minimized (got true)"},
      {R"({"t":1,"type":"room.open","id":"b","name":"B","auto_record":1})",
       "room.open: field 'auto_record' must be a boolean (got 1)"},
      {R"({"t":1,"type":"media.play","asset":"a.webm","position":-2})",
       "media.play: field 'position' must be a number of seconds >= 0 (got -2)"},
      {R"({"t":1,"type":"media.play","asset":"../etc/passwd"})",
       "media.play: field 'asset' must be a file name under assets/..."},
      {R"({"t":1,"type":"image.show","asset":"/etc/passwd"})",
       "image.show: field 'asset' must be a file name under assets/..."},
      {R"({"t":1,"type":"presentation.show","asset":"d.pdf","page":0})",
       "presentation.show: field 'page' must be a page number, an integer >= 1 (got 0)"},
      {R"({"t":1,"type":"document.show","asset":"d.pdf","page":2.5})",
       "document.show: field 'page' must be a page number..."},
      {R"({"t":1,"type":"annotation.add","id":"a","shape":"pen","color":"red","width":0.1,"points":[[0,0],[1,1]]})",
       "annotation.add: field 'color' must be a colour like #ff0000 (got \"red\")"},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff00zz","width":0.1,"points":[[0,0],[1,1]]})",
       "whiteboard.add: field 'color' must be a colour like #ff0000..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0,"points":[[0,0],[1,1]]})",
       "whiteboard.add: field 'width' must be a number > 0 and <= 1..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":1.5,"points":[[0,0],[1,1]]})",
       "whiteboard.add: field 'width' must be a number > 0 and <= 1..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"star","color":"#ff0000","width":0.1,"points":[[0,0],[1,1]]})",
       "whiteboard.add: field 'shape' must be one of pen, highlighter, line, arrow, rect, ellipse "
       "or text..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":"0,0"})",
       "whiteboard.add: field 'points' must be a non-empty array of [x, y] pairs..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[]})",
       "whiteboard.add: field 'points' must be a non-empty array of [x, y] pairs (got [])"},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[[0,0],[1]]})",
       "whiteboard.add: point 2 of 'points' must be an [x, y] pair of numbers (got [1])"},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[[0,0],["a",1]]})",
       "whiteboard.add: point 2 of 'points' must be an [x, y] pair of numbers..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[[0,0],[1.5,0.2]]})",
       "whiteboard.add: point 2 of 'points' must have x and y within [0, 1] (got [1.5,0.2])"},
      {R"({"t":1,"type":"annotation.add","id":"a","shape":"line","color":"#ff0000","width":0.1,"points":[[0,-0.1],[1,1]]})",
       "annotation.add: point 1 of 'points' must have x and y within [0, 1]..."},
      {R"({"t":1,"type":"annotation.add","id":"a","shape":"rect","color":"#ff0000","width":0.1,"points":[[0,0]]})",
       "annotation.add: shape 'rect' needs at least 2 points (got [[0,0]])"},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[[0,0]]})",
       "whiteboard.add: shape 'pen' needs at least 2 points..."},
      {R"({"t":1,"type":"whiteboard.add","id":"a","shape":"text","color":"#ff0000","width":0.1,"points":[[0,0]]})",
       "whiteboard.add: shape 'text' needs a non-empty field 'text'"},
      {R"({"t":1,"type":"annotation.add","id":"a","shape":"text","color":"#ff0000","width":0.1,"points":[[0,0]],"text":""})",
       "annotation.add: shape 'text' needs a non-empty field 'text'"},
      {R"({"t":1,"type":"annotation.add","id":"a","shape":"pen","color":"#ff0000","width":0.1,"points":[[0,0],[1,1]],"text":3})",
       "annotation.add: field 'text' must be a string (got 3)"},
      {R"({"t":1,"type":"chat.message","from":"p","text":"x","to":4})",
       "chat.message: field 'to' must be a non-empty string (got 4)"},
      {R"({"t":1,"type":"participant.join","id":"p","name":null,"role":"host"})",
       "participant.join: field 'name' must be a string (got null)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string error = ErrorOf(c.text);
    const std::string expected = c.message;
    if (expected.ends_with("...")) {
      const std::string start = expected.substr(0, expected.size() - 3);
      EXPECT_TRUE(error.starts_with(start)) << "got: " << error;
    } else {
      EXPECT_EQ(error, expected);
    }
  }
}

TEST(EventParser, NotJsonKeepsNlohmannReasonWithoutItsTag) {
  const std::string error = ErrorOf("{oops}");
  EXPECT_TRUE(error.starts_with("not JSON: ")) << error;
  EXPECT_EQ(error.find("[json.exception"), std::string::npos) << error;
  EXPECT_NE(error.find("syntax error"), std::string::npos) << error;
}

TEST(EventParser, ParseEventWithoutFileHasLineZero) {
  try {
    ParseEvent(json::array());
    FAIL() << "expected an EventError";
  } catch (const EventError& error) {
    EXPECT_EQ(error.line(), 0);
    EXPECT_EQ(std::string(error.what()), "event must be a JSON object (got [])");
  }
}

TEST(EventParser, LongValuesAreShortenedInMessages) {
  const std::string text = R"({"t":1,"type":"layout","webcams":")" + std::string(200, 'x') + "\"}";
  const std::string error = ErrorOf(text);
  EXPECT_LT(error.size(), 150u) << error;
  EXPECT_NE(error.find("...)"), std::string::npos) << error;
}

} // namespace
} // namespace ssr::events
