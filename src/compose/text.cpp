#include "compose/text.h"

#include "compose/theme.h"

#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ssr::compose {

namespace {

std::string ValidUtf8(const std::string& text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    return text;
  }
  gchar* fixed = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(fixed);
  g_free(fixed);
  return out;
}

PangoLayout* MakeLayout(cairo_t* cr, const std::string& text, double width,
                        const TextStyle& style) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string(theme::kFontFamily);
  pango_font_description_set_absolute_size(font, style.size_px * PANGO_SCALE);
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_width(layout, static_cast<int>(std::max(1.0, width) * PANGO_SCALE));
  // Paragraphs follow their script's direction (Arabic aligns right); one-line labels keep
  // the left alignment of the column they sit in, their runs still ordered right to left.
  pango_layout_set_auto_dir(layout, style.wrap ? TRUE : FALSE);
  if (style.centre) {
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
  }
  if (style.wrap) {
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    if (style.max_lines > 0) {
      pango_layout_set_height(layout, -style.max_lines);
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    } else if (style.max_height_px > 0) {
      pango_layout_set_height(layout, static_cast<int>(style.max_height_px * PANGO_SCALE));
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    }
  } else {
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_single_paragraph_mode(layout, TRUE);
  }
  const std::string valid = ValidUtf8(text);
  pango_layout_set_text(layout, valid.c_str(), static_cast<int>(valid.size()));
  return layout;
}

} // namespace

void SetSourceColour(cairo_t* cr, uint32_t rgb, double alpha) {
  cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0, alpha);
}

void FillRoundedRect(cairo_t* cr, double x, double y, double w, double h, double radius) {
  radius = std::min({radius, w / 2, h / 2});
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - radius, y + radius, radius, -M_PI / 2, 0);
  cairo_arc(cr, x + w - radius, y + h - radius, radius, 0, M_PI / 2);
  cairo_arc(cr, x + radius, y + h - radius, radius, M_PI / 2, M_PI);
  cairo_arc(cr, x + radius, y + radius, radius, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  cairo_fill(cr);
}

double DrawText(cairo_t* cr, const std::string& text, double x, double y, double width,
                const TextStyle& style) {
  PangoLayout* layout = MakeLayout(cr, text, width, style);
  SetSourceColour(cr, style.colour);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  int w = 0;
  int h = 0;
  pango_layout_get_pixel_size(layout, &w, &h);
  g_object_unref(layout);
  return h;
}

void MeasureText(cairo_t* cr, const std::string& text, double width, const TextStyle& style,
                 double* out_width, double* out_height) {
  PangoLayout* layout = MakeLayout(cr, text, width, style);
  int w = 0;
  int h = 0;
  pango_layout_get_pixel_size(layout, &w, &h);
  g_object_unref(layout);
  *out_width = w;
  *out_height = h;
}

std::string FormatClock(double seconds) {
  long total = std::lround(std::max(0.0, std::floor(seconds)));
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%02ld:%02ld", total / 60, total % 60);
  }
  return buf;
}

std::string Initials(const std::string& name) {
  const std::string valid = ValidUtf8(name);
  std::string out;
  bool at_word_start = true;
  int taken = 0;
  for (const char* p = valid.c_str(); *p != '\0' && taken < 2; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_isspace(c)) {
      at_word_start = true;
      continue;
    }
    if (at_word_start && g_unichar_isalnum(c)) {
      char buf[8] = {};
      g_unichar_to_utf8(g_unichar_toupper(c), buf);
      out += buf;
      ++taken;
    }
    at_word_start = false;
  }
  return out.empty() ? "?" : out;
}

} // namespace ssr::compose
