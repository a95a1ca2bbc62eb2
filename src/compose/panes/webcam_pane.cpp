#include "compose/panes/webcam_pane.h"

#include "compose/argb_surface.h"
#include "compose/layout_engine.h"
#include "compose/text.h"
#include "compose/theme.h"

#include <cmath>
#include <functional>

namespace ssr::compose {

using media::Rect;

namespace {

// Attendees without any media are only in the attendee list; everyone else gets a tile.
bool ShowsTile(const events::Participant& p, bool has_tracks) {
  return has_tracks || p.role != events::Role::kAttendee;
}

uint64_t HashString(const std::string& s) { return std::hash<std::string>{}(s); }


}  // namespace

bool WebcamPane::Prepare(const FrameContext& ctx) {
  tiles_.clear();
  mode_ = ctx.room.layout.webcams;
  for (const events::Participant* p : ctx.session.ParticipantsIn(ctx.room.id)) {
    Tile tile{p->id, p->name, std::string(events::RoleName(p->role))};
    bool has_tracks = false;
    bool has_mic = false;
    bool any_mic_unmuted = false;
    for (const auto& [id, track] : ctx.room.tracks) {
      if (track.participant != p->id) {
        continue;
      }
      has_tracks = true;
      if (track.kind == "video" && track.source == "camera" && !tile.camera_published) {
        tile.camera_published = true;
        tile.camera_muted = track.muted;
        if (!track.muted && ctx.t >= track.publish_t) {
          if (media::VideoFeed* feed = media_.Video(id)) {
            tile.picture = feed->PictureAt(ctx.t - track.publish_t);
          }
        }
      } else if (track.kind == "audio") {
        has_mic = true;
        any_mic_unmuted = any_mic_unmuted || !track.muted;
      }
    }
    tile.mic_muted = has_mic && !any_mic_unmuted;
    if (ShowsTile(*p, has_tracks)) {
      tiles_.push_back(std::move(tile));
    }
  }

  uint64_t key = HashCombine(static_cast<uint64_t>(mode_), tiles_.size());
  for (const Tile& tile : tiles_) {
    key = HashCombine(key, HashString(tile.participant));
    key = HashCombine(key, HashString(tile.name));
    key = HashCombine(key, (tile.picture != nullptr ? 1 : 0) | (tile.camera_muted ? 2 : 0) |
                               (tile.camera_published ? 4 : 0) | (tile.mic_muted ? 8 : 0));
  }
  key_ = key;
  return !tiles_.empty();
}

void WebcamPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  SetSourceColour(cr, theme::kPaneBackground);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
  const std::vector<Rect> rects = TileRects(rect, static_cast<int>(tiles_.size()), mode_);
  for (size_t i = 0; i < tiles_.size(); ++i) {
    const Tile& tile = tiles_[i];
    const Rect r = rects[i];
    if (tile.picture != nullptr) {
      SetSourceColour(cr, theme::kTileBackground);
      cairo_rectangle(cr, r.x, r.y, r.width, r.height);
      cairo_fill(cr);
      continue;
    }
    // Name card: initials in a coloured disc, the name and why there is no picture.
    SetSourceColour(cr, theme::kTileBackground);
    FillRoundedRect(cr, r.x, r.y, r.width, r.height, 6 * scale);
    const double radius = std::min(r.width, r.height) * 0.22;
    const double cx = r.x + r.width / 2.0;
    const double cy = r.y + r.height * 0.42;
    SetSourceColour(cr, theme::AvatarColour(tile.participant));
    cairo_arc(cr, cx, cy, radius, 0, 2 * M_PI);
    cairo_fill(cr);
    TextStyle initials{radius * 0.8, true, 0xffffff};
    initials.centre = true;
    double iw = 0;
    double ih = 0;
    MeasureText(cr, Initials(tile.name), radius * 2, initials, &iw, &ih);
    DrawText(cr, Initials(tile.name), cx - radius, cy - ih / 2, radius * 2, initials);
    TextStyle name{std::max(9.0, std::min(theme::kLabelPx * scale, r.height * 0.12)), true,
                   theme::kCardText};
    name.centre = true;
    std::string caption = tile.name;
    if (tile.camera_muted) {
      caption += " · camera off";
    }
    DrawText(cr, caption, r.x + 4, cy + radius + r.height * 0.05, r.width - 8, name);
  }
}

const media::I420Frame& WebcamPane::Label(const Tile& tile, double scale) {
  const std::string text = tile.mic_muted ? tile.name + "  🔇" : tile.name;
  const int height = static_cast<int>(std::lround(22 * scale)) & ~1;
  const std::string cache_key = text + '\x1f' + std::to_string(height);
  auto it = labels_.find(cache_key);
  if (it != labels_.end()) {
    return it->second;
  }
  TextStyle style{theme::kLabelPx * scale, false, theme::kLabelText};
  ArgbSurface measure(2, 2);
  double tw = 0;
  double th = 0;
  MeasureText(measure.cr(), text, 400 * scale, style, &tw, &th);
  const int width = (static_cast<int>(tw + 12 * scale) + 1) & ~1;
  ArgbSurface surface(std::max(2, width), std::max(2, height));
  SetSourceColour(surface.cr(), theme::kLabelBackground);
  cairo_paint(surface.cr());
  DrawText(surface.cr(), text, 6 * scale, (height - th) / 2, width, style);
  media::I420Frame& label = labels_[cache_key];
  surface.ToI420(&label);
  return label;
}

void WebcamPane::DrawLive(media::I420Frame& frame, Rect rect, double scale) {
  const std::vector<Rect> rects = TileRects(rect, static_cast<int>(tiles_.size()), mode_);
  for (size_t i = 0; i < tiles_.size(); ++i) {
    const Tile& tile = tiles_[i];
    if (tile.picture == nullptr) {
      continue;
    }
    const media::VideoPicture& pic = *tile.picture;
    const Rect fit = media::FitRect(rects[i], pic.width, pic.height);
    frame.ScaleInto(pic.y, pic.stride_y, pic.u, pic.stride_u, pic.v, pic.stride_v, pic.width,
                    pic.height, fit);
    const media::I420Frame& label = Label(tile, scale);
    if (label.width() + 8 <= fit.width && label.height() + 8 <= fit.height) {
      const int margin = static_cast<int>(6 * scale) & ~1;
      frame.Blit(label, fit.x + margin, fit.y + fit.height - label.height() - margin);
    }
  }
}

}  // namespace ssr::compose
