#include "encode/chat_cue.h"

#include <cmath>
#include <cstdio>

namespace ssr::encode {

namespace {
std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '\r':
      break;
    default:
      out += c;
    }
  }
  return out;
}
} // namespace

std::string CuePayload(const ChatCue& cue) {
  std::string speaker = Escape(cue.speaker);
  for (char& c : speaker) {
    if (c == '\n') {
      c = ' ';
    }
  }
  std::string text = Escape(cue.text);
  std::string compact;
  for (char c : text) {
    if (c == '\n' && (compact.empty() || compact.back() == '\n')) {
      continue; // no blank lines inside a cue
    }
    compact += c;
  }
  while (!compact.empty() && compact.back() == '\n') {
    compact.pop_back();
  }
  return "<v " + speaker + ">" + compact;
}

std::string VttTimestamp(double seconds) {
  long long ms = std::llround(std::max(0.0, seconds) * 1000);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld.%03lld", ms / 3600000, (ms / 60000) % 60,
                (ms / 1000) % 60, ms % 1000);
  return buf;
}

} // namespace ssr::encode
