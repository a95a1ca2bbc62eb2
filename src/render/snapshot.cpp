#include "render/snapshot.h"

#include "compose/composer.h"
#include "events/room_state.h"
#include "media/image_loader.h"
#include "render/bundle_media_provider.h"
#include "render/offline_renderer.h"

#include <libyuv/convert_argb.h>

#include <stdexcept>

namespace ssr::render {

void RenderSnapshot(const events::Bundle& bundle, const SnapshotOptions& o) {
  auto warn = [&](const std::string& message) {
    if (o.on_warning) {
      o.on_warning(message);
    }
  };
  RoomStartTime(bundle, o.room); // rejects a room that never exists
  BundleMediaProvider media(bundle, warn, media::StreamUrlPolicy(o.stream_url_allow));
  compose::Composer composer(o.width, o.height, media);
  events::SessionState state;
  std::vector<std::string> warnings;
  for (const events::Event& e : bundle.events) {
    if (e.t > o.t + 1e-9) {
      break;
    }
    state.Apply(e, &warnings);
  }
  for (const std::string& w : warnings) {
    warn(w);
  }
  media::I420Frame frame;
  composer.Compose(state, o.room, o.t, &frame);

  media::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, o.width, o.height));
  cairo_surface_flush(surface.get());
  libyuv::I420ToARGB(frame.y(), frame.stride_y(), frame.u(), frame.stride_uv(), frame.v(),
                     frame.stride_uv(), cairo_image_surface_get_data(surface.get()),
                     cairo_image_surface_get_stride(surface.get()), o.width, o.height);
  cairo_surface_mark_dirty(surface.get());
  if (cairo_surface_write_to_png(surface.get(), o.output.c_str()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(o.output.string() + ": cannot write the PNG");
  }
}

} // namespace ssr::render
