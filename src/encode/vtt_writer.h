#pragma once
// The sidecar WebVTT file of the chat (browsers do not expose in-band WebVTT from WebM).

#include "encode/chat_cue.h"

#include <fstream>
#include <string>

namespace ssr::encode {

class VttWriter {
 public:
  explicit VttWriter(const std::string& path); // throws std::runtime_error
  void Write(const ChatCue& cue);              // flushed as written
  void Close();

 private:
  std::string path_;
  std::ofstream out_;
  int count_ = 0;
};

} // namespace ssr::encode
