#include "compose/panes/noteboard_pane.h"

#include "compose/text.h"
#include "compose/theme.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <vector>

namespace ssr::compose {

using media::Rect;

namespace {

constexpr uint32_t kPaper = 0xffffff;
constexpr uint32_t kInk = 0x1d2230;
constexpr uint32_t kCard = 0x3a4052;
constexpr double kMaxTextPx = 30; // sizes at 720p
constexpr double kMinTextPx = 12;
constexpr double kMarginPx = 8;   // pane background around the paper or the image
constexpr double kPaddingPx = 20; // paper around the text
constexpr size_t kMaxImages = 4;  // decoded images kept, and at most this many bytes of them
constexpr size_t kMaxImageBytes = size_t{128} << 20;
constexpr const char* kEllipsis = "\u2026";

Rect Inset(Rect r, int by) { return {r.x + by, r.y + by, r.width - 2 * by, r.height - 2 * by}; }

// The largest rectangle of the image's aspect centred in `box` (at least a pixel a side).
Rect FitInside(Rect box, int w, int h) {
  const double s =
      std::min(static_cast<double>(box.width) / w, static_cast<double>(box.height) / h);
  const int fw = std::max(1, static_cast<int>(std::lround(w * s)));
  const int fh = std::max(1, static_cast<int>(std::lround(h * s)));
  return {box.x + (box.width - fw) / 2, box.y + (box.height - fh) / 2, fw, fh};
}

size_t SurfaceBytes(cairo_surface_t* s) {
  return s == nullptr ? 0
                      : static_cast<size_t>(cairo_image_surface_get_stride(s)) *
                            static_cast<size_t>(cairo_image_surface_get_height(s));
}

// `text` cut after `bytes`, trailing spaces dropped, an ellipsis added. Line breaks stay, so
// that blank lines take their room and a cut is never shorter than a longer one.
std::string CutText(const std::string& text, size_t bytes) {
  std::string out = text.substr(0, bytes);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r')) {
    out.pop_back();
  }
  return out + kEllipsis;
}

void DrawPlaceholder(cairo_t* cr, Rect rect, double scale, const std::string& name) {
  const double w = std::min(rect.width * 0.8, 560 * scale);
  const double h = std::min(rect.height * 0.6, 140 * scale);
  const double x = rect.x + (rect.width - w) / 2;
  const double y = rect.y + (rect.height - h) / 2;
  SetSourceColour(cr, kCard);
  FillRoundedRect(cr, x, y, w, h, 10 * scale);
  TextStyle style{theme::kBodyPx * 1.3 * scale, false, theme::kCardText};
  style.wrap = true;
  style.max_lines = 3;
  style.centre = true;
  const std::string label = name + " \u2014 cannot be shown";
  const double pad = 12 * scale;
  double tw = 0;
  double th = 0;
  MeasureText(cr, label, w - 2 * pad, style, &tw, &th);
  DrawText(cr, label, x + pad, y + std::max(pad, (h - th) / 2), w - 2 * pad, style);
}

} // namespace

bool NoteboardPane::Prepare(const FrameContext& ctx) {
  const events::Pane3State& pane = ctx.room.pane3;
  if (pane.kind == events::Pane3Kind::kNone) {
    return false;
  }
  // The revision moves on every change pane 3 shows; only then is the content copied.
  if (!prepared_ || ctx.room.rev.pane3 != rev_ || ctx.room.id != room_id_) {
    prepared_ = true;
    room_id_ = ctx.room.id;
    rev_ = ctx.room.rev.pane3;
    key_ = HashCombine(rev_, std::hash<std::string>{}(room_id_));
    kind_ = pane.kind;
    text_ = pane.noteboard_text;
    asset_ = pane.image_asset;
  }
  return true;
}

void NoteboardPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  if (kind_ == events::Pane3Kind::kNoteboard) {
    DrawNoteboard(cr, rect, scale);
  } else if (kind_ == events::Pane3Kind::kImage) {
    DrawImage(cr, rect, scale);
  }
}

namespace {

// The largest size up to `size_px` at which every space-separated word of `text` fits in
// `width` on one line. Words with CJK characters are left out: those lines break between
// characters anyway. Only the first 200 words are measured (a long text shrinks by height).
double LongestWordFit(cairo_t* cr, const std::string& text, double width, double size_px) {
  TextStyle style{size_px, false, 0};
  double widest = 0;
  int measured = 0;
  size_t start = 0;
  while (start < text.size() && measured < 200) {
    size_t end = text.find_first_of(" \t\n", start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    bool breakable = false;
    for (unsigned char c : word) {
      breakable = breakable || c >= 0xe2; // UTF-8 lead byte of U+2000 and up (CJK, etc.)
    }
    if (word.empty() || breakable) {
      continue;
    }
    double w = 0;
    double h = 0;
    MeasureText(cr, word, 100000, style, &w, &h);
    widest = std::max(widest, w);
    ++measured;
  }
  return widest <= width || widest <= 0 ? size_px : size_px * width / widest * 0.98;
}

} // namespace

NoteboardPane::FittedText NoteboardPane::FitText(cairo_t* cr, const std::string& text, double width,
                                                 double height, double scale) {
  TextStyle style{kMaxTextPx * scale, false, kInk};
  style.wrap = true;
  const auto height_at = [&](double size_px, const std::string& s) {
    style.size_px = size_px;
    double w = 0;
    double h = 0;
    MeasureText(cr, s, width, style, &w, &h);
    return h;
  };
  const double min_px = kMinTextPx * scale;
  // A size at which the widest word still fits on a line: narrow panes shrink the text rather
  // than break words in the middle.
  const double max_px = std::max(min_px, LongestWordFit(cr, text, width, kMaxTextPx * scale));
  // No more characters than this fit at the smallest size (lines of the narrowest glyphs,
  // about 0.2 em): a longer text is cut without ever laying all of it out.
  const size_t cap = static_cast<size_t>((height / min_px + 1) * (width / (0.2 * min_px) + 1));
  std::vector<size_t> starts; // byte offsets of the first cap + 1 characters, then their end
  for (size_t i = 0; i < text.size() && starts.size() <= cap; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      starts.push_back(i);
    }
  }
  const bool over_cap = starts.size() > cap; // then starts[cap] ends the first cap characters
  if (!over_cap) {
    starts.push_back(text.size());
  }

  if (!over_cap) {
    const double at_max = height_at(max_px, text);
    if (at_max <= height) {
      return {max_px, text, false};
    }
    if (height_at(min_px, text) <= height) {
      // The text's area grows with the square of its size: try that guess first.
      double fits = min_px;
      double too_big = max_px;
      double guess = std::clamp(max_px * std::sqrt(height / at_max), min_px, max_px);
      while (too_big - fits > 0.5 * scale) {
        const double mid = guess > fits && guess < too_big ? guess : (fits + too_big) / 2;
        guess = 0;
        (height_at(mid, text) <= height ? fits : too_big) = mid;
      }
      return {fits, text, false};
    }
  }

  // Even the smallest size overflows: keep the longest start that fits with an ellipsis.
  const auto fits = [&](size_t k) { return height_at(min_px, CutText(text, starts[k])) <= height; };
  const size_t n = starts.size() - 1;
  size_t good = 0;
  size_t bad = n;
  // Start from what lines of average glyphs (0.5 em wide, 1.2 em high) would hold, then
  // gallop and bisect: a few layouts of about the text that fits, whatever the text's length.
  const double guess = (height / (1.2 * min_px)) * (width / (0.5 * min_px));
  size_t probe = std::clamp<size_t>(static_cast<size_t>(guess), 1, std::max<size_t>(1, n - 1));
  while (probe > good && probe < bad && fits(probe)) {
    good = probe;
    probe = std::min(bad - 1, good + std::max<size_t>(16, good / 2));
  }
  if (probe > good && probe < bad) {
    bad = probe;
  }
  while (bad - good > 2) {
    const size_t mid = good + (bad - good) / 2;
    (fits(mid) ? good : bad) = mid;
  }
  // Prefer a word boundary when there is one close before the cut.
  size_t cut = starts[good];
  for (size_t back = 0; back < 24 && good >= back + 1; ++back) {
    const char c = text[starts[good - back - 1]];
    if (c == ' ' || c == '\n') {
      cut = starts[good - back - 1];
      break;
    }
  }
  return {min_px, CutText(text, cut), true};
}

void NoteboardPane::DrawNoteboard(cairo_t* cr, Rect rect, double scale) {
  const uint64_t want = HashCombine(key_, (static_cast<uint64_t>(rect.width) << 32) | rect.height);
  if (paper_ == nullptr || paper_key_ != want) {
    // Laid out only when the text or the size changes: other redraws copy this picture.
    paper_.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, rect.width, rect.height));
    cairo_t* pc = cairo_create(paper_.get());
    SetSourceColour(pc, theme::kPaneBackground);
    cairo_paint(pc);
    const Rect paper = Inset({0, 0, rect.width, rect.height}, static_cast<int>(kMarginPx * scale));
    if (!paper.Empty()) {
      SetSourceColour(pc, kPaper);
      FillRoundedRect(pc, paper.x, paper.y, paper.width, paper.height, 4 * scale);
      const Rect box = Inset(paper, static_cast<int>(kPaddingPx * scale));
      if (!box.Empty()) {
        const FittedText fitted = FitText(pc, text_, box.width, box.height, scale);
        TextStyle style{fitted.size_px, false, kInk};
        style.wrap = true;
        cairo_rectangle(pc, paper.x, paper.y, paper.width, paper.height);
        cairo_clip(pc); // never past the paper, whatever the fonts do
        DrawText(pc, fitted.text, box.x, box.y, box.width, style);
      }
    }
    cairo_destroy(pc);
    cairo_surface_flush(paper_.get());
    paper_key_ = want;
    ++stats_.papers;
  }
  cairo_set_source_surface(cr, paper_.get(), rect.x, rect.y);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
}

NoteboardPane::CachedImage& NoteboardPane::Image(const std::string& asset) {
  auto it = images_.find(asset);
  if (it == images_.end()) {
    CachedImage entry;
    ++stats_.decodes;
    const std::string name = "assets/" + asset;
    const auto path = media_.AssetPath(asset);
    if (!path) {
      media_.Warn(name + ": no such file in the bundle; pane 3 shows a placeholder");
    } else {
      try {
        entry.decoded = media::LoadImage(*path);
      } catch (const std::exception& e) {
        media_.Warn(name + ": " + e.what() + "; pane 3 shows a placeholder");
      }
    }
    it = images_.emplace(asset, std::move(entry)).first;
  }
  it->second.last_used = ++use_clock_;
  EvictImages();
  return it->second;
}

void NoteboardPane::EvictImages() {
  // Drop the least recently shown images past the limits; the newest always stays.
  while (images_.size() > 1) {
    size_t bytes = 0;
    auto oldest = images_.begin();
    for (auto it = images_.begin(); it != images_.end(); ++it) {
      bytes += SurfaceBytes(it->second.decoded.get()) + SurfaceBytes(it->second.scaled.get());
      if (it->second.last_used < oldest->second.last_used) {
        oldest = it;
      }
    }
    if (images_.size() <= kMaxImages && bytes <= kMaxImageBytes) {
      return;
    }
    images_.erase(oldest);
  }
}

void NoteboardPane::DrawImage(cairo_t* cr, Rect rect, double scale) {
  SetSourceColour(cr, theme::kPaneBackground);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
  CachedImage& image = Image(asset_);
  if (image.decoded == nullptr) {
    DrawPlaceholder(cr, rect, scale, asset_);
    return;
  }
  cairo_surface_t* src = image.decoded.get();
  const int iw = cairo_image_surface_get_width(src);
  const int ih = cairo_image_surface_get_height(src);
  const Rect box = Inset(rect, static_cast<int>(kMarginPx * scale));
  if (box.Empty()) {
    return;
  }
  const Rect fit = FitInside(box, iw, ih);
  if (image.scaled == nullptr || cairo_image_surface_get_width(image.scaled.get()) != fit.width ||
      cairo_image_surface_get_height(image.scaled.get()) != fit.height) {
    // Scaled once per size; later redraws paint it 1:1.
    image.scaled.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, fit.width, fit.height));
    cairo_t* sc = cairo_create(image.scaled.get());
    cairo_scale(sc, static_cast<double>(fit.width) / iw, static_cast<double>(fit.height) / ih);
    cairo_set_source_surface(sc, src, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(sc), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(sc), CAIRO_EXTEND_PAD); // no dark seams
    cairo_paint(sc);
    cairo_destroy(sc);
    cairo_surface_flush(image.scaled.get());
    ++stats_.scalings;
  }
  cairo_set_source_surface(cr, image.scaled.get(), fit.x, fit.y);
  cairo_rectangle(cr, fit.x, fit.y, fit.width, fit.height);
  cairo_fill(cr);
}

} // namespace ssr::compose
