#pragma once
// One kind (video or audio) of a stream URL (stream.start), opened and decoded on a thread of
// its own, so a slow or hostile server never holds the composer's or the mixer's thread: they
// take the frames that have arrived (FrameSource). Everything that can block runs there: the
// URL policy's name lookup, the open (under its deadline), every read.
//
// The reader also holds the stream to its limits: the URL policy, a cap on the picture size
// (refused at the open, and not decoded if it grows later) and on the bitrate (averaged from
// StreamLimits::bitrate_window_s after the open; a stream over it is ended with the reason).
//
// Closing never waits: the destructor cancels every blocking call (FFmpeg's interrupt
// callback) and leaves the thread to finish on its own; the thread touches nothing but the
// state it shares with the reader. Warnings from the thread are handed to the caller's sink
// on the caller's thread, in Next.

#include "media/av_util.h"
#include "media/stream_decoder.h"
#include "media/stream_limits.h"
#include "media/stream_url_policy.h"

#include <cstdint>
#include <memory>
#include <string>

namespace ssr::media {

class StreamReader : public FrameSource {
 public:
  enum class Opened {
    kPending, // still opening
    kOpen,    // frames are coming (the first is decoded)
    kNone,    // the stream is up but has nothing of this kind (e.g. no audio)
    kFailed,  // could not be opened: error(), retry()
  };

  // Starts opening `url` (a stream URL the event parser accepted) on the reader's thread.
  // `options`: timeouts, deadline and protocols as for any remote stream; `wait_s`: how long
  // Next waits for a frame that has not arrived (0: never — a live recording).
  StreamReader(const std::string& url, AVMediaType type, StreamUrlPolicy policy,
               OpenOptions options, StreamLimits limits, StreamDecoder::WarningSink warn,
               double wait_s);
  ~StreamReader() override;
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  // The open's outcome, waiting up to `wait_s` for it (0: just look).
  Opened WaitOpened(double wait_s);
  // After kFailed: why, and whether it may work later (a stream that is down, a name that does
  // not resolve now) rather than never (a URL the policy refuses).
  std::string error() const;
  bool retry() const;
  // After kOpen or kNone: what the stream holds, and how long the open took (wall clock).
  InputInfo info() const;
  double open_seconds() const;

  Pull Next(AVFrame* frame, double& seconds) override;
  bool at_end() const override;
  std::string TruncationWarning(double last_media_t) const override;
  void Warn(const std::string& message) const override;

 private:
  struct Shared; // between the reader and its thread
  static void Run(const std::shared_ptr<Shared>& shared, const std::string& url);
  void DeliverWarnings();

  std::shared_ptr<Shared> shared_;
  StreamDecoder::WarningSink warn_;
  double wait_s_;
};

} // namespace ssr::media
