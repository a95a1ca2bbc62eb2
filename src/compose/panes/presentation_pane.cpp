#include "compose/panes/presentation_pane.h"

#include "compose/shape_painter.h"
#include "compose/text.h"
#include "compose/theme.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>

namespace ssr::compose {

using events::Pane2Kind;
using media::Rect;

namespace {

constexpr uint32_t kCardBackground = 0x343a4a;
constexpr uint32_t kCardDetail = 0xb4bac8;
constexpr size_t kCacheBudgetBytes = 48u << 20; // a few 720p/1080p pages, at least one page

uint64_t HashString(const std::string& s) { return std::hash<std::string>{}(s); }

// The largest rectangle of the page's aspect centred in `box` (rounded, not truncated, so a
// 16:9 page fills a 16:9 pane exactly).
Rect FitPage(Rect box, double page_w, double page_h) {
  const double s = std::min(box.width / page_w, box.height / page_h);
  const int w = std::clamp(static_cast<int>(std::lround(page_w * s)), 1, box.width);
  const int h = std::clamp(static_cast<int>(std::lround(page_h * s)), 1, box.height);
  return {box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h};
}

void Fill(cairo_t* cr, Rect r, uint32_t rgb) {
  SetSourceColour(cr, rgb);
  cairo_rectangle(cr, r.x, r.y, r.width, r.height);
  cairo_fill(cr);
}

} // namespace

bool PresentationPane::Prepare(const FrameContext& ctx) {
  const events::Pane2State& pane = ctx.room.pane2;
  kind_ = pane.kind;
  picture_ = nullptr;
  annotations_ = nullptr;
  uint64_t key = static_cast<uint64_t>(kind_);

  if (kind_ == Pane2Kind::kNone) {
    key_ = key;
    return false;
  }
  if (kind_ == Pane2Kind::kScreenshare) {
    const auto track = ctx.room.tracks.find(pane.screen_track);
    sharer_.clear();
    if (track != ctx.room.tracks.end()) {
      const events::Participant* who = ctx.session.FindParticipant(track->second.participant);
      sharer_ = who != nullptr ? who->name : "";
      if (!track->second.muted && ctx.t >= track->second.publish_t) {
        if (media::VideoFeed* feed = media_.Video(track->first)) {
          picture_ = feed->PictureAt(ctx.t - track->second.publish_t);
        }
      }
    }
    key = HashCombine(key, HashString(pane.screen_track));
    key = HashCombine(key, HashString(sharer_));
    key_ = HashCombine(key, picture_ != nullptr ? 1 : 0);
    return true;
  }

  // Presentation or document: look at a newly shown (asset, page) once.
  if (!checked_ || pane.asset != asset_ || pane.page != page_) {
    asset_ = pane.asset;
    page_ = pane.page;
    CheckPage(asset_, page_);
  }
  annotations_ = pane.CurrentAnnotations();
  key = HashCombine(key, HashString(asset_));
  key = HashCombine(key, static_cast<uint64_t>(page_));
  key = HashCombine(key, HashString(error_));
  // The room's pane-2 revision moves exactly when a page or its annotations change.
  key_ = HashCombine(key, ctx.room.rev.pane2);
  return true;
}

PresentationPane::Asset& PresentationPane::Open(const std::string& name) {
  auto [it, inserted] = assets_.try_emplace(name);
  Asset& asset = it->second;
  if (!inserted) {
    return asset;
  }
  const std::optional<std::string> path = media_.AssetPath(name);
  bool is_pdf = false;
  try {
    if (!path) {
      asset.error = "the asset is missing from the bundle";
    } else if ((is_pdf = media::PdfDocument::LooksLikePdf(*path))) {
      asset.pdf = std::make_unique<media::PdfDocument>(*path);
    } else {
      asset.image = media::LoadImage(*path);
    }
  } catch (const std::exception& e) {
    asset.error = is_pdf ? e.what() : std::string("not a PDF or a readable image: ") + e.what();
  }
  if (!asset.error.empty()) {
    media_.Warn("assets/" + name + ": " + asset.error + "; pane 2 shows a placeholder");
  }
  return asset;
}

void PresentationPane::CheckPage(const std::string& name, int page) {
  checked_ = true;
  error_.clear();
  // Decoded images are big: keep only the shown one (rendered pages stay in cache_).
  std::erase_if(assets_,
                [&](const auto& entry) { return entry.second.image && entry.first != name; });
  const Asset& asset = Open(name);
  if (!asset.error.empty()) {
    error_ = asset.error; // Open has warned
    return;
  }
  const int pages = asset.pdf ? asset.pdf->page_count() : 1;
  if (page < 1 || page > pages) {
    error_ = "page " + std::to_string(page) + " does not exist (" +
             (asset.pdf ? "the PDF has " + std::to_string(pages) + (pages == 1 ? " page" : " pages")
                        : std::string("an image has one page")) +
             ")";
    media_.Warn("assets/" + name + ": " + error_ + "; pane 2 shows a placeholder");
  }
}

bool PresentationPane::PageSize(double* width, double* height) const {
  const auto it = assets_.find(asset_);
  if (it == assets_.end()) {
    return false;
  }
  if (it->second.pdf) {
    return it->second.pdf->PageSize(page_, width, height);
  }
  if (it->second.image) {
    *width = cairo_image_surface_get_width(it->second.image.get());
    *height = cairo_image_surface_get_height(it->second.image.get());
    return *width > 0 && *height > 0;
  }
  return false;
}

// The shown page rendered at width x height, from the cache or rendered now.
cairo_surface_t* PresentationPane::RenderedPage(int width, int height) {
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->asset == asset_ && it->page == page_ && it->width == width && it->height == height) {
      if (it != cache_.begin()) {
        CachedPage hit = std::move(*it);
        cache_.erase(it);
        cache_.push_front(std::move(hit));
      }
      return cache_.front().surface.get();
    }
  }
  const Asset& asset = assets_.at(asset_);
  media::CairoSurfacePtr surface;
  if (asset.pdf) {
    surface = asset.pdf->Render(page_, width, height);
  } else if (asset.image) {
    surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return nullptr;
    }
    // Scaled once with a good (area-averaging) filter, on white paper for transparent images.
    cairo_t* cr = cairo_create(surface.get());
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, static_cast<double>(width) / cairo_image_surface_get_width(asset.image.get()),
                static_cast<double>(height) / cairo_image_surface_get_height(asset.image.get()));
    cairo_set_source_surface(cr, asset.image.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface.get());
  }
  if (surface == nullptr) {
    return nullptr;
  }
  ++page_renders_;
  cache_.push_front({asset_, page_, width, height, std::move(surface)});
  size_t bytes = 0;
  for (size_t i = 0; i < cache_.size(); ++i) {
    bytes += static_cast<size_t>(cache_[i].width) * cache_[i].height * 4;
    if (i > 0 && bytes > kCacheBudgetBytes) {
      cache_.resize(i);
      break;
    }
  }
  return cache_.front().surface.get();
}

void PresentationPane::DrawPage(cairo_t* cr, Rect rect) {
  double page_w = 0;
  double page_h = 0;
  cairo_surface_t* page = nullptr;
  Rect where;
  if (PageSize(&page_w, &page_h)) {
    where = FitPage(rect, page_w, page_h);
    page = RenderedPage(where.width, where.height);
  }
  if (page == nullptr) {
    const std::string reason = "page " + std::to_string(page_) + " could not be rendered";
    media_.Warn("assets/" + asset_ + ": " + reason);
    DrawCard(cr, rect, rect.height / 720.0, asset_ + " — cannot be shown", reason);
    return;
  }
  cairo_set_source_surface(cr, page, where.x, where.y);
  cairo_rectangle(cr, where.x, where.y, where.width, where.height);
  cairo_fill(cr);
  if (annotations_ != nullptr) {
    for (const events::Shape& shape : *annotations_) {
      PaintShape(cr, shape, where);
    }
  }
}

void PresentationPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  if (kind_ == Pane2Kind::kScreenshare) {
    Fill(cr, rect, theme::kTileBackground);
    if (picture_ == nullptr) {
      DrawCard(cr, rect, scale, "Screen share — waiting for video",
               sharer_.empty() ? "" : "shared by " + sharer_);
    }
    return;
  }
  Fill(cr, rect, theme::kPaneBackground);
  if (!error_.empty()) {
    DrawCard(cr, rect, scale, asset_ + " — cannot be shown", error_);
    return;
  }
  DrawPage(cr, rect);
}

void PresentationPane::DrawLive(media::I420Frame& frame, Rect rect, double /*scale*/) {
  if (kind_ != Pane2Kind::kScreenshare || picture_ == nullptr) {
    return;
  }
  const media::VideoPicture& pic = *picture_;
  frame.ScaleInto(pic.y, pic.stride_y, pic.u, pic.stride_u, pic.v, pic.stride_v, pic.width,
                  pic.height, media::FitRect(rect, pic.width, pic.height));
}

// A centred card: a bold title and an optional reason below it, wrapped to the card.
void PresentationPane::DrawCard(cairo_t* cr, Rect rect, double scale, const std::string& title,
                                const std::string& detail) {
  // Text follows the canvas scale but stays legible and inside small panes.
  const double unit = std::max(0.5, std::min(scale, rect.height / 240.0));
  const double pad = 16 * unit;
  const double card_w = std::min(rect.width - 2 * pad, 560 * unit);
  if (card_w <= 2 * pad) {
    return;
  }
  TextStyle title_style{theme::kHeaderPx * unit, true, theme::kCardText};
  title_style.wrap = true;
  title_style.max_lines = 2;
  title_style.centre = true;
  TextStyle detail_style{theme::kBodyPx * unit, false, kCardDetail};
  detail_style.wrap = true;
  detail_style.max_lines = 3;
  detail_style.centre = true;
  const double text_w = card_w - 2 * pad;
  double tw = 0;
  double th = 0;
  double dw = 0;
  double dh = 0;
  MeasureText(cr, title, text_w, title_style, &tw, &th);
  if (!detail.empty()) {
    MeasureText(cr, detail, text_w, detail_style, &dw, &dh);
  }
  const double gap = detail.empty() ? 0 : 6 * unit;
  const double card_h = std::min<double>(rect.height, th + gap + dh + 2 * pad);
  const double x = rect.x + (rect.width - card_w) / 2;
  const double y = rect.y + (rect.height - card_h) / 2;
  SetSourceColour(cr, kCardBackground);
  FillRoundedRect(cr, x, y, card_w, card_h, 8 * unit);
  DrawText(cr, title, x + pad, y + pad, text_w, title_style);
  if (!detail.empty()) {
    DrawText(cr, detail, x + pad, y + pad + th + gap, text_w, detail_style);
  }
}

} // namespace ssr::compose
