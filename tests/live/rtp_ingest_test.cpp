// RTP ingest end to end: GStreamer senders and a real SFU (Janus rtp_forward) → the UDP
// ports of POST /api/v1/sessions/{sid}/tracks/{track}/rtp → recorded WebM.

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::string E2e(const std::string& tool) {
  return std::string(SSR_SOURCE_DIR) + "/tests/e2e/" + tool;
}

std::string SdpOf(const std::string& kind, const std::string& codec = "vp8") {
  BackgroundCommand sdp(E2e("rtp_send.sh") + " --kind " + kind + " --codec " + codec +
                        " --print-sdp");
  if (sdp.Wait(10) != 0)
    throw std::runtime_error("rtp_send.sh --print-sdp failed: " + sdp.Output());
  return sdp.Output();
}

// POSTs the forward of a track; returns the port.
int Forward(ServeProcess& server, const LiveClass& live, const std::string& track,
            const std::string& sdp) {
  auto res = server.Client().Post("/api/v1/sessions/" + live.sid + "/tracks/" + track + "/rtp",
                                  {{"Authorization", "Bearer " + live.ingest_token}},
                                  json{{"sdp", sdp}}.dump(), "application/json");
  if (!res || res->status != 201)
    throw std::runtime_error("rtp refused: " + (res ? res->body : ""));
  return json::parse(res->body).at("port");
}

class RtpIngestTest : public ::testing::Test {
 protected:
  void SetUp() override { temp_dir_.KeepIfTestFailed(); }

  // Records 5 s while the senders run; returns the part and the wall time it covered.
  std::pair<fs::path, double> Record(ServeProcess& server, const LiveClass& live) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto started = Clock::now();
    const json recording = StartRecording(server, live.sid);
    std::this_thread::sleep_for(std::chrono::seconds(5));
    // The part ends when the stop request arrives; waiting for "ready" is not part of it.
    const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    StopRecording(server, recording.at("id"));
    return {DownloadPart(server, recording.at("id"), 1, dir_), wall_s};
  }
  TempDir temp_dir_; // kept when the test failed
  const fs::path dir_ = temp_dir_.path();
};

TEST_F(RtpIngestTest, GstreamerVideoAndAudioAreRecorded) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-gst");
  const int video_port = Forward(server, live, "cam-h1", SdpOf("video"));
  const int audio_port = Forward(server, live, "mic-h1", SdpOf("audio"));
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 2);
  BackgroundCommand video(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() + " --port " +
                          std::to_string(video_port) + " --seconds 9 --color FF8000");
  BackgroundCommand audio(E2e("rtp_send.sh") + " --kind audio --host " + ServeHost() + " --port " +
                          std::to_string(audio_port) + " --seconds 9 --tone-hz 660");
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(video.Wait(20), 0) << video.Output();
  EXPECT_EQ(audio.Wait(20), 0) << audio.Output();

  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  for (double t : {1.0, 2.5, 4.0}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, 0xFF8000), 0.8)
        << "at " << t << " s: " << std::hex
        << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  }
  EXPECT_GT(probe.ToneLevel(660, 1.0, 4.0), 0.1);
  EXPECT_LT(probe.ToneLevel(440, 1.0, 4.0), 0.02);
  EXPECT_TRUE(fs::exists(server.SessionDir(live.sid) / "tracks" / "cam-h1.webm"));
}

TEST_F(RtpIngestTest, Vp9VideoIsRecordedAndKeptAsReceived) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-vp9");
  const int video_port = Forward(server, live, "cam-h1", SdpOf("video", "vp9"));
  BackgroundCommand video(E2e("rtp_send.sh") + " --kind video --codec vp9 --host " + ServeHost() +
                          " --port " + std::to_string(video_port) + " --seconds 9 --color 30A0A0");
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(video.Wait(20), 0) << video.Output();
  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  EXPECT_GT(probe.ColourFraction(2.5, kTileX0, kTileY0, kTileX1, kTileY1, 0x30A0A0), 0.8)
      << std::hex << probe.MeanColour(2.5, kTileX0, kTileY0, kTileX1, kTileY1);
  // The raw track is the VP9 as it came, not re-encoded.
  BackgroundCommand codec("ffprobe -v error -show_entries stream=codec_name -of csv=p=0 " +
                          (server.SessionDir(live.sid) / "tracks" / "cam-h1.webm").string());
  EXPECT_EQ(codec.Wait(10), 0);
  EXPECT_EQ(codec.Output(), "vp9\n");
}

TEST_F(RtpIngestTest, LossAndJitterDoNotStopTheRecording) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-loss");
  const int video_port = Forward(server, live, "cam-h1", SdpOf("video"));
  const int audio_port = Forward(server, live, "mic-h1", SdpOf("audio"));
  const std::string impair = " --drop-probability 0.05 --jitter-ms 50";
  BackgroundCommand video(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() + " --port " +
                          std::to_string(video_port) + " --seconds 9 --color 3366CC" + impair);
  BackgroundCommand audio(E2e("rtp_send.sh") + " --kind audio --host " + ServeHost() + " --port " +
                          std::to_string(audio_port) + " --seconds 9 --tone-hz 440" + impair);
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(video.Wait(20), 0) << video.Output();
  EXPECT_EQ(audio.Wait(20), 0) << audio.Output();

  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  EXPECT_GE(probe.video_frames, static_cast<int64_t>((wall_s - 0.5) * 30));
  // Pictures keep coming (a keyframe every second repairs what loss broke).
  EXPECT_GT(probe.ColourFraction(4.0, kTileX0, kTileY0, kTileX1, kTileY1, 0x3366CC), 0.6)
      << std::hex << probe.MeanColour(4.0, kTileX0, kTileY0, kTileX1, kTileY1);
  EXPECT_GT(probe.ToneLevel(440, 1.0, 4.0), 0.05);
  EXPECT_EQ(DecodeErrors(part), "") << "the recording decodes without errors";
}

TEST_F(RtpIngestTest, JanusRtpForwardIsRecorded) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-janus");
  // Janus forwards with its own SSRCs: describe the streams without a=ssrc.
  auto without_ssrc = [](std::string sdp) {
    return std::regex_replace(sdp, std::regex("a=ssrc:[^\r\n]*\r?\n"), "");
  };
  const int video_port = Forward(server, live, "cam-h1", without_ssrc(SdpOf("video")));
  const int audio_port = Forward(server, live, "mic-h1", without_ssrc(SdpOf("audio")));
  BackgroundCommand janus(E2e("janus/run-janus.sh"));
  std::smatch ready;
  const std::regex ready_line("READY (http://[^\\s]+)");
  std::string url;
  for (int i = 0; i < 200 && url.empty(); ++i) {
    const std::string out = janus.Output();
    if (std::regex_search(out, ready, ready_line))
      url = ready[1];
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(url.empty()) << janus.Output();
  BackgroundCommand forward(
      "/usr/bin/python3 " + E2e("janus/forward.py") + " --janus " + url + " --host " + ServeHost() +
      " --video-port " + std::to_string(video_port) + " --audio-port " +
      std::to_string(audio_port) + " --seconds 10 --color 8040E0 --tone-hz 550");
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(forward.Wait(30), 0) << forward.Output();

  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  EXPECT_GT(probe.ColourFraction(3.0, kTileX0, kTileY0, kTileX1, kTileY1, 0x8040E0), 0.7)
      << std::hex << probe.MeanColour(3.0, kTileX0, kTileY0, kTileX1, kTileY1);
  EXPECT_GT(probe.ToneLevel(550, 1.0, 4.0), 0.05);
}

TEST_F(RtpIngestTest, BadForwardsGetAReason) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-bad");
  struct Case {
    std::string track, body, expected;
    int status;
  };
  const std::string video = SdpOf("video");
  const std::string two = video + video.substr(video.find("m=video"));
  std::string h265 = video;
  h265.replace(h265.find("VP8/90000"), 3, "H265");
  const std::vector<Case> cases = {
      {"cam-h1", "not json", "not valid JSON", 400},
      {"cam-h1", json{{"sdp", 42}}.dump(), "'sdp'", 400},
      {"cam-h1", json{{"sdp", "hello"}}.dump(), "not valid SDP", 400},
      {"cam-h1", json{{"sdp", two}}.dump(), "exactly one m-line", 400},
      {"cam-h1", json{{"sdp", h265}}.dump(), "no codec we take", 400},
      {"mic-h1", json{{"sdp", video}}.dump(), "published as audio", 400},
      {"bad%21id", json{{"sdp", video}}.dump(), "may contain only", 400},
  };
  for (const Case& c : cases) {
    auto res = server.Client().Post("/api/v1/sessions/rtp-bad/tracks/" + c.track + "/rtp",
                                    {{"Authorization", "Bearer " + live.ingest_token}}, c.body,
                                    "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.expected << ": " << res->body;
    EXPECT_NE(res->body.find(c.expected), std::string::npos) << res->body;
  }
  auto res = server.Client().Post("/api/v1/sessions/rtp-bad/tracks/cam-h1/rtp",
                                  json{{"sdp", video}}.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 0);
}

// One session holds at most ingest_max_tracks tracks; replacing a forward is not a new track;
// once session.end is logged, neither ingest route takes media (review M6).
TEST_F(RtpIngestTest, ForwardsAreCappedPerSessionAndRefusedOnceTheSessionEnded) {
  ServeProcess server(std::map<std::string, std::string>{{"SSR_INGEST_MAX_TRACKS", "3"}});
  const LiveClass live = StartClass(server, "rtp-caps");
  const std::string video = SdpOf("video");
  const auto forward = [&](const std::string& track) {
    return server.Client().Post("/api/v1/sessions/rtp-caps/tracks/" + track + "/rtp",
                                {{"Authorization", "Bearer " + live.ingest_token}},
                                json{{"sdp", video}}.dump(), "application/json");
  };
  for (const std::string track : {"cam-h1", "cam-2", "cam-3", "cam-2"}) {
    auto res = forward(track);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 201) << track << ": " << res->body;
  }
  auto res = forward("cam-4");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  const json over = json::parse(res->body);
  EXPECT_EQ(over["error"]["code"], "ingest_limit");
  EXPECT_EQ(over["error"]["message"],
            "session rtp-caps has 3 tracks; the limit is 3 per session (ingest_max_tracks)");
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 3);

  auto end = server.PostEvents("rtp-caps", json::array({{{"t", 2.5}, {"type", "session.end"}}}));
  ASSERT_TRUE(end);
  ASSERT_EQ(end->status, 202) << end->body;
  res = forward("cam-h1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "session_ended");
  EXPECT_NE(res->body.find("session rtp-caps ended at t=2.500"), std::string::npos) << res->body;
  // WHIP too, whatever the offer: the session's end is what counts.
  res = server.Client().Post("/whip/rtp-caps/cam-9",
                             {{"Authorization", "Bearer " + live.ingest_token}}, "v=0\r\n",
                             "application/sdp");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "session_ended");
  // Nothing was lost on the way: the server still answers.
  auto livez = server.Client().Get("/livez");
  ASSERT_TRUE(livez);
  EXPECT_EQ(livez->status, 200);
}

// The organization's raw_track_retention_days: a session's raw tracks go once it has been
// idle that long (its files are set back nine days here, as if they had passed); its
// events and its recording stay.
TEST_F(RtpIngestTest, RawTracksGoAfterTheRetentionAndTheRecordingStays) {
  ServeProcess server(std::map<std::string, std::string>{{"SSR_PURGE_INTERVAL_S", "1"}});
  const LiveClass live = StartClass(server, "rtp-retention");
  const int video_port = Forward(server, live, "cam-h1", SdpOf("video"));
  BackgroundCommand video(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() + " --port " +
                          std::to_string(video_port) + " --seconds 7 --color 0080FF");
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(video.Wait(20), 0) << video.Output();
  const fs::path bundle = server.SessionDir(live.sid);
  ASSERT_TRUE(fs::exists(bundle / "tracks" / "cam-h1.webm"));

  const auto nine_days_ago = fs::file_time_type::clock::now() - std::chrono::hours(9 * 24);
  fs::last_write_time(bundle / "events.jsonl", nine_days_ago);
  for (const auto& entry : fs::directory_iterator(bundle / "tracks"))
    fs::last_write_time(entry.path(), nine_days_ago);
  const auto retention = [&](int days) {
    auto res =
        server.Client().Put("/api/v1/settings", server.Auth(),
                            json{{"raw_track_retention_days", days}}.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  };
  retention(10);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500)); // two purges
  EXPECT_TRUE(fs::exists(bundle / "tracks" / "cam-h1.webm")) << "removed a day early";

  retention(8);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (fs::exists(bundle / "tracks") && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(fs::exists(bundle / "tracks")) << server.Log();
  EXPECT_TRUE(fs::exists(bundle / "events.jsonl"));
  EXPECT_NE(server.Log().find("session rtp-retention: raw tracks removed"), std::string::npos);
  // The recording was made from them and does not need them any more.
  auto list = server.Client().Get("/api/v1/recordings?session_id=" + live.sid, server.Auth());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200) << list->body;
  const std::string rid = json::parse(list->body).at("recordings").at(0).at("id");
  fs::create_directories(dir_ / "after");
  OutputProbe probe(DownloadPart(server, rid, 1, dir_ / "after").string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  EXPECT_EQ(fs::file_size(part), fs::file_size(dir_ / "after" / part.filename()));
}

// L10: a forward takes packets from one address: the first that sends, or the one declared.
// A second sender aiming at the same port (from the namespace's other address) is dropped,
// and the recording shows only the first; a declared source drops everyone else.
TEST_F(RtpIngestTest, PacketsFromAnotherAddressAreDropped) {
  const char* other_address = std::getenv("SSR_NETNS_ADDR_B");
  ASSERT_NE(other_address, nullptr) << "run inside tests/e2e/netns-run";
  ServeProcess server;
  const LiveClass live = StartClass(server, "rtp-source");
  const int port = Forward(server, live, "cam-h1", SdpOf("video"));
  BackgroundCommand first(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() + " --port " +
                          std::to_string(port) + " --seconds 10 --color FF8000");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  BackgroundCommand intruder(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() +
                             " --port " + std::to_string(port) +
                             " --seconds 8 --color 0000FF --ssrc 99 --bind-address " +
                             other_address);
  const auto [part, wall_s] = Record(server, live);
  EXPECT_EQ(first.Wait(20), 0) << first.Output();
  EXPECT_EQ(intruder.Wait(20), 0) << intruder.Output();
  OutputProbe probe(part.string());
  for (double t : {1.0, 2.5, 4.0}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, 0xFF8000), 0.8)
        << "at " << t << " s: " << std::hex
        << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  }
  EXPECT_NE(server.Log().find("dropping packets from " + std::string(other_address)),
            std::string::npos)
      << server.Log();

  // Declared: only that address, here one nobody sends from.
  const auto forward = [&](const json& body) {
    return server.Client().Post("/api/v1/sessions/" + live.sid + "/tracks/cam-2/rtp",
                                {{"Authorization", "Bearer " + live.ingest_token}}, body.dump(),
                                "application/json");
  };
  auto bad = forward({{"sdp", SdpOf("video")}, {"source", "not-an-address"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["error"]["field"], "source");
  auto declared = forward({{"sdp", SdpOf("video")}, {"source", "10.9.9.9"}});
  ASSERT_TRUE(declared);
  ASSERT_EQ(declared->status, 201) << declared->body;
  EXPECT_EQ(json::parse(declared->body)["source"], "10.9.9.9");
  const int declared_port = json::parse(declared->body)["port"];
  BackgroundCommand stranger(E2e("rtp_send.sh") + " --kind video --host " + ServeHost() +
                             " --port " + std::to_string(declared_port) + " --seconds 2");
  EXPECT_EQ(stranger.Wait(10), 0) << stranger.Output();
  EXPECT_NE(server.Log().find("rtp rtp-source/cam-2: dropping packets from "), std::string::npos)
      << server.Log();
  EXPECT_NE(server.Log().find("this forward takes them from 10.9.9.9 only"), std::string::npos);
}

} // namespace
} // namespace ssr::test
