#pragma once
// The chapters of a recorded part (a WebVTT "chapters" track the player lists and seeks to):
// computed from the session's events once the part is stored, for the part's room only.
// Chapters begin at the part's start ("Start"), at slide or page changes of pane 2
// ("Slide 3 · deck.pdf", "Page 2 · notes.pdf"), when a screen share starts ("Screen share ·
// Ann"), when the whiteboard or the noteboard appears, and (main room) when a host or co-host
// moves to a breakout room or back ("Ann moved to Group A", "Ann is back in the main room").

#include "events/event.h"

#include <string>
#include <vector>

namespace ssr::record {

struct ChapterCue {
  double start_s = 0; // part time (0 = the part's start)
  double end_s = 0;   // the next chapter's start, or the part's end
  std::string title;
};

// The chapters of a part of `room` that spans session time [start_t, end_t). `events` are the
// session's events in order (all rooms: the state they build is the whole session's).
// Several changes at the same instant make one chapter, named by the last.
std::vector<ChapterCue> ChapterCues(const std::vector<events::Event>& events,
                                    const std::string& room, double start_t, double end_t);

// The WebVTT file of `cues` ("WEBVTT", then numbered cues; titles escaped).
std::string ChaptersVtt(const std::vector<ChapterCue>& cues);

} // namespace ssr::record
