#include "server/parts.h"

#include "control/recording_controller.h"
#include "events/event_parser.h"
#include "record/chapter_cues.h"

#include <fstream>

namespace ssr::server {

PartLookup Parts::Find(const std::string& recording_id, int n) {
  PartLookup lookup;
  for (const control::Part& p : controller_.Parts(recording_id)) {
    if (p.n != n) continue;
    lookup.part = p;
    lookup.found = p.status == control::PartStatus::kReady ? PartLookup::Found::kReady
                                                           : PartLookup::Found::kNotReady;
    break;
  }
  return lookup;
}

std::vector<control::Part> Parts::All(const std::string& recording_id) {
  return controller_.Parts(recording_id);
}

std::string PartChaptersVtt(const std::filesystem::path& events_jsonl, const std::string& room,
                            double start_t, double end_t) {
  std::ifstream in(events_jsonl, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + events_jsonl.string());
  std::vector<events::Event> events;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    try {
      events.push_back(events::ParseEventLine(line, n));
    } catch (const std::exception&) {
      continue;
    }
    if (events.back().t >= end_t) break;
  }
  return record::ChaptersVtt(record::ChapterCues(events, room, start_t, end_t));
}

}  // namespace ssr::server
