#include "pdf_fixture.h"

#include "bundle_builder.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <stdexcept>

namespace ssr::test {

void WriteColourPdf(const std::filesystem::path& path, const std::vector<uint32_t>& colours,
                    double width_pt, double height_pt) {
  std::filesystem::create_directories(path.parent_path());
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), width_pt, height_pt);
  cairo_t* cr = cairo_create(surface);
  for (uint32_t rgb : colours) {
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
    cairo_paint(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("cannot write " + path.string() + ": " +
                             cairo_status_to_string(status));
  }
}

void WriteEncryptedPdf(const std::filesystem::path& in, const std::filesystem::path& out,
                       const std::string& password) {
  std::filesystem::create_directories(out.parent_path());
  // Owner password differs from the user password; 256-bit AES.
  const CommandResult r = RunCommand("qpdf --encrypt '" + password + "' owner-" + password +
                                     " 256 -- '" + in.string() + "' '" + out.string() + "'");
  if (r.exit_code != 0) {
    throw std::runtime_error("qpdf failed (scripts/install-deps installs it): " + r.output);
  }
}

void WriteColourImage(const std::filesystem::path& path, const std::string& colour, int width,
                      int height) {
  std::filesystem::create_directories(path.parent_path());
  const CommandResult r = RunCommand("ffmpeg -loglevel error -y -f lavfi -i color=c=" + colour +
                                     ":s=" + std::to_string(width) + "x" + std::to_string(height) +
                                     " -frames:v 1 '" + path.string() + "'");
  if (r.exit_code != 0) {
    throw std::runtime_error("ffmpeg failed: " + r.output);
  }
}

} // namespace ssr::test
