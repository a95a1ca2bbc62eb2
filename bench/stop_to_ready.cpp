// Stop -> ready of one long part, without recording it live: the storing and verification
// path of recording control (RecordingController::ProcessPending: DirectoryStorage::Put, which
// hard-links or copies the part, reads the stored file back and checks size and SHA-256).
//
//   ssr_stop_to_ready_bench PART.webm [--copy] [--runs N]
//
// A recorder port "records" by linking PART.webm into place when the part stops, so the
// timing covers exactly what happens after a stop. --copy stores across filesystems
// (storage under /dev/shm when the part is on disk), which copies while hashing.
// Prints one JSON object per run.

#include "control/recording_controller.h"
#include "events/event_parser.h"
#include "storage/directory_storage.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>

namespace {

namespace fs = std::filesystem;
using namespace ssr::control;
using ssr::notify::NotificationHub;
using ssr::storage::DirectoryStorage;

// Becomes `source` when the part stops (a hard link: instant, like a recorder's own file).
class LinkingRecorder : public RecorderPort {
 public:
  explicit LinkingRecorder(fs::path source) : source_(std::move(source)) {}
  void StartPart(const std::string&, int, const std::string&, const fs::path& webm, double,
                 const PartVideo&) override {
    webm_ = webm;
    fs::create_directories(webm.parent_path());
  }
  bool Flowing(const std::string&) override { return true; }
  PartStats StopPart(const std::string&, double) override {
    std::error_code ec;
    fs::remove(webm_, ec);
    fs::create_hard_link(source_, webm_, ec);
    if (ec)
      fs::copy_file(source_, webm_); // another filesystem: copied before the clock starts
    return {};
  }

 private:
  fs::path source_;
  fs::path webm_;
};

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ssr_stop_to_ready_bench PART.webm [--copy] [--runs N]\n";
    return 2;
  }
  const fs::path part = fs::absolute(argv[1]);
  bool copy = false;
  int runs = 3;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--copy") == 0)
      copy = true;
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = std::atoi(argv[++i]);
  }
  // Work beside the part (same filesystem: the hard-link path) unless --copy.
  const fs::path work = part.parent_path() / ("stop-to-ready-" + std::to_string(::getpid()));
  const fs::path storage_root = copy ? fs::path("/dev/shm") / work.filename() : work / "storage";
  for (int run = 1; run <= runs; ++run) {
    fs::remove_all(work);
    fs::remove_all(storage_root);
    fs::create_directories(work);
    ssr::store::Database database(work / "ssr.db");
    RecordingStore store(database);
    OrgSettings settings;
    settings.max_part_duration_s = 0;
    store.SaveSettings(settings);
    LinkingRecorder recorder(part);
    DirectoryStorage storage(storage_root);
    NotificationHub hub(nullptr);
    ControllerOptions options;
    options.parts_dir = work / "live";
    RecordingController controller(store, recorder, storage, hub, options);
    const double wall = 1'800'000'000;
    controller.OpenSession({"s", "Bench", false, wall});
    controller.OnEvent(wall, "s",
                       ssr::events::ParseEvent({{"t", 0},
                                                {"type", "participant.join"},
                                                {"id", "h"},
                                                {"name", "H"},
                                                {"role", "host"}}));
    const Recording r = controller.Start(wall, "s", "main", "", "bench");
    controller.Tick(wall + 1);
    controller.Stop(wall + 7200, r.id); // the part is in place now
    const auto t0 = std::chrono::steady_clock::now();
    controller.ProcessPending(wall + 7200);
    const double store_s = Seconds(std::chrono::steady_clock::now() - t0);
    const auto done = controller.Find(r.id);
    const auto parts = controller.Parts(r.id);
    std::cout << nlohmann::json{{"run", run},
                                {"mode", copy ? "copy" : "hard-link"},
                                {"status", StatusName(done->status)},
                                {"size_bytes", parts.at(0).size_bytes},
                                {"stop_to_ready_s", store_s}}
                     .dump()
              << std::endl;
    if (done->status != RecordingStatus::kReady)
      return 1;
  }
  fs::remove_all(work);
  fs::remove_all(storage_root);
  return 0;
}
