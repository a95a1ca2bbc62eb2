#include "record/room_timeline.h"

#include <algorithm>

namespace ssr::record {

RoomTimeline::RoomTimeline(std::string room, double start_t, WarningSink warn, CueSink on_cue,
                           double end_s)
    : room_(std::move(room)), start_t_(start_t), end_s_(end_s), warn_(std::move(warn)),
      on_cue_(std::move(on_cue)) {}

void RoomTimeline::Apply(const events::Event& event) {
  state_.Apply(event, &warnings_);
  for (const std::string& w : warnings_) {
    if (warn_) {
      warn_(w);
    }
  }
  warnings_.clear();
  const events::RoomState* room = state_.Room(room_);
  if (room == nullptr) {
    chat_seen_ = 0;
    return;
  }
  for (; chat_seen_ < room->chat.size(); ++chat_seen_) {
    const events::ChatLine& line = room->chat[chat_seen_];
    encode::ChatCue cue{line.t - start_t_, 0, line.from_name, line.text};
    cue.end_s = std::min(cue.start_s + encode::kChatCueSeconds, end_s_);
    if (cue.start_s >= 0 && cue.end_s > cue.start_s && on_cue_) {
      on_cue_(cue);
    }
  }
}

} // namespace ssr::record
