// Composer cost per frame (Google Benchmark):
//  - a classroom frame where nothing changed (static layer cached: only copied);
//  - a frame where only webcams moved (four 640x360 tiles decoded and scaled);
//  - a frame where the side bar changed (a chat message: static layer redrawn).
// Run: build/bench/ssr_compose_bench [--benchmark_filter=...]; the classroom cases need
// examples/classroom (scripts/make-classroom), or the bundle named by SSR_BENCH_BUNDLE.

#include "compose/composer.h"
#include "events/bundle.h"
#include "events/event_parser.h"
#include "events/room_state.h"
#include "render/bundle_media_provider.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

namespace {

using ssr::events::Bundle;
using ssr::events::SessionState;

// SSR_BENCH_BUNDLE picks another bundle (e.g. examples/busy-classroom, every pane busy).
std::filesystem::path Classroom() {
  if (const char* bundle = std::getenv("SSR_BENCH_BUNDLE")) {
    return bundle;
  }
  return std::filesystem::path(SSR_SOURCE_DIR) / "examples" / "classroom";
}

SessionState StateAt(const Bundle& bundle, double t) {
  SessionState state;
  for (const auto& e : bundle.events) {
    if (e.t > t) {
      break;
    }
    state.Apply(e, nullptr);
  }
  return state;
}

void BM_ComposeNothingChanged(benchmark::State& s) {
  Bundle bundle = ssr::events::LoadBundle(Classroom());
  ssr::render::BundleMediaProvider media(bundle, [](const std::string&) {});
  ssr::compose::Composer composer(1280, 720, media);
  SessionState state = StateAt(bundle, 30);
  ssr::media::I420Frame frame;
  composer.Compose(state, "main", 30, &frame); // warm: static layer drawn, feeds open
  for (auto _ : s) {
    composer.Compose(state, "main", 30, &frame); // same time: pictures unchanged
    benchmark::DoNotOptimize(frame.y());
  }
  s.counters["static_redraws"] = static_cast<double>(composer.stats().static_redraws);
}
BENCHMARK(BM_ComposeNothingChanged)->Unit(benchmark::kMicrosecond);

void BM_ComposeWebcamsMoving(benchmark::State& s) {
  Bundle bundle = ssr::events::LoadBundle(Classroom());
  ssr::render::BundleMediaProvider media(bundle, [](const std::string&) {});
  ssr::compose::Composer composer(1280, 720, media);
  SessionState state = StateAt(bundle, 30);
  ssr::media::I420Frame frame;
  double t = 30;
  for (auto _ : s) {
    t += 1.0 / 30; // feeds only move forward: the iteration count keeps t within the media
    composer.Compose(state, "main", t, &frame);
    benchmark::DoNotOptimize(frame.y());
  }
}
BENCHMARK(BM_ComposeWebcamsMoving)->Unit(benchmark::kMicrosecond)->Iterations(1200);

void BM_ComposeSidebarChanged(benchmark::State& s) {
  Bundle bundle = ssr::events::LoadBundle(Classroom());
  ssr::render::BundleMediaProvider media(bundle, [](const std::string&) {});
  ssr::compose::Composer composer(1280, 720, media);
  SessionState state = StateAt(bundle, 30);
  const std::string from = state.ParticipantsIn("main").front()->id;
  ssr::media::I420Frame frame;
  composer.Compose(state, "main", 30, &frame); // warm: fonts loaded, feeds open
  int n = 0;
  for (auto _ : s) {
    s.PauseTiming();
    nlohmann::json e = {{"t", 30},
                        {"type", "chat.message"},
                        {"from", from},
                        {"text", "message " + std::to_string(n++)}};
    state.Apply(ssr::events::ParseEvent(e), nullptr);
    s.ResumeTiming();
    composer.Compose(state, "main", 30, &frame);
    benchmark::DoNotOptimize(frame.y());
  }
}
BENCHMARK(BM_ComposeSidebarChanged)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
