#include "compose/panes/webcam_pane.h"

#include "compose/argb_surface.h"
#include "compose/layout_engine.h"
#include "compose/text.h"
#include "compose/theme.h"

#include <algorithm>
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

constexpr double kPlayerShare = 0.7; // of pane 1, for the media or stream beside the tiles
// The player keeps the same gap to the pane's edges as the tiles.
Rect Inset(Rect r) {
  constexpr int kGap = 8;
  return r.width > 4 * kGap && r.height > 4 * kGap
             ? media::EvenRect({r.x + kGap, r.y + kGap, r.width - 2 * kGap, r.height - 2 * kGap})
             : r;
}

// The position a card shows: a finished file stays at its end.
double ShownPosition(const MediaPlayer& p) {
  return p.duration_s() > 0 ? std::min(p.position_s(), p.duration_s()) : p.position_s();
}

constexpr uint32_t kDiscColour = 0x3a4258;
constexpr uint32_t kTroubleColour = 0xe0803a;
constexpr uint32_t kBarTrackColour = 0x3a4050;
constexpr uint32_t kBarColour = 0x4c8dff;

} // namespace

bool WebcamPane::Prepare(const FrameContext& ctx) {
  PrepareTiles(ctx);
  PreparePlayer(ctx);

  uint64_t key = HashCombine(static_cast<uint64_t>(mode_), tiles_.size());
  for (const Tile& tile : tiles_) {
    key = HashCombine(key, HashString(tile.participant));
    key = HashCombine(key, HashString(tile.name));
    key = HashCombine(key, (tile.picture != nullptr ? 1 : 0) | (tile.camera_muted ? 2 : 0) |
                               (tile.camera_published ? 4 : 0) | (tile.mic_muted ? 8 : 0));
  }
  if (shown_ != nullptr) {
    key = HashCombine(key, HashString(shown_->name()));
    key = HashCombine(key, static_cast<uint64_t>(shown_->state()) | (shown_->stream() ? 16 : 0) |
                               (shown_->paused() ? 32 : 0) | (player_picture_ != nullptr ? 64 : 0) |
                               (shown_->starting() ? 128 : 0));
    if (player_picture_ == nullptr) { // the card's clock and progress bar: once a second
      key = HashCombine(key, static_cast<uint64_t>(ShownPosition(*shown_)));
    }
  }
  key_ = key;
  return !tiles_.empty() || shown_ != nullptr;
}

void WebcamPane::PreparePlayer(const FrameContext& ctx) {
  media_player_.Follow(ctx.room.media, ctx.t);
  stream_player_.Follow(ctx.room.stream, ctx.t);
  // Both decode (they stay in step); the pane shows the one started last.
  const media::VideoPicture* media_picture = media_player_.Picture();
  const media::VideoPicture* stream_picture = stream_player_.Picture();
  shown_ = nullptr;
  player_picture_ = nullptr;
  if (media_player_.active()) {
    shown_ = &media_player_;
    player_picture_ = media_picture;
  }
  if (stream_player_.active() &&
      (shown_ == nullptr || stream_player_.started_t() > media_player_.started_t())) {
    shown_ = &stream_player_;
    player_picture_ = stream_picture;
  }
}

void WebcamPane::PrepareTiles(const FrameContext& ctx) {
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
      const bool camera =
          track.kind == MediaKind::kVideo && track.source == events::TrackSource::kCamera;
      if (camera && !tile.camera_published) {
        tile.camera_published = true;
        tile.camera_muted = track.muted;
        if (!track.muted && ctx.t >= track.publish_t) {
          if (media::VideoFeed* feed = media_.Video(id)) {
            tile.picture = feed->PictureAt(ctx.t - track.publish_t);
          }
        }
      } else if (track.kind == MediaKind::kAudio) {
        has_mic = true;
        any_mic_unmuted = any_mic_unmuted || !track.muted;
      }
    }
    tile.mic_muted = has_mic && !any_mic_unmuted;
    if (ShowsTile(*p, has_tracks)) {
      tiles_.push_back(std::move(tile));
    }
  }
}

void WebcamPane::Split(Rect rect, Rect* player, Rect* tiles) const {
  *player = Rect{};
  *tiles = rect;
  if (shown_ == nullptr) {
    return;
  }
  if (tiles_.empty()) {
    *player = Inset(rect);
    *tiles = Rect{};
    return;
  }
  // The player gets ~70 %, but no more than a 16:9 picture needs in a wide strip: the
  // rest is the tiles'.
  if (rect.width >= rect.height) {
    const int w = std::min(static_cast<int>(rect.width * kPlayerShare),
                           static_cast<int>(rect.height * 16.0 / 9.0));
    *player = Inset(media::EvenRect({rect.x, rect.y, w, rect.height}));
    *tiles = media::EvenRect({rect.x + w, rect.y, rect.width - w, rect.height});
  } else {
    const int h = std::min(static_cast<int>(rect.height * kPlayerShare),
                           static_cast<int>(rect.width * 9.0 / 16.0));
    *player = Inset(media::EvenRect({rect.x, rect.y, rect.width, h}));
    *tiles = media::EvenRect({rect.x, rect.y + h, rect.width, rect.height - h});
  }
}

std::vector<Rect> WebcamPane::TileRectsIn(Rect area) const {
  // Beside a player the tiles form a strip: the grid arrangement gives them the most room.
  return TileRects(area, static_cast<int>(tiles_.size()),
                   shown_ != nullptr ? events::WebcamMode::kGrid : mode_);
}

void WebcamPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  SetSourceColour(cr, theme::kPaneBackground);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
  Rect player;
  Rect tiles;
  Split(rect, &player, &tiles);
  if (!player.Empty()) {
    // A video that has just opened waits a moment for its first picture without a card.
    if (player_picture_ != nullptr || shown_->starting()) {
      SetSourceColour(cr, theme::kTileBackground);
      cairo_rectangle(cr, player.x, player.y, player.width, player.height);
      cairo_fill(cr);
    } else {
      DrawPlayerCard(cr, player, scale);
    }
  }
  DrawTileCards(cr, tiles, scale);
}

void WebcamPane::DrawTileCards(cairo_t* cr, Rect area, double scale) {
  const std::vector<Rect> rects = TileRectsIn(area);
  for (size_t i = 0; i < rects.size(); ++i) {
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

std::string WebcamPane::PlayerStatus() const {
  using State = MediaPlayer::State;
  const MediaPlayer& p = *shown_;
  switch (p.state()) {
  case State::kBroken:
    return "Cannot be played";
  case State::kUnavailable:
    return "Stream unavailable · retrying";
  case State::kEnded:
    return "Stream ended";
  default:
    break;
  }
  std::string status =
      p.state() == State::kNoFeed ? (p.stream() ? "Audio stream · " : "Audio · ") : "";
  status += FormatClock(ShownPosition(p));
  if (p.duration_s() > 0) {
    status += " / " + FormatClock(p.duration_s());
  }
  if (p.paused()) {
    status += " · paused";
  }
  return status;
}

void WebcamPane::DrawPlayerCard(cairo_t* cr, Rect r, double scale) {
  using State = MediaPlayer::State;
  const MediaPlayer& p = *shown_;
  SetSourceColour(cr, theme::kTileBackground);
  FillRoundedRect(cr, r.x, r.y, r.width, r.height, 6 * scale);
  const bool trouble = p.state() == State::kBroken || p.state() == State::kUnavailable;
  // A disc with a glyph: a note for sound, "!" when it cannot play, a triangle otherwise.
  const double radius = std::min(r.width, r.height) * 0.12;
  const double cx = r.x + r.width / 2.0;
  const double cy = r.y + r.height * 0.38;
  SetSourceColour(cr, trouble ? kTroubleColour : kDiscColour);
  cairo_arc(cr, cx, cy, radius, 0, 2 * M_PI);
  cairo_fill(cr);
  const std::string glyph = trouble ? "!" : p.state() == State::kNoFeed ? "♪" : "▶";
  TextStyle glyph_style{radius * 1.1, true, 0xffffff};
  glyph_style.centre = true;
  double gw = 0;
  double gh = 0;
  MeasureText(cr, glyph, radius * 2, glyph_style, &gw, &gh);
  DrawText(cr, glyph, cx - radius, cy - gh / 2, radius * 2, glyph_style);

  const double text_px = std::max(9.0, std::min(theme::kBodyPx * scale * 1.2, r.height * 0.08));
  const double margin = r.width * 0.1;
  double y = cy + radius + r.height * 0.06;
  TextStyle title{text_px, true, theme::kCardText};
  title.centre = true;
  y += DrawText(cr, p.name(), r.x + margin, y, r.width - 2 * margin, title);
  TextStyle status{text_px * 0.85, false, trouble ? kTroubleColour : theme::kCardText};
  status.centre = true;
  y += DrawText(cr, PlayerStatus(), r.x + margin, y + text_px * 0.3, r.width - 2 * margin, status);
  if (p.stream() || trouble || p.duration_s() <= 0) {
    return;
  }
  // Progress: position / duration.
  const double bar_h = std::max(4.0, 8 * scale);
  const double bar_y = y + text_px;
  const double bar_w = r.width - 2 * margin;
  const double done = std::clamp(ShownPosition(p) / p.duration_s(), 0.0, 1.0);
  SetSourceColour(cr, kBarTrackColour);
  FillRoundedRect(cr, r.x + margin, bar_y, bar_w, bar_h, bar_h / 2);
  if (done > 0) {
    SetSourceColour(cr, kBarColour);
    FillRoundedRect(cr, r.x + margin, bar_y, std::max(bar_h, bar_w * done), bar_h, bar_h / 2);
  }
}

const media::I420Frame& WebcamPane::Label(const std::string& text, double scale) {
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
  Rect player;
  Rect tiles;
  Split(rect, &player, &tiles);
  const int margin = static_cast<int>(6 * scale) & ~1;
  if (!player.Empty() && player_picture_ != nullptr) {
    const media::VideoPicture& pic = *player_picture_;
    const Rect fit = media::FitRect(player, pic.width, pic.height);
    frame.ScaleInto(pic.y, pic.stride_y, pic.u, pic.stride_u, pic.v, pic.stride_v, pic.width,
                    pic.height, fit);
    if (shown_->paused()) {
      const media::I420Frame& label = Label("❚❚ Paused", scale);
      if (label.width() + 8 <= fit.width && label.height() + 8 <= fit.height) {
        frame.Blit(label, fit.x + margin, fit.y + fit.height - label.height() - margin);
      }
    }
  }
  const std::vector<Rect> rects = TileRectsIn(tiles);
  for (size_t i = 0; i < rects.size(); ++i) {
    const Tile& tile = tiles_[i];
    if (tile.picture == nullptr) {
      continue;
    }
    const media::VideoPicture& pic = *tile.picture;
    const Rect fit = media::FitRect(rects[i], pic.width, pic.height);
    frame.ScaleInto(pic.y, pic.stride_y, pic.u, pic.stride_u, pic.v, pic.stride_v, pic.width,
                    pic.height, fit);
    const media::I420Frame& label = Label(tile.mic_muted ? tile.name + "  🔇" : tile.name, scale);
    if (label.width() + 8 <= fit.width && label.height() + 8 <= fit.height) {
      frame.Blit(label, fit.x + margin, fit.y + fit.height - label.height() - margin);
    }
  }
}

} // namespace ssr::compose
