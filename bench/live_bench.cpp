// Concurrent live recordings in one process: N LiveRecorders at 720p30 VP9 (one encoder
// thread each), each with 4 publishers (640x360 webcam pictures + microphones pushed in real
// time), a PDF slide with annotations, a whiteboard growing every 2 s and chat every 3 s.
// Reports, per N: CPU per recording, RSS per recording and late (dropped-deadline) frames.
//
// Usage: build/bench/ssr_live_bench [SECONDS] [N ...]   (defaults: 20 s; N = 1 2 4 6 8)
// The pictures are decoded once from examples/classroom before the clock starts, so the
// figures cover composing, mixing, encoding and muxing — not decoding the ingest's RTP.

#include "common/cpu_clock.h"
#include "events/event_parser.h"
#include "media/file_video_feed.h"
#include "record/live_recorder.h"

extern "C" {
#include <libavutil/log.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ssr::events::Event;

fs::path Classroom() { return fs::path(SSR_SOURCE_DIR) / "examples" / "classroom"; }

Event Ev(double t, const std::string& type, nlohmann::json fields) {
  fields["t"] = t;
  fields["type"] = type;
  fields["room"] = "main";
  return ssr::events::ParseEvent(fields);
}

// 30 decoded pictures of a webcam track, replayed in a loop.
std::vector<ssr::media::I420Frame> LoadPictures(const fs::path& track) {
  ssr::media::FileVideoFeed feed(track.string(), nullptr);
  std::vector<ssr::media::I420Frame> out;
  for (int i = 0; i < 30; ++i) {
    const ssr::media::VideoPicture* p = feed.PictureAt(5.0 + i / 30.0);
    if (p == nullptr) {
      break;
    }
    ssr::media::I420Frame f(p->width, p->height);
    f.ScaleInto(p->y, p->stride_y, p->u, p->stride_u, p->v, p->stride_v, p->width, p->height,
                {0, 0, p->width, p->height});
    out.push_back(std::move(f));
  }
  return out;
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
  }
  return 0;
}

struct Result {
  int n = 0;
  double cpu_per_recording = 0; // fraction of one core
  double rss_mib_per_recording = 0;
  int64_t frames = 0;
  int64_t late = 0;
  double max_lag_ms = 0;
};

Result RunOnce(int n, double seconds, const std::vector<std::vector<ssr::media::I420Frame>>& cams,
               const fs::path& out_dir) {
  const long rss_before = RssKiB();
  const double cpu_before = ssr::ProcessCpuSeconds();
  const Clock::time_point start = Clock::now();
  std::vector<std::unique_ptr<ssr::record::LiveMediaProvider>> providers;
  std::vector<std::unique_ptr<ssr::record::LiveRecorder>> recorders;
  const char* names[] = {"maria", "layla", "aiko", "ravi"};
  for (int r = 0; r < n; ++r) {
    providers.push_back(std::make_unique<ssr::record::LiveMediaProvider>(Classroom() / "assets"));
    ssr::record::LiveRecorderOptions o;
    o.output = out_dir / ("live-" + std::to_string(r) + ".webm");
    recorders.push_back(
        std::make_unique<ssr::record::LiveRecorder>(o, *providers.back(), start, 0));
    auto& rec = *recorders.back();
    for (int p = 0; p < 4; ++p) {
      const std::string id = names[p];
      rec.PostEvent(Ev(0, "participant.join",
                       {{"id", id}, {"name", id}, {"role", p == 0 ? "host" : "attendee"}}));
      rec.PostEvent(Ev(
          0, "track.publish",
          {{"track", "cam-" + id}, {"participant", id}, {"kind", "video"}, {"source", "camera"}}));
      rec.PostEvent(Ev(0, "track.publish",
                       {{"track", "mic-" + id},
                        {"participant", id},
                        {"kind", "audio"},
                        {"source", "microphone"}}));
    }
    rec.PostEvent(Ev(0, "presentation.show", {{"asset", "week3-slides.pdf"}, {"page", 2}}));
    rec.Start();
  }
  std::vector<float> tone(960 * 2);
  int64_t frames_pushed = 0;
  int64_t blocks_pushed = 0;
  int64_t strokes = 0;
  for (double now = 0; now < seconds;
       now = std::chrono::duration<double>(Clock::now() - start).count()) {
    for (; frames_pushed / 30.0 <= now; ++frames_pushed) {
      for (int r = 0; r < n; ++r) {
        for (int p = 0; p < 4; ++p) {
          const auto& f = cams[p][frames_pushed % cams[p].size()];
          providers[r]
              ->VideoFeedFor(std::string("cam-") + names[p])
              .Push(frames_pushed / 30.0, {f.y(), f.u(), f.v(), f.stride_y(), f.stride_uv(),
                                           f.stride_uv(), f.width(), f.height()});
        }
      }
    }
    for (; blocks_pushed * 0.02 <= now; ++blocks_pushed) {
      for (int i = 0; i < 960; ++i) {
        tone[i * 2] = tone[i * 2 + 1] = static_cast<float>(
            0.1 * std::sin(2 * M_PI * 440 * (blocks_pushed * 960 + i) / 48000.0));
      }
      for (int r = 0; r < n; ++r) {
        for (int p = 0; p < 4; ++p) {
          providers[r]
              ->AudioFeedFor(std::string("mic-") + names[p])
              .Push(blocks_pushed * 0.02, tone.data(), 960);
        }
      }
    }
    for (; strokes * 2.0 <= now; ++strokes) {
      const double y = 0.1 + 0.02 * (strokes % 40);
      for (auto& rec : recorders) {
        rec->PostEvent(Ev(now, "whiteboard.add",
                          {{"id", "w" + std::to_string(strokes)},
                           {"shape", "pen"},
                           {"color", "#d62828"},
                           {"width", 0.005},
                           {"points", {{0.1, y}, {0.5, y + 0.05}, {0.9, y}}}}));
        rec->PostEvent(Ev(now, "annotation.add",
                          {{"id", "a" + std::to_string(strokes)},
                           {"shape", "line"},
                           {"color", "#1d4e89"},
                           {"width", 0.004},
                           {"points", {{0.1, y}, {0.6, y}}}}));
        if (strokes % 2 == 0) {
          rec->PostEvent(Ev(now, "chat.message",
                            {{"from", "aiko"}, {"text", "message " + std::to_string(strokes)}}));
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Result result{n};
  const long rss_peak = RssKiB();
  for (auto& rec : recorders) {
    const auto stats = rec->Stop();
    result.frames += stats.frames;
    result.late += stats.late_frames;
    result.max_lag_ms = std::max(result.max_lag_ms, stats.max_lag_ms);
  }
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  result.cpu_per_recording = (ssr::ProcessCpuSeconds() - cpu_before) / wall / n;
  result.rss_mib_per_recording = static_cast<double>(rss_peak - rss_before) / 1024.0 / n;
  return result;
}

} // namespace

int main(int argc, char** argv) {
  av_log_set_level(AV_LOG_ERROR);
  const double seconds = argc > 1 ? std::atof(argv[1]) : 20;
  std::vector<int> counts;
  for (int i = 2; i < argc; ++i) {
    counts.push_back(std::atoi(argv[i]));
  }
  if (counts.empty()) {
    counts = {1, 2, 4, 6, 8};
  }
  std::vector<std::vector<ssr::media::I420Frame>> cams;
  for (const char* t : {"cam-maria", "cam-layla", "cam-aiko", "cam-ravi-1"}) {
    cams.push_back(LoadPictures(Classroom() / "tracks" / (std::string(t) + ".webm")));
  }
  const fs::path out = fs::temp_directory_path() / "ssr-live-bench";
  fs::create_directories(out);
  std::printf("| recordings | CPU per recording (%% of a core) | CPU total (%% of 2 cores) | RSS "
              "per recording MiB | late frames | max lag ms |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  for (int n : counts) {
    const Result r = RunOnce(n, seconds, cams, out);
    std::printf("| %d | %.1f | %.0f | %.1f | %lld of %lld (%.2f %%) | %.0f |\n", n,
                r.cpu_per_recording * 100, r.cpu_per_recording * n * 50, r.rss_mib_per_recording,
                static_cast<long long>(r.late), static_cast<long long>(r.frames),
                r.frames > 0 ? 100.0 * r.late / r.frames : 0.0, r.max_lag_ms);
    std::fflush(stdout);
  }
  fs::remove_all(out);
}
