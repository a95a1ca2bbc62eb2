// Stop -> ready of one long part stored in S3, through recording control's own path: the
// controller registers the part with the storage backend when it starts (S3Storage::Growing),
// a recorder port writes the part file while the "class" runs, and after the stop
// RecordingController::ProcessPending stores it (S3Storage::Put) and marks it ready.
//
//   ssr_s3_stop_to_ready_bench --endpoint URL --bucket B --mode MODE --size-bytes N
//                              --grow-s S [--part-size BYTES] [--work DIR]
//
// MODE: progressive (chunks sent while the part grows), after-stop (the same multipart
// upload, all of it after the stop: the backend is not told the part grows), single-put (one
// PUT and a read-back of the whole object after the stop: how parts were stored before
// progressive uploads, part_size_bytes raised to 5 GiB).
// The part file grows to N bytes over S seconds (a 2-hour class at 1-2 Mbit/s is 1-2 GB,
// written faster than real time); at the stop its first 4 KiB are rewritten and 64 KiB
// appended, as the WebM muxer rewrites the header and appends the cues. Afterwards the
// object is read back and compared with the part file (SHA-256). Prints one JSON object.

#include "control/recording_controller.h"
#include "events/event_parser.h"
#include "storage/s3_storage.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace ssr::control;
using ssr::notify::NotificationHub;
using ssr::storage::S3Storage;
using ssr::storage::StorageBackend;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Writes the part file at an even rate while recording; finishes it as a muxer does.
class GrowingRecorder : public RecorderPort {
 public:
  GrowingRecorder(uint64_t size_bytes, double grow_s, fs::path keep)
      : size_bytes_(size_bytes), grow_s_(grow_s), keep_(std::move(keep)) {}
  ~GrowingRecorder() override {
    if (writer_.joinable())
      writer_.join();
  }
  void StartPart(const std::string&, int, const std::string&, const fs::path& webm, double,
                 const PartVideo&) override {
    webm_ = webm;
    fs::create_directories(webm.parent_path());
    writer_ = std::thread([this] { Write(); });
  }
  bool Flowing(const std::string&) override { return true; }
  PartStats StopPart(const std::string&, double) override {
    writer_.join();
    std::fstream file(webm_, std::ios::in | std::ios::out | std::ios::binary);
    const std::string header(4096, 'H'); // the header, rewritten at the end
    file.write(header.data(), static_cast<std::streamsize>(header.size()));
    file.seekp(0, std::ios::end);
    const std::string cues(64 * 1024, 'C');
    file.write(cues.data(), static_cast<std::streamsize>(cues.size()));
    file.close();
    fs::create_hard_link(webm_, keep_); // to compare with the object once the part is removed
    return {};
  }
  // Waits until the file has grown to its size.
  void WaitGrown() {
    while (!grown_)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

 private:
  void Write() {
    std::ofstream out(webm_, std::ios::binary);
    std::vector<char> block(1 << 20);
    std::mt19937_64 random(7);
    const auto start = Clock::now();
    for (uint64_t written = 0; written < size_bytes_;) {
      for (size_t i = 0; i + 8 <= block.size(); i += 8) {
        const uint64_t v = random();
        std::memcpy(&block[i], &v, 8);
      }
      const uint64_t n = std::min<uint64_t>(block.size(), size_bytes_ - written);
      out.write(block.data(), static_cast<std::streamsize>(n));
      out.flush();
      written += n;
      // Even pace: byte `written` is due at grow_s * written / size.
      const auto due =
          start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                      grow_s_ * static_cast<double>(written) / size_bytes_));
      std::this_thread::sleep_until(due);
    }
    grown_ = true;
  }

  uint64_t size_bytes_;
  double grow_s_;
  fs::path keep_;
  fs::path webm_;
  std::thread writer_;
  std::atomic<bool> grown_{false};
};

// The backend as it is, minus Growing: the part is stored only after the stop.
class AfterStop : public StorageBackend {
 public:
  explicit AfterStop(StorageBackend& inner) : inner_(inner) {}
  std::string_view Kind() const override { return inner_.Kind(); }
  ssr::storage::StoredObject Put(const fs::path& local, const std::string& key) override {
    return inner_.Put(local, key);
  }
  std::unique_ptr<std::istream> Open(const std::string& key) override { return inner_.Open(key); }
  std::optional<fs::path> Path(const std::string& key) override { return inner_.Path(key); }
  void Remove(const std::string& key) override { inner_.Remove(key); }

 private:
  StorageBackend& inner_;
};

std::string Arg(int argc, char** argv, const char* name, const char* fallback = nullptr) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0)
      return argv[i + 1];
  }
  if (!fallback) {
    std::cerr << "missing " << name << "\n";
    std::exit(2);
  }
  return fallback;
}

} // namespace

int main(int argc, char** argv) {
  const std::string mode = Arg(argc, argv, "--mode");
  if (mode != "progressive" && mode != "after-stop" && mode != "single-put") {
    std::cerr << "--mode: progressive, after-stop or single-put\n";
    return 2;
  }
  const uint64_t size_bytes = std::stoull(Arg(argc, argv, "--size-bytes"));
  const double grow_s = std::stod(Arg(argc, argv, "--grow-s"));
  const fs::path work = fs::absolute(Arg(argc, argv, "--work", ".")) /
                        ("s3-stop-to-ready-" + std::to_string(::getpid()));
  nlohmann::json config = {
      {"kind", "s3"},
      {"endpoint", Arg(argc, argv, "--endpoint")},
      {"bucket", Arg(argc, argv, "--bucket")},
      {"access_key", "S3RVER"},
      {"secret_key", "S3RVER"},
      {"part_size_bytes", std::stoll(Arg(argc, argv, "--part-size", "8388608"))}};
  if (mode == "single-put")
    config["part_size_bytes"] = int64_t{5} << 30;

  fs::remove_all(work);
  fs::create_directories(work);
  int exit_code = 0;
  {
    ssr::store::Database database(work / "ssr.db");
    RecordingStore store(database);
    OrgSettings settings;
    settings.max_part_duration_s = 0;
    store.SaveSettings(settings);
    GrowingRecorder recorder(size_bytes, grow_s, work / "kept.webm");
    S3Storage s3(ssr::storage::S3Config::FromJson(config));
    AfterStop after_stop(s3);
    StorageBackend& storage = mode == "progressive" ? static_cast<StorageBackend&>(s3) : after_stop;
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
    recorder.WaitGrown();
    const auto parts_before = controller.Parts(r.id);
    const uint64_t in_s3_at_stop =
        parts_before.at(0).upload ? parts_before.at(0).upload->stored_bytes : 0;
    const auto t0 = Clock::now();
    const double stop_unix_s =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    controller.Stop(wall + 7200, r.id);
    controller.ProcessPending(wall + 7200);
    const double stop_to_ready_s = Seconds(Clock::now() - t0);
    const auto done = controller.Find(r.id);
    const auto parts = controller.Parts(r.id);

    // The object, read back, is the part file.
    const std::string key = RecordingController::StorageKey(r.id, 1, ".webm");
    ssr::storage::Sha256 sha;
    uint64_t object_bytes = 0;
    if (done->status == RecordingStatus::kReady) {
      auto in = s3.Open(key);
      std::vector<char> block(1 << 20);
      while (*in) {
        in->read(block.data(), static_cast<std::streamsize>(block.size()));
        sha.Update(block.data(), static_cast<size_t>(in->gcount()));
        object_bytes += static_cast<uint64_t>(in->gcount());
      }
      s3.Remove(key);
    }
    const auto local = ssr::storage::HashFile(work / "kept.webm");
    const bool identical = object_bytes == local.size_bytes && sha.HexDigest() == local.sha256;
    std::cout << nlohmann::json{{"mode", mode},
                                {"status", StatusName(done->status)},
                                {"size_bytes", parts.at(0).size_bytes},
                                {"grow_s", grow_s},
                                {"in_storage_at_stop_bytes", in_s3_at_stop},
                                {"stop_to_ready_s", stop_to_ready_s},
                                {"stop_unix_s", stop_unix_s},
                                {"object_identical", identical},
                                {"failed_requests", s3.FailedRequests()}}
                     .dump()
              << std::endl;
    exit_code = done->status == RecordingStatus::kReady && identical ? 0 : 1;
  }
  fs::remove_all(work);
  return exit_code;
}
