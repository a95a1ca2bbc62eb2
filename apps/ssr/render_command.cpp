// ssr render: a session bundle into a WebM and its chat .vtt.

#include "commands.h"

#include "encode/video_encoder.h"
#include "events/bundle.h"
#include "media/stream_url_policy.h"
#include "render/offline_renderer.h"
#include "render/snapshot.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <unistd.h>
#include <vector>

namespace ssr::app {

namespace {

struct RenderArgs {
  std::string bundle;
  std::string output;
  std::string room = "main";
  std::string size = "1280x720";
  int fps = 30;
  std::string codec = "vp9";
  std::string profile = "default";
  std::string bitrate; // empty: the profile's default
  bool screen_content = false;
  bool no_scene_keyframes = false;
  std::vector<std::string> encoder_options; // KEY=VALUE
  int threads = 0;
  std::string bench_report;
  double snapshot_t = -1;       // >= 0: write a PNG of the frame at this time instead
  std::string stream_url_allow; // comma-separated hosts/addresses (SSR_STREAM_URL_ALLOW)
};

bool ParseSize(const std::string& text, int* width, int* height) {
  static const std::regex kPattern(R"((\d{2,5})x(\d{2,5}))");
  std::smatch m;
  if (!std::regex_match(text, m, kPattern)) {
    return false;
  }
  *width = std::stoi(m[1]);
  *height = std::stoi(m[2]);
  return *width >= 160 && *height >= 90 && *width <= 7680 && *height <= 4320 && *width % 2 == 0 &&
         *height % 2 == 0;
}

void WriteBenchReport(const std::string& path, const render::RenderReport& r) {
  nlohmann::json j = {{"media_s", r.media_s},
                      {"frames", r.frames},
                      {"wall_s", r.wall_s},
                      {"static_redraws", r.static_redraws},
                      {"keyframes", r.keyframes},
                      {"scene_keyframes", r.scene_keyframes},
                      {"video_bitrate_bps", r.video_bitrate_bps},
                      {"compose_cpu_s", r.compose_cpu_s},
                      {"decode_cpu_s", r.decode_cpu_s},
                      {"mix_cpu_s", r.mix_cpu_s},
                      {"audio_encode_cpu_s", r.audio_encode_cpu_s},
                      {"mux_cpu_s", r.mux_cpu_s},
                      {"encode_cpu_s", r.video_encode_cpu_s},
                      {"total_cpu_s", r.total_cpu_s}};
  std::ofstream(path) << j.dump(2) << '\n';
}

int RunRender(const RenderArgs& args) {
  render::RenderOptions options;
  options.room = args.room;
  options.fps = args.fps;
  options.output = args.output;
  options.encoder_threads = args.threads;
  if (!ParseSize(args.size, &options.width, &options.height)) {
    std::cerr << "ssr render: --size '" << args.size
              << "' must be WIDTHxHEIGHT with even numbers, at least 160x90\n";
    return 2;
  }
  try {
    options.codec = encode::ParseVideoCodec(args.codec);
  } catch (const std::exception& e) {
    std::cerr << "ssr render: --video-codec: " << e.what() << '\n';
    return 2;
  }
  try {
    options.encoder_profile = encode::ParseEncoderProfile(args.profile);
  } catch (const std::exception& e) {
    std::cerr << "ssr render: --encoder-profile: " << e.what() << '\n';
    return 2;
  }
  if (!args.bitrate.empty()) {
    try {
      options.video_bitrate_bps = encode::ParseBitrate(args.bitrate);
    } catch (const std::exception& e) {
      std::cerr << "ssr render: --bitrate: " << e.what() << '\n';
      return 2;
    }
  }
  options.stream_url_allow = media::StreamUrlPolicy::ParseAllowList(args.stream_url_allow);
  for (const std::string& entry : options.stream_url_allow) {
    if (const std::string problem = media::StreamUrlPolicy::CheckAllowEntry(entry);
        !problem.empty()) {
      std::cerr << "ssr render: --stream-url-allow: " << problem << '\n';
      return 2;
    }
  }
  options.screen_content = args.screen_content;
  options.scene_keyframes = !args.no_scene_keyframes;
  for (const std::string& option : args.encoder_options) {
    const size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "ssr render: --encoder-option '" << option << "' must be KEY=VALUE\n";
      return 2;
    }
    options.encoder_extra[option.substr(0, eq)] = option.substr(eq + 1);
  }
  const bool on_terminal = isatty(STDERR_FILENO) != 0;
  if (on_terminal) {
    options.on_progress = [](double fraction, double speed) {
      std::fprintf(stderr, "\rrendering %5.1f%%  %.1fx realtime ", fraction * 100, speed);
      std::fflush(stderr);
    };
  }
  options.on_warning = [on_terminal](const std::string& message) {
    std::cerr << (on_terminal ? "\r" : "") << "ssr render: warning: " << message << '\n';
  };
  try {
    const events::Bundle bundle = events::LoadBundle(args.bundle);
    for (const std::string& w : bundle.warnings) {
      options.on_warning(w);
    }
    if (args.snapshot_t >= 0) {
      render::SnapshotOptions snapshot{
          options.room, options.width,      options.height,          args.snapshot_t,
          args.output,  options.on_warning, options.stream_url_allow};
      render::RenderSnapshot(bundle, snapshot);
      std::cerr << "ssr render: wrote " << args.output << " (the frame at " << args.snapshot_t
                << " s)\n";
      return 0;
    }
    const render::RenderReport report = render::RenderBundle(bundle, options);
    if (on_terminal) {
      std::fputc('\n', stderr);
    }
    std::cerr << "ssr render: wrote " << args.output << " (" << report.media_s << " s, "
              << report.frames << " frames, " << report.chat_cues << " chat cues) in "
              << report.wall_s << " s\n";
    if (!args.bench_report.empty()) {
      WriteBenchReport(args.bench_report, report);
    }
    return 0;
  } catch (const events::BundleError& e) {
    // Bundle errors name the file inside the bundle ("events.jsonl:7: ..."): show its path.
    const std::string what = e.what();
    const bool has_path = what.rfind(args.bundle, 0) == 0;
    std::cerr << (on_terminal ? "\n" : "") << "ssr render: error: "
              << (has_path ? what : (std::filesystem::path(args.bundle) / what).string()) << '\n';
  } catch (const std::exception& e) {
    std::cerr << (on_terminal ? "\n" : "") << "ssr render: error: " << e.what() << '\n';
  }
  return 1;
}

} // namespace

CommandRunner AddRenderCommand(CLI::App& app) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* cmd = app.add_subcommand("render", "Render one room of a session bundle to WebM");
  cmd->add_option("bundle", args->bundle, "Session bundle directory")->required();
  cmd->add_option("-o,--output", args->output, "Output WebM (the chat goes to the .vtt beside it)")
      ->required();
  cmd->add_option("--room", args->room, "Room to render")->capture_default_str();
  cmd->add_option("--size", args->size, "Canvas size WIDTHxHEIGHT")->capture_default_str();
  cmd->add_option("--fps", args->fps, "Frames per second")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  cmd->add_option("--video-codec", args->codec, "vp9 or vp8")->capture_default_str();
  cmd->add_option("--encoder-profile", args->profile,
                  "default (held constant bitrate, keyframes on scene changes) or legacy "
                  "(the settings before rate control, for comparison)")
      ->capture_default_str();
  cmd->add_option("--bitrate", args->bitrate,
                  "Video bitrate, e.g. 600k or 1.5M (default: 580k at 720p30, scaled by "
                  "pixels per second)");
  cmd->add_flag("--screen-content", args->screen_content, "Tune VP9 for screen content");
  cmd->add_flag("--no-scene-keyframes", args->no_scene_keyframes,
                "Keyframes only on the clock, not on slide and layout changes");
  cmd->add_option("--encoder-option", args->encoder_options,
                  "KEY=VALUE passed to libvpx through libavcodec (repeatable; experiments)");
  cmd->add_option("--threads", args->threads, "Encoder threads (0: every core)")
      ->check(CLI::Range(0, 64));
  cmd->add_option("--snapshot", args->snapshot_t,
                  "Write only the frame at this session time (seconds) as a PNG to -o")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--stream-url-allow", args->stream_url_allow,
                  "Comma-separated hosts and addresses stream.start URLs may reach although "
                  "not public (loopback, private ...); the default allows none")
      ->envname("SSR_STREAM_URL_ALLOW");
  cmd->add_option("--bench-report", args->bench_report,
                  "Write CPU time by stage as JSON to this file");
  return [args] { return RunRender(*args); };
}

} // namespace ssr::app
