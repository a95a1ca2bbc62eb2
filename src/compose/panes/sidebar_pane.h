#pragma once
// The right side bar: the attendee list (with roles), the chat (names, times, newest at the
// bottom) and the notes.

#include "compose/pane.h"

#include <string>
#include <vector>

namespace ssr::compose {

class SidebarPane : public Pane {
 public:
  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

 private:
  struct Attendee {
    std::string name;
    events::Role role = events::Role::kAttendee;
  };

  double DrawHeader(cairo_t* cr, const std::string& title, media::Rect rect, double y,
                    double scale);
  void DrawAttendees(cairo_t* cr, media::Rect area, double scale);
  void DrawChat(cairo_t* cr, media::Rect area, double scale);
  void DrawNotes(cairo_t* cr, media::Rect area, double scale);

  uint64_t key_ = 0;
  std::vector<Attendee> attendees_;
  std::vector<events::ChatLine> chat_;
  std::string notes_;
};

} // namespace ssr::compose
