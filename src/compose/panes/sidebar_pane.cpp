#include "compose/panes/sidebar_pane.h"

#include "compose/text.h"
#include "compose/theme.h"

#include <functional>

namespace ssr::compose {

using media::Rect;

namespace {
constexpr double kAttendeesShare = 0.30; // of the side bar's height
constexpr double kChatShare = 0.46;

// The label beside a name in the attendee list; attendees have none.
std::string RoleLabel(events::Role role) {
  switch (role) {
  case events::Role::kHost:
    return "Host";
  case events::Role::kCohost:
    return "Co-host";
  case events::Role::kPresenter:
    return "Presenter";
  case events::Role::kAttendee:
    return "";
  }
  return "";
}
} // namespace

bool SidebarPane::Prepare(const FrameContext& ctx) {
  // The revision moves on every change the side bar shows; only then is the content copied.
  uint64_t key = HashCombine(ctx.room.rev.sidebar, std::hash<std::string>{}(ctx.room.id));
  if (key != key_ || attendees_.empty()) {
    attendees_.clear();
    for (const events::Participant* p : ctx.session.ParticipantsIn(ctx.room.id)) {
      attendees_.push_back({p->name, p->role});
    }
    chat_ = ctx.room.chat;
    notes_ = ctx.room.notes;
    key_ = key;
  }
  return true;
}

double SidebarPane::DrawHeader(cairo_t* cr, const std::string& title, Rect rect, double y,
                               double scale) {
  const double h = 28 * scale;
  SetSourceColour(cr, theme::kSidebarHeader);
  cairo_rectangle(cr, rect.x, y, rect.width, h);
  cairo_fill(cr);
  TextStyle style{theme::kHeaderPx * scale, true, theme::kSidebarText};
  DrawText(cr, title, rect.x + 10 * scale, y + 5 * scale, rect.width - 20 * scale, style);
  return h;
}

void SidebarPane::DrawAttendees(cairo_t* cr, Rect area, double scale) {
  double y = area.y + DrawHeader(cr, "Attendees (" + std::to_string(attendees_.size()) + ")", area,
                                 area.y, scale);
  const double line_h = 21 * scale;
  const double pad = 10 * scale;
  const double bottom = area.y + area.height;
  TextStyle name{theme::kBodyPx * scale, false, theme::kSidebarText};
  TextStyle role{theme::kSmallPx * scale, false, theme::kSidebarMuted};
  for (size_t i = 0; i < attendees_.size(); ++i) {
    const bool last_line = y + 2 * line_h > bottom;
    if (last_line && i + 1 < attendees_.size()) {
      DrawText(cr, "+ " + std::to_string(attendees_.size() - i) + " more", area.x + pad,
               y + 3 * scale, area.width - 2 * pad, role);
      return;
    }
    const double role_w = 70 * scale;
    DrawText(cr, attendees_[i].name, area.x + pad, y + 2 * scale, area.width - 2 * pad - role_w,
             name);
    DrawText(cr, RoleLabel(attendees_[i].role), area.x + area.width - pad - role_w, y + 3 * scale,
             role_w, role);
    y += line_h;
  }
}

void SidebarPane::DrawChat(cairo_t* cr, Rect area, double scale) {
  const double top = area.y + DrawHeader(cr, "Chat", area, area.y, scale) + 4 * scale;
  const double pad = 10 * scale;
  const double width = area.width - 2 * pad;
  TextStyle who{theme::kSmallPx * scale, true, theme::kSidebarText};
  TextStyle when{theme::kSmallPx * scale, false, theme::kSidebarMuted};
  TextStyle text{theme::kBodyPx * scale, false, theme::kSidebarText};
  text.wrap = true;
  text.max_lines = 4;
  // Newest at the bottom: measure from the newest backwards until the area is full.
  double y = area.y + area.height - 4 * scale;
  for (auto it = chat_.rbegin(); it != chat_.rend(); ++it) {
    double tw = 0;
    double th = 0;
    MeasureText(cr, it->text, width, text, &tw, &th);
    const double head_h = 17 * scale;
    const double block_h = head_h + th + 6 * scale;
    if (y - block_h < top) {
      break;
    }
    y -= block_h;
    const std::string clock = FormatClock(it->t);
    const double clock_w = 44 * scale;
    DrawText(cr, it->from_name, area.x + pad, y, width - clock_w, who);
    DrawText(cr, clock, area.x + area.width - pad - clock_w, y, clock_w, when);
    DrawText(cr, it->text, area.x + pad, y + head_h, width, text);
  }
}

void SidebarPane::DrawNotes(cairo_t* cr, Rect area, double scale) {
  const double y = area.y + DrawHeader(cr, "Notes", area, area.y, scale);
  const double pad = 10 * scale;
  TextStyle text{theme::kBodyPx * scale, false, theme::kSidebarText};
  text.wrap = true;
  text.max_height_px = std::max(1.0, area.y + area.height - y - 6 * scale - pad);
  cairo_save(cr);
  cairo_rectangle(cr, area.x, y, area.width, area.y + area.height - y);
  cairo_clip(cr);
  DrawText(cr, notes_, area.x + pad, y + 6 * scale, area.width - 2 * pad, text);
  cairo_restore(cr);
}

void SidebarPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  SetSourceColour(cr, theme::kSidebarBackground);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
  const int attendees_h = static_cast<int>(rect.height * kAttendeesShare);
  const int chat_h = static_cast<int>(rect.height * kChatShare);
  const Rect attendees{rect.x, rect.y, rect.width, attendees_h};
  const Rect chat{rect.x, rect.y + attendees_h, rect.width, chat_h};
  const Rect notes{rect.x, rect.y + attendees_h + chat_h, rect.width,
                   rect.height - attendees_h - chat_h};
  cairo_save(cr);
  for (const auto& [area, draw] :
       {std::pair{attendees, &SidebarPane::DrawAttendees}, std::pair{chat, &SidebarPane::DrawChat},
        std::pair{notes, &SidebarPane::DrawNotes}}) {
    cairo_save(cr);
    cairo_rectangle(cr, area.x, area.y, area.width, area.height);
    cairo_clip(cr);
    (this->*draw)(cr, area, scale);
    cairo_restore(cr);
  }
  cairo_restore(cr);
}

} // namespace ssr::compose
