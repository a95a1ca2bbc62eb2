#include "server/parts.h"

#include "control/recording_controller.h"
#include "events/bundle_dir.h"
#include "record/chapter_cues.h"

namespace ssr::server {

PartLookup Parts::Find(const std::string& recording_id, int n) {
  PartLookup lookup;
  for (const control::Part& p : controller_.Parts(recording_id)) {
    if (p.n != n)
      continue;
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
  std::vector<events::Event> events;
  const auto read = events::ForEachLoggedEvent(
      events_jsonl,
      [&events, end_t](events::Event&& event) {
        events.push_back(std::move(event));
        return events.back().t < end_t;
      },
      [](const events::BadEventLine&) {});
  if (read == events::LogRead::kCannotOpen) {
    throw std::runtime_error("cannot read " + events_jsonl.string());
  }
  return record::ChaptersVtt(record::ChapterCues(events, room, start_t, end_t));
}

} // namespace ssr::server
