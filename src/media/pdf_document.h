#pragma once
// A PDF opened with Poppler (glib): its page count and sizes, and any page rendered as
// vectors into a Cairo surface of exactly the size it is shown at (sharp at any canvas size).

#include "media/image_loader.h"

#include <cstdint>
#include <memory>
#include <string>

// Poppler's own name for its document struct (declared here to keep poppler.h out of users).
typedef struct _PopplerDocument PopplerDocument; // NOLINT(bugprone-reserved-identifier)

namespace ssr::media {

class PdfDocument {
 public:
  // Throws std::runtime_error with a readable reason: cannot be read, encrypted (password
  // protected), damaged or not a PDF, no pages.
  explicit PdfDocument(const std::string& path);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // Whether the file starts like a PDF ("%PDF-" within its first 1024 bytes, as readers allow).
  static bool LooksLikePdf(const std::string& path);

  int page_count() const { return page_count_; }

  // A page's size in points (rotation applied); false when `page` (1-based) does not exist.
  bool PageSize(int page, double* width_pt, double* height_pt) const;

  // Renders page `page` (1-based) stretched to width x height pixels on white paper.
  // Returns null (never throws) when the page does not exist or the surface cannot be made.
  CairoSurfacePtr Render(int page, int width, int height) const;

  // How many pages this document has rendered (to check that caches work).
  uint64_t renders() const { return renders_; }

 private:
  PopplerDocument* doc_ = nullptr;
  int page_count_ = 0;
  mutable uint64_t renders_ = 0;
};

} // namespace ssr::media
