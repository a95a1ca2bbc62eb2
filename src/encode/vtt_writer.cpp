#include "encode/vtt_writer.h"

#include <stdexcept>

namespace ssr::encode {

VttWriter::VttWriter(const std::string& path) : path_(path), out_(path, std::ios::binary) {
  if (!out_) {
    throw std::runtime_error(path + ": cannot create the chat file");
  }
  out_ << "WEBVTT\n\n";
  out_.flush();
}

void VttWriter::Write(const ChatCue& cue) {
  ++count_;
  out_ << count_ << '\n'
       << VttTimestamp(cue.start_s) << " --> " << VttTimestamp(cue.end_s) << '\n'
       << CuePayload(cue) << "\n\n";
  out_.flush();
}

void VttWriter::Close() {
  out_.close();
  if (!out_) {
    throw std::runtime_error(path_ + ": cannot write the chat file");
  }
}

} // namespace ssr::encode
