// stream.start URLs (docs/security.md, "Media URLs"): on the real `ssr serve` and `ssr render`,
// with loopback listeners the test owns standing for internal services. A URL to a local
// file, a local socket or an internal address is refused at ingest (400 invalid_event naming
// why) and never reaches its listener; a redirect is not followed; a server that drips its
// bytes costs a render at most the open deadline; an old bundle's refused URL shows a card.

#include "../support/output_probe.h"
#include "../support/serve_fixture.h"
#include "../support/temp_dir.h"
#include "bundle_builder.h"

#include "events/event_parser.h"
#include "record/live_feeds.h"
#include "record/live_recorder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// A TCP listener on `address` (e.g. 127.0.0.1, 127.0.0.2) at a free port that counts the
// connections it gets and answers each as its mode says: closes it, redirects it (302 to
// `location`), or sends the headers of a 200 and then one byte every 1.5 s (a drip).
class Listener {
 public:
  enum class Mode { kClose, kRedirect, kDrip };

  explicit Listener(const std::string& address, Mode mode = Mode::kClose, std::string location = "")
      : mode_(mode), location_(std::move(location)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(fd_, 16) != 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("listener on " + address + ": " + std::strerror(errno));
    }
    port_ = ntohs(addr.sin_port);
    url_ = "http://" + address + ":" + std::to_string(port_);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~Listener() {
    stop_ = true;
    accept_thread_.join();
    for (std::thread& t : connection_threads_) {
      t.join();
    }
    close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  int port() const { return port_; }
  const std::string& url() const { return url_; } // http://ADDRESS:PORT
  int connections() const { return connections_; }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) {
        continue;
      }
      const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        continue;
      }
      ++connections_;
      connection_threads_.emplace_back([this, client] { Answer(client); });
    }
  }

  void Answer(int client) {
    char request[4096];
    (void)recv(client, request, sizeof(request), 0); // the request line and headers
    std::string reply;
    if (mode_ == Mode::kRedirect) {
      reply = "HTTP/1.1 302 Found\r\nLocation: " + location_ +
              "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    } else if (mode_ == Mode::kDrip) {
      reply = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n";
    }
    bool open = send(client, reply.data(), reply.size(), MSG_NOSIGNAL) >= 0;
    while (mode_ == Mode::kDrip && open && !stop_) {
      for (int i = 0; i < 15 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      open = send(client, "\0", 1, MSG_NOSIGNAL) == 1;
    }
    close(client);
  }

  Mode mode_;
  std::string location_;
  int fd_ = -1;
  int port_ = 0;
  std::string url_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::vector<std::thread> connection_threads_; // touched by the accept thread only
};

json StreamStart(double t, const std::string& url) {
  return {{"t", t}, {"type", "stream.start"}, {"url", url}};
}

// A session with a live recording running, so that an accepted stream.start is opened.
void StartSessionWithRecording(ServeProcess& server) {
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Streams"}})->status, 201);
  auto started = server.Client().Post("/api/v1/sessions/s1/recordings", server.Auth(), "{}",
                                      "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
}

// Waits up to `seconds` for `done`.
template <typename Done> bool WaitFor(double seconds, Done done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST(StreamUrl, LoopbackUrlIsRefusedAtIngestAndItsListenerSeesNothing) {
  Listener internal("127.0.0.1");
  ServeProcess server;
  StartSessionWithRecording(server);
  auto res = server.PostEvents("s1", StreamStart(1, internal.url() + "/probe?x=1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "invalid_event");
  EXPECT_THAT(body["error"]["message"].get<std::string>(),
              HasSubstr("stream.start: field 'url' is refused: host 127.0.0.1 is a loopback "
                        "address; allow it with stream_url_allow"));
  // The recorder runs: an accepted URL would be opened within a frame or two.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(internal.connections(), 0);
}

TEST(StreamUrl, LocalFilesSocketsAndOtherSchemesAreRefusedNamingWhy) {
  Listener internal("127.0.0.1");
  ServeProcess server;
  StartSessionWithRecording(server);
  // Media the server can read: a PNG and a webm on disk.
  const fs::path png = server.data_dir() / "slide.png";
  const fs::path webm = server.data_dir() / "sessions" / "s1" / "tracks" / "cam.webm";
  std::ofstream(png) << "\x89PNG";
  const std::string port = std::to_string(internal.port());
  const std::pair<std::string, std::string> cases[] = {
      {"file:" + png.string(), "scheme 'file' is not allowed: only http and https"},
      {"file://" + webm.string(), "scheme 'file' is not allowed"},
      {webm.string(), "is not a URL (a path?): only http and https URLs are allowed"},
      {"pipe:0", "scheme 'pipe' is not allowed"},
      {"unix:/tmp/x", "scheme 'unix' is not allowed"},
      {"gopher://127.0.0.1:" + port + "/", "scheme 'gopher' is not allowed"},
      {"tcp://127.0.0.1:" + port, "scheme 'tcp' is not allowed"},
      {"concat:" + webm.string() + "|" + webm.string(), "scheme 'concat' is not allowed"},
      {"subfile,,start,0,end,0,,:" + webm.string(), "is not a URL"},
      {"http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"},
      {"http://user:secret@cdn.example.org/live", "a user name or password"},
  };
  for (const auto& [url, why] : cases) {
    auto res = server.PostEvents("s1", json::array({StreamStart(1, url)}));
    ASSERT_TRUE(res) << url;
    EXPECT_EQ(res->status, 400) << url << ": " << res->body;
    EXPECT_THAT(res->body, HasSubstr("invalid_event")) << url;
    EXPECT_THAT(res->body, HasSubstr("stream.start: field 'url' is refused: ")) << url;
    EXPECT_THAT(res->body, HasSubstr(why)) << url;
  }
  auto livez = server.Client().Get("/livez");
  ASSERT_TRUE(livez);
  EXPECT_EQ(livez->status, 200);
  std::ifstream events(server.SessionDir("s1") / "events.jsonl");
  const std::string logged((std::istreambuf_iterator<char>(events)),
                           std::istreambuf_iterator<char>());
  EXPECT_EQ(logged.find("stream.start"), std::string::npos) << logged;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(internal.connections(), 0);
}

TEST(StreamUrl, AnAllowedServerCannotRedirectTheRecorderToAnInternalOne) {
  // 127.0.0.2 stands for a public server (allowed); 127.0.0.1 for an internal one (not).
  Listener internal("127.0.0.1");
  Listener redirector("127.0.0.2", Listener::Mode::kRedirect, internal.url() + "/internal");
  ServeProcess server(std::map<std::string, std::string>{{"SSR_STREAM_URL_ALLOW", "127.0.0.2"}});
  StartSessionWithRecording(server);
  const std::string url = redirector.url() + "/r";
  auto res = server.PostEvents("s1", StreamStart(1, url));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  ASSERT_TRUE(WaitFor(15, [&] { return redirector.connections() > 0; })) << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(internal.connections(), 0);
  EXPECT_THAT(server.Log(), HasSubstr("stream " + url + ": cannot open"));
}

TEST(StreamUrl, DrippingServerIsGivenUpAtTheOpenDeadline) {
  Listener drip("127.0.0.1", Listener::Mode::kDrip);
  BundleBuilder b;
  const std::string url = drip.url() + "/live.webm";
  b.Event(0.2, "stream.start", {{"url", url}}).Event(2, "session.end").Write();
  const auto out = b.dir() / "out.webm";
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = Render(b.dir(), out, "--stream-url-allow 127.0.0.1");
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GE(drip.connections(), 1);
  // One attempt by the pane and one by the mixer, each given up at the 10 s deadline; without
  // it, probing would read one byte per 1.5 s for days.
  EXPECT_LT(wall_s, 30.0);
  EXPECT_THAT(r.output, HasSubstr("stream " + url + ": cannot open"));
  EXPECT_THAT(r.output, HasSubstr("gave up after 10 s"));
}

// A live recording opens and reads streams off its composer's and mixer's thread: while the
// dripping server holds the stream's open for up to 10 s, every frame is still made in time.
TEST(StreamUrl, ADrippingStreamDoesNotHoldALiveRecording) {
  Listener drip("127.0.0.1", Listener::Mode::kDrip);
  TempDir dir;
  record::LiveMediaProvider media({}, media::StreamUrlPolicy({"127.0.0.1"}));
  record::LiveRecorderOptions options;
  options.width = 640;
  options.height = 360;
  options.output = dir / "part.webm";
  const auto session_start = std::chrono::steady_clock::now();
  record::LiveRecorder recorder(options, media, session_start, 0);
  recorder.PostEvent(events::ParseEvent(
      {{"t", 0.2}, {"type", "stream.start"}, {"url", drip.url() + "/live.webm"}}));
  recorder.Start();
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const record::LiveRecorderStats stats = recorder.Stop();
  EXPECT_GE(drip.connections(), 1) << "the stream was being opened";
  EXPECT_GT(stats.frames, 90);
  EXPECT_LE(stats.late_frames, stats.frames / 10);
  EXPECT_LT(stats.max_lag_ms, 1000) << "an open on the composer's thread would hold it 10 s";
  EXPECT_NEAR(OutputProbe(options.output.string()).video_end_s, 4.0, 0.5);
}

TEST(StreamUrl, AnOldBundlesRefusedUrlShowsACardAndIsNamed) {
  Listener internal("127.0.0.1");
  BundleBuilder b;
  const std::string url = internal.url() + "/live.webm";
  b.Event(0.2, "stream.start", {{"url", url}})
      .Event(1, "stream.start", {{"url", "file:" + (b.dir() / "events.jsonl").string()}})
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out); // no allow-list
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("stream " + url +
                                  ": refused: host 127.0.0.1 is a loopback "
                                  "address; allow it with stream_url_allow"));
  EXPECT_THAT(r.output, HasSubstr(": refused: scheme 'file' is not allowed"));
  EXPECT_EQ(internal.connections(), 0);
  OutputProbe probe(out.string());
  constexpr uint32_t kTrouble = 0xe0803a; // the card's disc when media cannot play
  EXPECT_GT(probe.ColourFraction(0.6, 0, 0, 0.75, 1, kTrouble), 0.02);
  EXPECT_GT(probe.ColourFraction(1.5, 0, 0, 0.75, 1, kTrouble), 0.02);
}

} // namespace
} // namespace ssr::test
