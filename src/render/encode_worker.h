#pragma once
// Encodes composed frames on its own thread, so composing frame n+1 overlaps encoding
// frame n. Frames travel through a small bounded pool: the composer never runs far ahead.

#include "encode/video_encoder.h"
#include "encode/webm_writer.h"
#include "media/i420_frame.h"
#include "record/part_writer.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace ssr::render {

// The record::VideoStage of `ssr render`.
class EncodeWorker : public record::VideoStage {
 public:
  EncodeWorker(encode::VideoEncoder& encoder, encode::WebmWriter& writer, int stream,
               int queue_frames = 6);
  ~EncodeWorker() override;

  // A frame to compose into (blocks while every frame is queued for encoding).
  media::I420Frame* AcquireFrame() override;
  // Queues a composed frame for encoding as picture `index` (a keyframe when `keyframe`).
  void Submit(media::I420Frame* frame, int64_t index, bool keyframe) override;
  // Encodes what is queued, flushes the encoder and stops; rethrows an encoding error.
  void Finish() override;

 private:
  void Run();

  encode::VideoEncoder& encoder_;
  encode::WebmWriter& writer_;
  int stream_;
  std::deque<media::I420Frame> frames_;
  std::deque<media::I420Frame*> free_;
  struct Job {
    media::I420Frame* frame = nullptr;
    int64_t index = 0;
    bool keyframe = false;
  };
  std::deque<Job> queued_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

} // namespace ssr::render
