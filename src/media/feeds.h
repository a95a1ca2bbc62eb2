#pragma once
// Where the composer and the mixer get a track's media: a video picture at a track time and
// audio samples for a track time range. Files (offline render) and live ingest implement them.

#include "media/stream_limits.h"
#include "media/stream_url_policy.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ssr::media {

inline constexpr int kSampleRate = 48000;
inline constexpr int kChannels = 2;

// A view of a decoded picture, valid until the next call on its feed.
struct VideoPicture {
  const uint8_t* y = nullptr;
  const uint8_t* u = nullptr;
  const uint8_t* v = nullptr;
  int stride_y = 0;
  int stride_u = 0;
  int stride_v = 0;
  int width = 0;
  int height = 0;
};

class VideoFeed {
 public:
  virtual ~VideoFeed() = default;
  // The picture shown at `track_t` seconds from the track's time 0, or nullptr when there is
  // none: before the first picture, or when the feed has stalled for longer than the freeze
  // allowance (the tile then shows the participant's name card). Time only moves forward.
  virtual const VideoPicture* PictureAt(double track_t) = 0;
};

class AudioFeed {
 public:
  virtual ~AudioFeed() = default;
  // Adds `frames` stereo 48 kHz samples covering [track_t, track_t + frames/48000) into `mix`
  // (interleaved L R). Silence where the track has no audio. Time only moves forward.
  virtual void MixInto(double track_t, int frames, float* mix) = 0;
};

// What panes need from outside: a track's feeds and the session's assets.
class MediaProvider {
 public:
  virtual ~MediaProvider() = default;
  // A track's feeds, or nullptr for a track with no usable media; the provider reports why
  // once (e.g. a missing or corrupt file) and is asked again cheaply.
  virtual VideoFeed* Video(const std::string& track_id) = 0;
  virtual AudioFeed* Audio(const std::string& track_id) = 0;
  // The file of an asset (PDF, image, audio or video file) by its name, or nullopt when the
  // session has no such asset. Names are validated by the event parser (no '/' tricks).
  virtual std::optional<std::string> AssetPath(const std::string& name) = 0;
  // Reports a problem with an asset or a stream ("assets/slides.pdf: page 9 does not
  // exist"). Each distinct message is reported once.
  virtual void Warn(const std::string& message) = 0;
  // Which stream URLs may be opened (stream.start). By default only public http(s) hosts;
  // the recorder and `ssr render` pass the operator's allow-list (stream_url_allow).
  virtual const StreamUrlPolicy& StreamUrls() {
    static const StreamUrlPolicy kPublicOnly;
    return kPublicOnly;
  }
  // What a stream may cost (StreamReader).
  virtual StreamLimits StreamCaps() const { return {}; }
  // True when the caller runs on the wall clock (a live recording): a stream's frames that
  // have not arrived are not waited for. False (an offline render): the player waits for
  // them, within the stream's timeouts, so a render is the same every time.
  virtual bool RealTime() const { return false; }
};

} // namespace ssr::media
