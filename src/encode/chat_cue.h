#pragma once
// A chat message as a WebVTT cue: "<v Name>text", shown from the message time for a while.

#include <string>

namespace ssr::encode {

inline constexpr double kChatCueSeconds = 5.0;

struct ChatCue {
  double start_s = 0; // recording time
  double end_s = 0;
  std::string speaker;
  std::string text;
};

// The cue payload: "<v Name>text" with &, < and > escaped and no blank lines (a blank line
// would end the cue early).
std::string CuePayload(const ChatCue& cue);

// "hh:mm:ss.mmm"
std::string VttTimestamp(double seconds);

} // namespace ssr::encode
