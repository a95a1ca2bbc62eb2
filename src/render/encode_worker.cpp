#include "render/encode_worker.h"

namespace ssr::render {

EncodeWorker::EncodeWorker(encode::VideoEncoder& encoder, encode::WebmWriter& writer, int stream,
                           int queue_frames)
    : encoder_(encoder), writer_(writer), stream_(stream), frames_(queue_frames) {
  for (auto& frame : frames_) {
    free_.push_back(&frame);
  }
  thread_ = std::thread([this] { Run(); });
}

EncodeWorker::~EncodeWorker() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

media::I420Frame* EncodeWorker::AcquireFrame() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !free_.empty() || error_; });
  if (error_) {
    std::rethrow_exception(error_);
  }
  media::I420Frame* frame = free_.front();
  free_.pop_front();
  return frame;
}

void EncodeWorker::Submit(media::I420Frame* frame, int64_t index, bool keyframe) {
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(Job{frame, index, keyframe});
  }
  changed_.notify_all();
}

void EncodeWorker::Run() {
  const AVRational time_base = encoder_.context()->time_base;
  auto sink = [&](AVPacket* packet) { writer_.WritePacket(packet, time_base, stream_); };
  try {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !queued_.empty() || closing_; });
        if (queued_.empty()) {
          break;
        }
        job = queued_.front();
        queued_.pop_front();
      }
      encoder_.Encode(*job.frame, job.index, sink, job.keyframe);
      {
        std::lock_guard lock(mutex_);
        free_.push_back(job.frame);
      }
      changed_.notify_all();
    }
    encoder_.Flush(sink);
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  changed_.notify_all();
}

void EncodeWorker::Finish() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (error_) {
    std::rethrow_exception(error_);
  }
}

} // namespace ssr::render
