#pragma once
// Writes one ingested track's media as received (no re-encoding) to the bundle's
// tracks/ID.webm (VP8, VP9, Opus) or tracks/ID.mkv (H.264), with the file's time 0 at the
// track's track.publish time, so that `ssr render` of the live session's bundle reproduces
// the recording. Clusters of ≤ 1 s are flushed as written: a crash loses at most ~1 s.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct AVFormatContext;

namespace ssr::record {

struct TrackCodec {
  std::string name;               // "VP8", "VP9", "H264", "OPUS"
  std::vector<uint8_t> extradata; // H.264 avcC
  int width = 0;                  // video only
  int height = 0;
};

class TrackFileWriter {
 public:
  // The file extension for a codec: ".webm" or ".mkv".
  static const char* Extension(const std::string& codec);

  // Creates the file. Throws std::runtime_error naming the file.
  TrackFileWriter(const std::filesystem::path& path, const TrackCodec& codec);
  ~TrackFileWriter();
  TrackFileWriter(const TrackFileWriter&) = delete;
  TrackFileWriter& operator=(const TrackFileWriter&) = delete;

  // One encoded frame at `t_s` seconds of the track; units stamped before the last one
  // written are dropped (the muxer needs non-decreasing times). Never throws: a write error
  // is logged once and the track file stops growing.
  void Write(const uint8_t* data, size_t size, double t_s, bool keyframe);

  // Writes cues and duration. Idempotent.
  void Finish();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  AVFormatContext* format_ = nullptr;
  int64_t last_ms_ = -1;
  bool failed_ = false;
  bool finished_ = false;
};

} // namespace ssr::record
