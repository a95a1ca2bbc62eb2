#pragma once
// Text drawn with Pango on Cairo: real shaping (any script, right-to-left, emoji through
// fontconfig fallback), wrapping and ellipsizing.

#include <cairo.h>

#include <cstdint>
#include <string>

namespace ssr::compose {

struct TextStyle {
  double size_px = 14;
  bool bold = false;
  uint32_t colour = 0x000000; // 0xrrggbb
  bool wrap = false;          // wrap within the width; otherwise one line, ellipsized
  int max_lines = 0;          // with wrap: 0 = unlimited
  double max_height_px = 0;   // with wrap: cut with an ellipsis past this height (0 = none)
  bool centre = false;
};

// Draws `text` with its top left at (x, y) within `width` pixels. Returns the height used.
// Invalid UTF-8 is replaced, never rejected.
double DrawText(cairo_t* cr, const std::string& text, double x, double y, double width,
                const TextStyle& style);

// The size the text would take (without drawing).
void MeasureText(cairo_t* cr, const std::string& text, double width, const TextStyle& style,
                 double* out_width, double* out_height);

void SetSourceColour(cairo_t* cr, uint32_t rgb, double alpha = 1.0);
void FillRoundedRect(cairo_t* cr, double x, double y, double w, double h, double radius);

// "mm:ss" or "h:mm:ss" for a session time in seconds.
std::string FormatClock(double seconds);

// Up to two initials of a name (grapheme-aware enough for names in any script).
std::string Initials(const std::string& name);

} // namespace ssr::compose
