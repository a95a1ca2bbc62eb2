// A live part whose disk write fails, for real, while other sessions record on the same
// `ssr serve`: the failing part ends `failed` with its error (in the recording's JSON and a
// `recording.part_failed` notification), its recording goes on in a new part and ends ready
// with what was saved, the other recordings are untouched and playable, and the server keeps
// serving. The write fails because the part's file is a symlink to /dev/full (every write:
// ENOSPC, as on a full disk), or, in the second test, to a file on a small tmpfs the test
// mounts, which fills part-way through the part; no fault injection in the server.

#include "../support/output_probe.h"
#include "control_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// Playable to about its stated length. Not the exact-rollover check of
// RecordingControl.LongRecordingsRollOverIntoPartsWithNoGap: three recordings encode at once
// here, and a rollover tick that comes later than the recorder's latency finds frames past
// the boundary already written.
constexpr double kPlayableSlack = 0.6;

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

TEST(PartFailure, AFullDiskFailsOnePartAndNothingElse) {
  ServeProcess server(ControlEnv());
  auto settings = PutSettings(server, {{"countdown_s", 3}, {"max_part_duration_s", 5}});
  ASSERT_TRUE(settings && settings->status == 200);
  const fs::path out = server.data_dir().parent_path() / "out";
  fs::create_directories(out);

  std::vector<std::unique_ptr<Classroom>> classes;
  std::vector<std::string> rids;
  for (const std::string sid : {"s1", "s2", "s3"}) {
    classes.push_back(std::make_unique<Classroom>(server, sid, "Class " + sid));
    classes.back()->StartHeartbeat();
    classes.back()->Join("h-" + sid, "host");
  }
  NotificationStream notes(server, "s2");
  for (auto& c : classes) {
    rids.push_back(c->Start()["id"]);
  }
  // Part 2 of the second recording (after the 5 s rollover) goes to a full disk. Its folder
  // exists once the start is answered: part 1 is being written there.
  const fs::path doomed = server.data_dir() / "live-parts" / rids[1] / "part-2.webm";
  ASSERT_TRUE(fs::exists(doomed.parent_path()));
  fs::create_symlink("/dev/full", doomed);
  for (const std::string& rid : rids) {
    ASSERT_EQ(WaitStatus(server, rid, "recording", 6)["status"], "recording") << rid;
  }

  ASSERT_TRUE(notes.WaitForType(rids[1], "recording.part_failed", 12)) << notes.Raw();
  json note;
  for (const Note& n : notes.Notes()) {
    if (n.event == "recording.part_failed")
      note = n.data;
  }
  EXPECT_THAT(note["detail"].get<std::string>(), HasSubstr("No space left on device"));
  EXPECT_EQ(note["message"],
            "Part 2 of the recording of the main room could not be written; it is left out.");
  // The server keeps serving, and the failed recording goes on in part 3.
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
  auto list = server.Client().Get("/api/v1/recordings?session_id=s1", server.Auth());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200) << list->body;
  const json running = GetRecording(server, rids[1]);
  EXPECT_EQ(running["status"], "recording") << running.dump();
  Sleep(1.5);

  std::vector<json> done;
  for (const std::string& rid : rids) {
    auto res = StopRecording(server, rid);
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  for (const std::string& rid : rids) {
    done.push_back(WaitStatus(server, rid, "ready", 10));
    ASSERT_EQ(done.back()["status"], "ready") << done.back().dump();
  }

  // The failed part, with its error; the recording says which part failed and why.
  const json& failed = done[1];
  // Part 3 and, on a slow machine where the stop comes after the next rollover, any later
  // part are ready: only part 2 failed.
  ASSERT_GE(failed["parts"].size(), 3u) << failed.dump();
  EXPECT_EQ(failed["parts"][0]["status"], "ready");
  EXPECT_EQ(failed["parts"][1]["status"], "failed");
  EXPECT_THAT(failed["parts"][1]["error"].get<std::string>(), HasSubstr("No space left on device"));
  for (size_t n = 2; n < failed["parts"].size(); ++n) {
    EXPECT_EQ(failed["parts"][n]["status"], "ready") << "part " << n + 1;
  }
  EXPECT_THAT(failed["error"].get<std::string>(), HasSubstr("part 2 failed: "));
  EXPECT_FALSE(fs::exists(fs::symlink_status(doomed))) << "the failed part is not kept";
  EXPECT_THAT(notes.Types(rids[1]),
              ::testing::ElementsAre("recording.initializing#1", "recording.started",
                                     "recording.part_failed", "recording.stopped",
                                     "recording.ready"));

  // Every saved part plays to its stated length, the other recordings' parts included.
  for (size_t i = 0; i < rids.size(); ++i) {
    for (const json& part : done[i]["parts"]) {
      const int n = part["n"];
      if (part["status"] != "ready")
        continue;
      EXPECT_TRUE(part["error"].is_null()) << part.dump();
      const fs::path file = out / (rids[i] + "-" + std::to_string(n) + ".webm");
      ASSERT_EQ(DownloadPart(server, rids[i], n, file), 200);
      const OutputProbe probe(file.string());
      EXPECT_NEAR(probe.duration_s, part["duration_s"].get<double>(), kPlayableSlack)
          << rids[i] << " part " << n;
      EXPECT_GT(probe.video_frames, 0);
    }
    if (i != 1) {
      EXPECT_TRUE(done[i]["error"].is_null()) << done[i].dump();
      EXPECT_GE(done[i]["parts"].size(), 2u) << "rolled over at 5 s";
    }
  }
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
}

// A tmpfs of `kib` KiB mounted on `dir` in a mount namespace of the test's own (so it is seen
// by the servers the test starts, by nothing outside, and goes when the test's process ends;
// each test runs in a process of its own). Needs root, as CI has.
class SmallDisk {
 public:
  SmallDisk(const fs::path& dir, int kib) : dir_(dir) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      throw std::runtime_error(std::string("a mount namespace of its own (root needed): ") +
                               std::strerror(errno));
    fs::create_directories(dir_);
    const std::string options = "size=" + std::to_string(kib) + "k,mode=0700";
    if (mount("ssr-small-disk", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0)
      throw std::runtime_error(std::string("mount tmpfs: ") + std::strerror(errno));
  }
  ~SmallDisk() { umount2(dir_.c_str(), MNT_DETACH); }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  uint64_t FreeBytes() const {
    struct statvfs st {};
    return statvfs(dir_.c_str(), &st) == 0 ? uint64_t{st.f_bavail} * st.f_frsize : 0;
  }

 private:
  fs::path dir_;
};

// Disk full for real, part-way through a part: part 2 of one recording is written to a 96 KiB
// tmpfs, which it fills within a second or two. That part ends failed with the reason, the
// recording goes on in part 3 and ends ready; a recording made earlier stays downloadable while
// it happens; a recording of another session keeps recording, every one of its parts ready;
// the server keeps serving.
TEST(PartFailure, ASmallTmpfsFillsMidPartAndOnlyThatRecordingIsAffected) {
  const TempDir disk_dir("small-disk");
  const SmallDisk disk(disk_dir.path() / "mnt", 96);
  ServeProcess server(ControlEnv());
  ASSERT_EQ(PutSettings(server, {{"countdown_s", 3}, {"max_part_duration_s", 5}})->status, 200);
  const fs::path out = server.data_dir().parent_path() / "out";
  fs::create_directories(out);

  // The earlier recording, finished and stored before the disk fills.
  Classroom earlier(server, "s0", "Earlier class");
  earlier.StartHeartbeat();
  earlier.Join("h-s0", "host");
  const std::string earlier_rid = earlier.Start()["id"];
  ASSERT_EQ(WaitStatus(server, earlier_rid, "recording", 6)["status"], "recording");
  Sleep(1.5);
  ASSERT_EQ(StopRecording(server, earlier_rid)->status, 200);
  ASSERT_EQ(WaitStatus(server, earlier_rid, "ready", 10)["status"], "ready");

  Classroom affected(server, "s1", "Affected class");
  Classroom other(server, "s2", "Other class");
  for (Classroom* c : {&affected, &other}) {
    c->StartHeartbeat();
  }
  affected.Join("h-s1", "host");
  other.Join("h-s2", "host");
  NotificationStream notes(server, "s1");
  const std::string rid = affected.Start()["id"];
  const std::string other_rid = other.Start()["id"];
  const fs::path doomed = server.data_dir() / "live-parts" / rid / "part-2.webm";
  ASSERT_TRUE(fs::exists(doomed.parent_path()));
  fs::create_symlink(disk_dir.path() / "mnt" / "part-2.webm", doomed);
  ASSERT_EQ(WaitStatus(server, rid, "recording", 6)["status"], "recording");
  ASSERT_EQ(WaitStatus(server, other_rid, "recording", 6)["status"], "recording");

  ASSERT_TRUE(notes.WaitForType(rid, "recording.part_failed", 15)) << notes.Raw();
  // The part did get written until the disk was full: a real fill, not a refused open.
  EXPECT_LT(disk.FreeBytes(), 8u * 1024);
  EXPECT_GT(fs::file_size(disk_dir.path() / "mnt" / "part-2.webm"), 48u * 1024);

  // While the disk is full: the server serves, the earlier recording downloads and plays, and
  // the other session's recording is recording.
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
  const fs::path earlier_file = out / "earlier.webm";
  ASSERT_EQ(DownloadPart(server, earlier_rid, 1, earlier_file), 200);
  EXPECT_GT(OutputProbe(earlier_file.string()).video_frames, 0);
  EXPECT_EQ(GetRecording(server, other_rid)["status"], "recording");
  EXPECT_EQ(GetRecording(server, rid)["status"], "recording") << "goes on in part 3";
  Sleep(1.5);

  for (const std::string& r : {rid, other_rid}) {
    ASSERT_EQ(StopRecording(server, r)->status, 200) << r;
  }
  const json failed = WaitStatus(server, rid, "ready", 10);
  const json kept = WaitStatus(server, other_rid, "ready", 10);
  ASSERT_EQ(failed["status"], "ready") << failed.dump();
  ASSERT_EQ(kept["status"], "ready") << kept.dump();
  ASSERT_GE(failed["parts"].size(), 3u) << failed.dump();
  EXPECT_EQ(failed["parts"][0]["status"], "ready");
  EXPECT_EQ(failed["parts"][1]["status"], "failed");
  EXPECT_THAT(failed["parts"][1]["error"].get<std::string>(), HasSubstr("No space left on device"));
  EXPECT_EQ(failed["parts"][2]["status"], "ready");
  EXPECT_THAT(failed["error"].get<std::string>(), HasSubstr("part 2 failed: "));
  EXPECT_TRUE(kept["error"].is_null()) << kept.dump();
  for (const json& part : kept["parts"]) {
    EXPECT_EQ(part["status"], "ready") << kept.dump();
    const int n = part["n"];
    const fs::path file = out / ("other-" + std::to_string(n) + ".webm");
    ASSERT_EQ(DownloadPart(server, other_rid, n, file), 200);
    EXPECT_NEAR(OutputProbe(file.string()).duration_s, part["duration_s"].get<double>(),
                kPlayableSlack);
  }
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
}

} // namespace
} // namespace ssr::test
