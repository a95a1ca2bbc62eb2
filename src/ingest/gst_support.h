#pragma once
// Small helpers around GStreamer: one-time initialisation, owning pointers, buffer times on
// the monotonic clock.

#include "common/error.h"

#include <gst/gst.h>

#include <functional>
#include <memory>
#include <string>

namespace ssr::ingest {

// The media pipeline cannot run (a plugin missing, no free port, ICE that does not finish):
// ingest is unavailable now; asking again later may work.
class PipelineError : public Error {
 public:
  explicit PipelineError(const std::string& message) : Error(ErrorKind::kUnavailable, message) {}
};

// Initialises GStreamer once (thread-safe) and checks that the elements ingest needs exist;
// throws PipelineError naming a missing plugin.
void EnsureGstreamer();

struct GstObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr)
      gst_object_unref(object);
  }
};
using ElementPtr = std::unique_ptr<GstElement, GstObjectUnref>;

// Makes an element or throws naming the factory.
GstElement* MakeElement(const char* factory, const char* name = nullptr);

// A pipeline on the system clock in CLOCK_MONOTONIC, so buffer times + base time are
// steady_clock nanoseconds.
GstElement* MakeMonotonicPipeline(const std::string& name);

// CLOCK_MONOTONIC time of a buffer leaving `element`'s sink (its PTS as running time plus
// the element's base time), or -1 when it has none.
int64_t MonotonicNs(GstElement* element, GstSample* sample);

// Logs errors and warnings of a pipeline's bus on the "ingest" logger and calls `on_error`
// with the message of each error, on the thread that posted it. No main loop is needed.
void WatchBus(GstElement* pipeline, const std::string& what,
              std::function<void(const std::string&)> on_error);

} // namespace ssr::ingest
