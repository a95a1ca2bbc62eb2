#include "media/pdf_document.h"

#include <poppler.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>

namespace ssr::media {

namespace {

struct GErrorFree {
  void operator()(GError* e) const { g_error_free(e); }
};
using GErrorPtr = std::unique_ptr<GError, GErrorFree>;

struct GObjectUnref {
  void operator()(void* o) const { g_object_unref(o); }
};
using PagePtr = std::unique_ptr<PopplerPage, GObjectUnref>;

std::string Reason(const GError* error) {
  if (error != nullptr && error->domain == POPPLER_ERROR &&
      error->code == POPPLER_ERROR_ENCRYPTED) {
    return "the PDF is encrypted (password protected)";
  }
  const std::string detail = error != nullptr && error->message != nullptr ? error->message : "";
  return "the PDF is damaged or unreadable" + (detail.empty() ? "" : " (" + detail + ")");
}

} // namespace

bool PdfDocument::LooksLikePdf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[1024];
  in.read(head, sizeof head);
  return std::string_view(head, static_cast<size_t>(in.gcount())).find("%PDF-") !=
         std::string_view::npos;
}

PdfDocument::PdfDocument(const std::string& path) {
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).string();
  GError* raw = nullptr;
  gchar* uri = g_filename_to_uri(absolute.c_str(), nullptr, &raw);
  GErrorPtr error(raw);
  if (uri == nullptr) {
    throw std::runtime_error("cannot name the file as a URI: " + std::string(error->message));
  }
  raw = nullptr;
  doc_ = poppler_document_new_from_file(uri, nullptr, &raw);
  g_free(uri);
  error.reset(raw);
  if (doc_ == nullptr) {
    throw std::runtime_error(Reason(error.get()));
  }
  page_count_ = poppler_document_get_n_pages(doc_);
  if (page_count_ <= 0) {
    g_object_unref(doc_);
    throw std::runtime_error("the PDF has no pages");
  }
}

PdfDocument::~PdfDocument() { g_object_unref(doc_); }

bool PdfDocument::PageSize(int page, double* width_pt, double* height_pt) const {
  if (page < 1 || page > page_count_) {
    return false;
  }
  PagePtr p(poppler_document_get_page(doc_, page - 1));
  if (p == nullptr) {
    return false;
  }
  poppler_page_get_size(p.get(), width_pt, height_pt);
  return *width_pt > 0 && *height_pt > 0;
}

CairoSurfacePtr PdfDocument::Render(int page, int width, int height) const {
  if (page < 1 || page > page_count_ || width <= 0 || height <= 0) {
    return nullptr;
  }
  PagePtr p(poppler_document_get_page(doc_, page - 1));
  double w_pt = 0;
  double h_pt = 0;
  if (p == nullptr) {
    return nullptr;
  }
  poppler_page_get_size(p.get(), &w_pt, &h_pt);
  if (w_pt <= 0 || h_pt <= 0) {
    return nullptr;
  }
  CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return nullptr;
  }
  cairo_t* cr = cairo_create(surface.get());
  // PDF pages have no background of their own: they are printed on white paper.
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, width / w_pt, height / h_pt);
  poppler_page_render(p.get(), cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface.get());
  ++renders_;
  return surface;
}

} // namespace ssr::media
