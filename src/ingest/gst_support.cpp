#include "ingest/gst_support.h"

#include "common/log.h"

#include <mutex>
#include <stdexcept>

namespace ssr::ingest {

void EnsureGstreamer() {
  static std::once_flag once;
  static std::string missing;
  std::call_once(once, [] {
    gst_init(nullptr, nullptr);
    for (const char* factory :
         {"webrtcbin", "rtpbin", "udpsrc", "rtpvp8depay", "rtpvp9depay", "rtph264depay",
          "rtpopusdepay", "vp8dec", "vp9dec", "avdec_h264", "h264parse", "opusdec", "videoconvert",
          "audioconvert", "audioresample", "appsink", "tee"}) {
      GstElementFactory* f = gst_element_factory_find(factory);
      if (f == nullptr) {
        missing += missing.empty() ? factory : std::string(", ") + factory;
      } else {
        gst_object_unref(f);
      }
    }
  });
  if (!missing.empty()) {
    throw PipelineError("GStreamer elements missing (install scripts/install-deps): " + missing);
  }
}

GstElement* MakeElement(const char* factory, const char* name) {
  GstElement* element = gst_element_factory_make(factory, name);
  if (element == nullptr) {
    throw PipelineError(std::string("cannot create GStreamer element ") + factory);
  }
  return element;
}

GstElement* MakeMonotonicPipeline(const std::string& name) {
  GstElement* pipeline = gst_pipeline_new(name.c_str());
  GstClock* clock = gst_system_clock_obtain();
  g_object_set(clock, "clock-type", GST_CLOCK_TYPE_MONOTONIC, nullptr);
  gst_pipeline_use_clock(GST_PIPELINE(pipeline), clock);
  gst_object_unref(clock);
  return pipeline;
}

int64_t MonotonicNs(GstElement* element, GstSample* sample) {
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  const GstSegment* segment = gst_sample_get_segment(sample);
  if (buffer == nullptr || segment == nullptr || !GST_BUFFER_PTS_IS_VALID(buffer)) {
    return -1;
  }
  const guint64 running =
      gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
  if (running == GST_CLOCK_TIME_NONE) {
    return -1;
  }
  return static_cast<int64_t>(running + gst_element_get_base_time(element));
}

namespace {

struct BusWatch {
  std::string what;
  std::function<void(const std::string&)> on_error;
};

GstBusSyncReply OnBusMessage(GstBus*, GstMessage* message, gpointer data) {
  auto* watch = static_cast<BusWatch*>(data);
  const GstMessageType type = GST_MESSAGE_TYPE(message);
  if (type == GST_MESSAGE_ERROR || type == GST_MESSAGE_WARNING) {
    GError* error = nullptr;
    gchar* debug = nullptr;
    if (type == GST_MESSAGE_ERROR) {
      gst_message_parse_error(message, &error, &debug);
    } else {
      gst_message_parse_warning(message, &error, &debug);
    }
    const std::string text = std::string(GST_OBJECT_NAME(GST_MESSAGE_SRC(message))) + ": " +
                             (error != nullptr ? error->message : "unknown");
    if (type == GST_MESSAGE_ERROR) {
      Logger("ingest")->warn("{}: {}", watch->what, text);
      if (watch->on_error)
        watch->on_error(text);
    } else {
      Logger("ingest")->debug("{}: {}", watch->what, text);
    }
    if (error != nullptr)
      g_error_free(error);
    g_free(debug);
  }
  // A sync handler that drops a message owns it (GstBusSyncHandler): unref it, or every
  // message keeps its source element, and with it the whole pipeline, alive.
  gst_message_unref(message);
  return GST_BUS_DROP;
}

} // namespace

void WatchBus(GstElement* pipeline, const std::string& what,
              std::function<void(const std::string&)> on_error) {
  GstBus* bus = gst_element_get_bus(pipeline);
  gst_bus_set_sync_handler(bus, OnBusMessage, new BusWatch{what, std::move(on_error)},
                           [](gpointer data) { delete static_cast<BusWatch*>(data); });
  gst_object_unref(bus);
}

} // namespace ssr::ingest
