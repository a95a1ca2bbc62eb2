// A live part that cannot be written reports why instead of ending the process: its thread
// never lets an exception escape (a std::thread that throws calls std::terminate, which in
// `ssr serve` would end every other recording too).

#include "record/live_recorder.h"
#include "record/part_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ssr::record {
namespace {

namespace fs = std::filesystem;

class LiveRecorderFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ssr_unit_live_recorder_failure_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.width = 320;
    options_.height = 180;
    options_.latency_s = 0;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  LiveRecorderOptions options_;
  LiveMediaProvider media_;
};

TEST_F(LiveRecorderFailure, APartOnAFullDiskReportsTheWriteError) {
  // /dev/full takes the open and fails every write with ENOSPC, as a full disk does.
  options_.output = dir_ / "part-1.webm";
  fs::create_symlink("/dev/full", options_.output);
  LiveRecorder recorder(options_, media_, LiveRecorder::Clock::now(), 0);
  recorder.Start();
  const LiveRecorderStats stats = recorder.Stop(0.5); // returns: the thread ended cleanly
  EXPECT_NE(stats.error.find("No space left on device"), std::string::npos) << stats.error;
  EXPECT_NE(stats.error.find("part-1.webm"), std::string::npos) << stats.error;
  ASSERT_TRUE(recorder.error().has_value());
  EXPECT_EQ(*recorder.error(), stats.error);
}

TEST_F(LiveRecorderFailure, APartThatCannotBeCreatedReportsWhy) {
  std::ofstream(dir_ / "not-a-dir") << "a file where the part's folder should be";
  options_.output = dir_ / "not-a-dir" / "part-1.webm";
  LiveRecorder recorder(options_, media_, LiveRecorder::Clock::now(), 0);
  ASSERT_TRUE(recorder.error().has_value()) << "known before the thread starts";
  EXPECT_NE(recorder.error()->find("cannot create the file"), std::string::npos)
      << *recorder.error();
  recorder.Start();
  const LiveRecorderStats stats = recorder.Stop(0.2);
  EXPECT_EQ(stats.frames, 0);
  EXPECT_EQ(stats.error, *recorder.error());
  EXPECT_EQ(recorder.frames_written(), 0);
}

TEST_F(LiveRecorderFailure, AHealthyPartHasNoError) {
  options_.output = dir_ / "part-1.webm";
  LiveRecorder recorder(options_, media_, LiveRecorder::Clock::now(), 0);
  recorder.Start();
  const LiveRecorderStats stats = recorder.Stop(0.2);
  EXPECT_EQ(stats.error, "");
  EXPECT_FALSE(recorder.error().has_value());
  EXPECT_EQ(stats.frames, 6); // 0.2 s at 30 fps
  EXPECT_GT(fs::file_size(options_.output), 0u);
  EXPECT_TRUE(fs::exists(VttPathFor(options_.output)));
}

TEST(PartPaths, TheChatSidecarIsBesideThePart) {
  EXPECT_EQ(VttPathFor("/parts/r1/part-2.webm"), fs::path("/parts/r1/part-2.vtt"));
  EXPECT_EQ(VttPathFor("out"), fs::path("out.vtt"));
}

} // namespace
} // namespace ssr::record
