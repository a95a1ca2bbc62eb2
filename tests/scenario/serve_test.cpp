// `ssr serve` end to end: the real binary on 127.0.0.1, a fresh data directory, real HTTP
// and WebSocket clients. Sessions, events, assets, operations endpoints, auth, bad input,
// graceful stop, and a bundle written by the server that `ssr render` renders.

#include "../support/serve_fixture.h"
#include "../support/test_database.h"
#include "bundle_builder.h"

#include "events/bundle.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Env = std::map<std::string, std::string>;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> Lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

json Join(double t, const std::string& id) {
  return {{"t", t}, {"type", "participant.join"}, {"id", id}, {"name", "Ada"}, {"role", "host"}};
}

json Chat(double t, const std::string& text) {
  return {{"t", t}, {"type", "chat.message"}, {"from", "a"}, {"text", text}};
}

std::string ErrorMessage(const httplib::Result& res) {
  return json::parse(res->body)["error"]["message"].get<std::string>();
}

std::string ErrorCode(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

// A Beast WebSocket client on the session's events socket.
class EventSocket {
 public:
  EventSocket(int port, const std::string& sid, const std::string& key = kApiKey) : ws_(io_) {
    ws_.next_layer().connect(
        tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    ws_.set_option(websocket::stream_base::decorator([key](websocket::request_type& req) {
      req.set(beast::http::field::authorization, "Bearer " + key);
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/api/v1/sessions/" + sid + "/events/ws");
  }
  json Send(const std::string& text) {
    ws_.text(true);
    ws_.write(boost::asio::buffer(text));
    beast::flat_buffer buffer;
    ws_.read(buffer);
    return json::parse(beast::buffers_to_string(buffer.data()));
  }

 private:
  boost::asio::io_context io_;
  websocket::stream<tcp::socket> ws_;
};

// L7: published metrics for a scraper without the key; a /readyz that fails does not tell
// strangers where the data lives.
TEST(Serve, MetricsCanBePublishedAndReadyzKeepsPathsToTheLog) {
  ServeProcess server(std::map<std::string, std::string>{{"SSR_METRICS_PUBLIC", "1"}});
  auto cli = server.Client();
  auto metrics = cli.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body, HasSubstr("\nssr_sessions 0\n"));
  std::filesystem::rename(server.data_dir() / "sessions", server.data_dir() / "moved-away");
  auto readyz = cli.Get("/readyz");
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 503);
  EXPECT_EQ(readyz->body.find(server.data_dir().string()), std::string::npos) << readyz->body;
  EXPECT_THAT(server.Log(), HasSubstr(server.data_dir().string() + "/sessions is not available"));
  std::filesystem::rename(server.data_dir() / "moved-away", server.data_dir() / "sessions");
  EXPECT_EQ(cli.Get("/readyz")->status, 200);
}

TEST(Serve, OperationsEndpoints) {
  ServeProcess server;
  auto cli = server.Client();
  auto livez = cli.Get("/livez");
  ASSERT_TRUE(livez);
  EXPECT_EQ(livez->status, 200);
  auto readyz = cli.Get("/readyz");
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 200);
  EXPECT_EQ(json::parse(readyz->body)["status"], "ready");
  ASSERT_EQ(server.CreateSession({{"id", "m1"}, {"title", "Metrics"}})->status, 201);
  ASSERT_EQ(server.PostEvents("m1", json::array({Join(0, "a"), Chat(1, "hi")}))->status, 202);
  // The metrics are the operator's: the API key (L7), unless metrics_public.
  auto anonymous = cli.Get("/metrics");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto metrics = cli.Get("/metrics", server.Auth());
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->get_header_value("Content-Type"), StartsWith("text/plain"));
  EXPECT_THAT(metrics->body,
              HasSubstr("ssr_http_requests_total{route=\"/readyz\",code=\"200\"} 1"));
  EXPECT_THAT(metrics->body,
              HasSubstr("ssr_http_requests_total{route=\"/api/v1/sessions\",code=\"201\"} 1"));
  EXPECT_THAT(metrics->body, HasSubstr("\nssr_sessions 1\n"));
  EXPECT_THAT(metrics->body, HasSubstr("\nssr_events_total 2\n"));
  auto missing = cli.Get("/nowhere");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(ErrorCode(missing), "not_found");
  auto wrong_method = cli.Post("/livez", "", "text/plain");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
}

// The OpenAPI document of every route, without credentials; a wrong verb is told what to use.
TEST(Serve, ServesItsOpenApiDocument) {
  ServeProcess server;
  auto cli = server.Client();
  auto doc = cli.Get("/api/v1/openapi.json");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 200);
  EXPECT_THAT(doc->get_header_value("Content-Type"), StartsWith("application/json"));
  const json parsed = json::parse(doc->body);
  EXPECT_EQ(parsed["openapi"], "3.1.0");
  EXPECT_TRUE(parsed["paths"].contains("/api/v1/recordings/{rid}/parts/{n}/watch"));
  EXPECT_TRUE(parsed["paths"]["/api/v1/openapi.json"].contains("get"));
  auto post = cli.Post("/api/v1/openapi.json", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET");
  auto settings = cli.Post("/api/v1/settings", server.Auth(), "{}", "application/json");
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->status, 405);
  EXPECT_EQ(settings->get_header_value("Allow"), "GET, PUT");
}

TEST(Serve, PlatformRoutesNeedTheApiKey) {
  ServeProcess server;
  auto cli = server.Client();
  const std::string body = json{{"title", "x"}}.dump();
  auto none = cli.Post("/api/v1/sessions", body, "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(ErrorCode(none), "unauthorized");
  auto wrong = cli.Post("/api/v1/sessions", server.Auth("test-api-key-0123456780"), body,
                        "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto basic =
      cli.Post("/api/v1/sessions", {{"Authorization", "Basic abc"}}, body, "application/json");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "x"}})->status, 201);
  auto events =
      cli.Post("/api/v1/sessions/s1/events", json(Join(0, "a")).dump(), "application/json");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->status, 401);
  auto asset = cli.Put("/api/v1/sessions/s1/assets/a.png", "x", "image/png");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 401);
  EXPECT_THROW(EventSocket(server.port(), "s1", "wrong-key-0123456789"), std::exception);
  EXPECT_TRUE(Lines(server.SessionDir("s1") / "events.jsonl").empty());
}

TEST(Serve, CreateSessionWritesTheBundleAndRejectsDuplicatesAndBadBodies) {
  ServeProcess server;
  auto res =
      server.CreateSession({{"id", "maths-101"},
                            {"title", "Maths"},
                            {"timezone", "Europe/Paris"},
                            {"autostart", true},
                            {"invitees", {{{"user", "ada@example.org"}, {"role", "host"}}}}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json created = json::parse(res->body);
  EXPECT_EQ(created["id"], "maths-101");
  EXPECT_EQ(created["title"], "Maths");
  EXPECT_EQ(created["timezone"], "Europe/Paris");
  EXPECT_GE(created["ingest_token"].get<std::string>().size(), 32u);
  const json session = json::parse(ReadAll(server.SessionDir("maths-101") / "session.json"));
  EXPECT_EQ(session["title"], "Maths");
  EXPECT_EQ(session["timezone"], "Europe/Paris");
  EXPECT_EQ(fs::exists(server.data_dir() / "ssr.db"), !TestOnPostgres()); // or on the server

  auto duplicate = server.CreateSession({{"id", "maths-101"}, {"title", "Again"}});
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->status, 409);
  EXPECT_EQ(ErrorCode(duplicate), "conflict");

  auto generated = server.CreateSession({{"title", "No id"}});
  ASSERT_EQ(generated->status, 201);
  const std::string generated_id = json::parse(generated->body)["id"];
  EXPECT_TRUE(fs::exists(server.SessionDir(generated_id) / "session.json"));
  EXPECT_NE(json::parse(generated->body)["ingest_token"], created["ingest_token"]);

  struct Bad {
    json body;
    std::string names;
  };
  const std::vector<Bad> bad = {
      {json::object(), "'title'"},
      {{{"title", 5}}, "'title'"},
      {{{"title", "x"}, {"id", "../etc"}}, "'id'"},
      {{{"title", "x"}, {"timezone", "Mars/Olympus"}}, "'timezone'"},
      {{{"title", "x"}, {"autostart", "yes"}}, "'autostart'"},
      {{{"title", "x"}, {"invitees", {{{"user", "u"}, {"role", "king"}}}}}, "invitees[0].role"},
      {{{"title", "x"}, {"invitees", "everyone"}}, "'invitees'"},
      {json::array(), "JSON object"},
  };
  for (const Bad& b : bad) {
    auto r = server.CreateSession(b.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << b.body.dump();
    EXPECT_THAT(ErrorMessage(r), HasSubstr(b.names)) << b.body.dump();
  }
  auto cli = server.Client();
  auto not_json = cli.Post("/api/v1/sessions", server.Auth(), "{\"title\": ", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(ErrorCode(not_json), "invalid_json");
  auto wrong_type = cli.Post("/api/v1/sessions", server.Auth(), "{\"title\": \"x\"}", "text/plain");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
}

TEST(Serve, EventsOneOrArrayAreAppendedToTheBundle) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Events"}})->status, 201);
  auto one = server.PostEvents("s1", Join(0, "a"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 202);
  EXPECT_EQ(json::parse(one->body)["accepted"], 1);
  auto two = server.PostEvents("s1", json::array({Chat(1, "hello"), Chat(2, "again")}));
  ASSERT_TRUE(two);
  EXPECT_EQ(two->status, 202);
  EXPECT_EQ(json::parse(two->body)["accepted"], 2);
  EXPECT_EQ(json::parse(two->body)["warnings"], json::array());
  // Accepted, and what the session does not know is named at once.
  auto unknown_names = server.PostEvents(
      "s1", json::array({{{"t", 3}, {"type", "chat.message"}, {"from", "b"}, {"text", "who?"}},
                         {{"t", 3}, {"type", "presentation.show"}, {"asset", "deck.pdf"}}}));
  ASSERT_TRUE(unknown_names);
  EXPECT_EQ(unknown_names->status, 202);
  EXPECT_EQ(json::parse(unknown_names->body)["warnings"],
            json::array({"event 0: chat.message: participant 'b' has not joined",
                         "event 1: presentation.show: asset 'deck.pdf' has not been uploaded: "
                         "its pane shows a card until it is"}))
      << unknown_names->body;
  const auto lines = Lines(server.SessionDir("s1") / "events.jsonl");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(json::parse(lines[0])["type"], "participant.join");
  EXPECT_EQ(json::parse(lines[2])["text"], "again");
  const events::Bundle bundle = events::LoadBundle(server.SessionDir("s1"));
  EXPECT_EQ(bundle.events.size(), 5u);
  EXPECT_EQ(bundle.session.title, "Events");

  auto unknown = server.PostEvents("nope", Join(0, "a"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  if (HasFailure())
    std::cerr << "--- server log ---\n" << server.Log();
}

TEST(Serve, BadEventIsNamedAndTheSessionGoesOn) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Events"}})->status, 201);
  ASSERT_EQ(server.PostEvents("s1", Join(0, "a"))->status, 202);

  // All or nothing: the good event before the bad one is not recorded either.
  json bad_text = Chat(1, "x");
  bad_text["text"] = 42;
  auto bad = server.PostEvents("s1", json::array({Chat(1, "fine"), bad_text}));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(ErrorCode(bad), "invalid_event");
  EXPECT_THAT(ErrorMessage(bad), HasSubstr("event 1"));
  EXPECT_THAT(ErrorMessage(bad), HasSubstr("'text'"));
  EXPECT_EQ(json::parse(bad->body)["error"]["index"], 1);
  EXPECT_EQ(Lines(server.SessionDir("s1") / "events.jsonl").size(), 1u);

  auto no_type = server.PostEvents("s1", json{{"t", 1}});
  ASSERT_EQ(no_type->status, 400);
  EXPECT_THAT(ErrorMessage(no_type), HasSubstr("'type'"));

  auto not_event = server.PostEvents("s1", json("hello"));
  ASSERT_EQ(not_event->status, 400);

  ASSERT_EQ(server.PostEvents("s1", Chat(5, "later"))->status, 202);
  auto backwards = server.PostEvents("s1", Chat(4, "too late"));
  ASSERT_EQ(backwards->status, 400);
  EXPECT_THAT(ErrorMessage(backwards), HasSubstr("backwards"));

  auto next = server.PostEvents("s1", Chat(6, "still here"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 202);
  const auto lines = Lines(server.SessionDir("s1") / "events.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(json::parse(lines[2])["text"], "still here");
  EXPECT_NO_THROW(events::LoadBundle(server.SessionDir("s1")));
}

TEST(Serve, WebSocketAcceptsEventsAndAnswersBadOnesWithAnError) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Live"}})->status, 201);
  EventSocket socket(server.port(), "s1");
  EXPECT_EQ(socket.Send(json(Join(0, "a")).dump())["accepted"], 1);

  const json bad = socket.Send(json{{"t", 1}, {"type", "chat.message"}, {"from", "a"}}.dump());
  ASSERT_TRUE(bad.contains("error")) << bad.dump();
  EXPECT_EQ(bad["error"]["code"], "invalid_event");
  EXPECT_THAT(bad["error"]["message"].get<std::string>(), HasSubstr("'text'"));

  const json not_json = socket.Send("{oops");
  EXPECT_EQ(not_json["error"]["code"], "invalid_json");

  EXPECT_EQ(socket.Send(json(Chat(2, "over the socket")).dump())["accepted"], 1);
  const auto lines = Lines(server.SessionDir("s1") / "events.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[1])["text"], "over the socket");

  EXPECT_THROW(EventSocket(server.port(), "no-such-session"), std::exception);
}

// The WebSocket refuses the stream URLs POST .../events refuses (docs/security.md, "Media
// URLs"; the HTTP side: stream_url_test.cpp), naming why, and the socket stays usable.
TEST(Serve, WebSocketRefusesStreamUrlsToLocalFilesAndInternalHosts) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Live"}})->status, 201);
  EventSocket socket(server.port(), "s1");
  const std::pair<std::string, std::string> cases[] = {
      {"file:/etc/hostname", "scheme 'file' is not allowed: only http and https"},
      {"http://127.0.0.1:9/x", "host 127.0.0.1 is a loopback address; allow it with "
                               "stream_url_allow"}};
  for (const auto& [url, why] : cases) {
    const json bad = socket.Send(json{{"t", 1}, {"type", "stream.start"}, {"url", url}}.dump());
    ASSERT_TRUE(bad.contains("error")) << bad.dump();
    EXPECT_EQ(bad["error"]["code"], "invalid_event");
    EXPECT_THAT(bad["error"]["message"].get<std::string>(),
                HasSubstr("stream.start: field 'url' is refused: " + why));
  }
  EXPECT_EQ(socket.Send(json(Chat(2, "still here")).dump())["accepted"], 1);
}

TEST(Serve, UploadedAssetAndEventsMakeABundleThatRenders) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "class"}, {"title", "Rendered"}})->status, 201);
  // A small PNG slide made by ffmpeg.
  BundleBuilder scratch;
  const fs::path png = scratch.dir() / "slide.png";
  ASSERT_EQ(RunCommand("ffmpeg -v error -y -f lavfi -i color=c=blue:s=320x180 -frames:v 1 '" +
                       png.string() + "'")
                .exit_code,
            0);
  auto put = server.Client().Put("/api/v1/sessions/class/assets/slide.png", server.Auth(),
                                 ReadAll(png), "image/png");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 201) << put->body;
  EXPECT_EQ(json::parse(put->body)["size_bytes"], fs::file_size(png));
  EXPECT_EQ(ReadAll(server.SessionDir("class") / "assets" / "slide.png"), ReadAll(png));

  auto again = server.Client().Put("/api/v1/sessions/class/assets/slide.png", server.Auth(),
                                   ReadAll(png), "image/png");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);

  ASSERT_EQ(
      server
          .PostEvents(
              "class",
              json::array({Join(0, "a"),
                           {{"t", 0.2}, {"type", "presentation.show"}, {"asset", "slide.png"}},
                           Chat(0.5, "look"),
                           {{"t", 1.5}, {"type", "session.end"}}}))
          ->status,
      202);
  for (const auto& entry : fs::directory_iterator(server.SessionDir("class") / "assets")) {
    EXPECT_EQ(entry.path().filename(), "slide.png") << "temporary upload left behind";
  }
  const fs::path out = scratch.dir() / "out.webm";
  const CommandResult r = Render(server.SessionDir("class"), out, "--size 320x180 --fps 10");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(out));
}

TEST(Serve, BadAssetNamesAreRejected) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Assets"}})->status, 201);
  auto cli = server.Client();
  for (const std::string& name :
       {std::string(".."), std::string("..%2Fsession.json"), std::string("a%2Fb.png"),
        std::string(".hidden"), std::string("x..y"), std::string(""), std::string(201, 'a'),
        std::string("nul%00.png")}) {
    auto res = cli.Put("/api/v1/sessions/s1/assets/" + name, server.Auth(), "data",
                       "application/octet-stream");
    ASSERT_TRUE(res) << name;
    EXPECT_EQ(res->status, 400) << name;
    EXPECT_EQ(ErrorCode(res), "invalid_asset_name") << name;
  }
  EXPECT_EQ(ReadAll(server.SessionDir("s1") / "session.json").find("data"), std::string::npos);
  auto ok = cli.Put("/api/v1/sessions/s1/assets/" + std::string(200, 'a'), server.Auth(), "d",
                    "application/octet-stream");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
  auto unknown = cli.Put("/api/v1/sessions/none/assets/a.png", server.Auth(), "d", "image/png");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST(Serve, OversizedAssetGets413AndNothingIsStored) {
  ServeProcess server(Env{{"SSR_MAX_ASSET_BYTES", "1000"}});
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Limits"}})->status, 201);
  auto cli = server.Client();
  auto big = cli.Put("/api/v1/sessions/s1/assets/big.bin", server.Auth(), std::string(5000, 'x'),
                     "application/octet-stream");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(ErrorCode(big), "payload_too_large");
  EXPECT_TRUE(fs::is_empty(server.SessionDir("s1") / "assets"));
  // Chunked, so the limit is found while the body arrives.
  const std::string chunked = "PUT /api/v1/sessions/s1/assets/chunked.bin HTTP/1.1\r\nHost: x\r\n"
                              "Authorization: Bearer " +
                              std::string(kApiKey) + "\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              "7d0\r\n" + std::string(2000, 'y') + "\r\n0\r\n\r\n";
  EXPECT_THAT(RawExchange(server.port(), chunked), StartsWith("HTTP/1.1 413"));
  EXPECT_TRUE(fs::is_empty(server.SessionDir("s1") / "assets"));
  auto small = cli.Put("/api/v1/sessions/s1/assets/small.bin", server.Auth(),
                       std::string(1000, 'x'), "application/octet-stream");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 201);
}

TEST(Serve, MalformedRequestsGetA4xxAndTheServerStaysUp) {
  ServeProcess server(Env{{"SSR_MAX_BODY_BYTES", "10000"}});
  EXPECT_THAT(RawExchange(server.port(), "GARBAGE\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(RawExchange(server.port(), "GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                             std::string(20000, 'a') + "\r\n\r\n"),
              StartsWith("HTTP/1.1 431"));
  EXPECT_THAT(RawExchange(server.port(), "GET /livez HTTP/1.1\r\nBad Header\r\n\r\n"),
              StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(RawExchange(server.port(), "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\n"
                                         "Authorization: Bearer " +
                                             std::string(kApiKey) +
                                             "\r\nContent-Type: application/json\r\n"
                                             "Content-Length: 99999999\r\n\r\n{"),
              StartsWith("HTTP/1.1 413"));
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "x"}})->status, 201);
  auto deep = server.Client().Post("/api/v1/sessions/s1/events", server.Auth(),
                                   std::string(4000, '['), "application/json");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 400);
  auto livez = server.Client().Get("/livez");
  ASSERT_TRUE(livez);
  EXPECT_EQ(livez->status, 200);
}

TEST(Serve, SigtermStopsGracefullyWithOpenConnections) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "x"}})->status, 201);
  EventSocket socket(server.port(), "s1"); // an idle WebSocket
  auto cli = server.Client();
  cli.set_keep_alive(true);
  ASSERT_EQ(cli.Get("/livez")->status, 200); // an idle keep-alive connection
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("stopped"));
}

TEST(Serve, ConnectionsOverTheLimitGet503) {
  ServeProcess server(Env{{"SSR_MAX_CONNECTIONS", "3"}});
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "x"}})->status, 201);
  // The server may not have seen the session request's connection close yet (it still
  // counts): a socket refused for that is opened again.
  const auto open = [&] {
    for (int attempt = 1;; ++attempt) {
      try {
        return std::make_unique<EventSocket>(server.port(), "s1");
      } catch (const std::exception&) {
        if (attempt == 40)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  };
  const auto a = open();
  const auto b = open();
  const auto c = open();
  EXPECT_THAT(RawExchange(server.port(), "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 503"));
  EXPECT_EQ(a->Send(json(Join(0, "a")).dump())["accepted"], 1); // the open ones go on
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
}

TEST(Serve, StalledUploadDoesNotHoldTheStopPastTheGracePeriod) {
  ServeProcess server(Env{{"SSR_SHUTDOWN_GRACE_S", "1"}});
  ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "x"}})->status, 201);
  // Headers and half of the body, then silence: the request is in flight.
  std::thread client([&] {
    RawExchange(server.port(), "PUT /api/v1/sessions/s1/assets/a.bin HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer " +
                                   std::string(kApiKey) + "\r\nContent-Length: 1000\r\n\r\n" +
                                   std::string(500, 'x'));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  client.join();
  EXPECT_FALSE(fs::exists(server.SessionDir("s1") / "assets" / "a.bin"));
  for (const auto& entry : fs::directory_iterator(server.SessionDir("s1") / "assets")) {
    ADD_FAILURE() << "left behind: " << entry.path();
  }
}

TEST(Serve, SessionsAndEventsSurviveARestart) {
  BundleBuilder scratch;
  const fs::path data = scratch.dir() / "data";
  {
    ServeProcess server({}, data);
    ASSERT_EQ(server.CreateSession({{"id", "s1"}, {"title", "Kept"}})->status, 201);
    ASSERT_EQ(server.PostEvents("s1", json::array({Join(0, "a"), Chat(5, "before")}))->status, 202);
    ASSERT_EQ(server.StopWith(SIGTERM), 0);
  }
  ServeProcess server({}, data);
  auto duplicate = server.CreateSession({{"id", "s1"}, {"title", "Again"}});
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->status, 409);
  auto backwards = server.PostEvents("s1", Chat(4, "older than the last event"));
  ASSERT_TRUE(backwards);
  EXPECT_EQ(backwards->status, 400);
  EXPECT_EQ(server.PostEvents("s1", Chat(6, "after"))->status, 202);
  EXPECT_EQ(Lines(server.SessionDir("s1") / "events.jsonl").size(), 3u);
  EXPECT_THAT(server.Client().Get("/metrics", server.Auth())->body,
              HasSubstr("\nssr_sessions 1\n"));
}

TEST(Serve, SigintStopsToo) {
  ServeProcess server;
  EXPECT_EQ(server.StopWith(SIGINT), 0) << server.Log();
}

TEST(Serve, ConfigurationErrorsAreClear) {
  const std::string serve = std::string(SSR_BINARY) + " serve --data /tmp/ssr-never-created";
  CommandResult no_key = RunCommand("env -u SSR_API_KEY " + serve + " --listen 127.0.0.1:1");
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_THAT(no_key.output, HasSubstr("SSR_API_KEY"));
  CommandResult bad_listen =
      RunCommand("SSR_API_KEY=" + std::string(kApiKey) + " " + serve + " --listen nowhere");
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_THAT(bad_listen.output, HasSubstr("listen"));
  BundleBuilder scratch;
  scratch.WriteFile("ssr.json", "{\n  // comment\n  \"listn\": \"127.0.0.1:1\"\n}\n");
  CommandResult typo = RunCommand("SSR_API_KEY=" + std::string(kApiKey) + " " + serve +
                                  " --config '" + (scratch.dir() / "ssr.json").string() + "'");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.output, HasSubstr("'listn' is not a setting"));
  CommandResult sample =
      RunCommand("SSR_API_KEY=" + std::string(kApiKey) + " " + serve +
                 " --listen bad --config '" SSR_SOURCE_DIR "/deploy/ssr.sample.json'");
  EXPECT_EQ(sample.exit_code, 2); // the sample parses; only the bad --listen is reported
  EXPECT_THAT(sample.output, HasSubstr("listen: 'bad'"));
  EXPECT_FALSE(fs::exists("/tmp/ssr-never-created"));
}

// A second `ssr serve` on a data directory in use refuses to start, naming the one that holds
// it; once that one has stopped, the directory can be served again.
TEST(Serve, ASecondServerOnTheSameDataDirectoryRefusesToStart) {
  BundleBuilder scratch;
  const fs::path data = scratch.dir() / "data";
  auto first = std::make_unique<ServeProcess>(std::map<std::string, std::string>{}, data);
  ASSERT_EQ(first->CreateSession({{"id", "s1"}, {"title", "First"}})->status, 201);
  const CommandResult second =
      RunCommand("SSR_API_KEY=" + std::string(kApiKey) + " timeout 20 " SSR_BINARY +
                 std::string(" serve --listen 127.0.0.1:0 --data '") + data.string() + "'");
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_THAT(second.output, HasSubstr("the data directory " + data.string() +
                                       " is in use by another ssr serve (pid " +
                                       std::to_string(first->pid()) + ")"));
  EXPECT_EQ(first->Client().Get("/livez")->status, 200);
  ASSERT_EQ(first->StopWith(SIGTERM), 0);
  first.reset();
  ServeProcess again({}, data);
  EXPECT_EQ(again.CreateSession({{"id", "s1"}, {"title", "Again"}})->status, 409);
}

// The server's log says when: every line of ours starts with its UTC time to the millisecond.
TEST(Serve, LogLinesSayWhen) {
  ServeProcess server;
  ASSERT_EQ(server.CreateSession({{"id", "l1"}, {"title", "Log"}})->status, 201);
  ASSERT_EQ(server.StopWith(SIGTERM), 0);
  const std::regex ours(R"(^(trace|debug|info|warning|error|critical) \[)");
  const std::regex stamped(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|warning|error|critical) \[[a-z]+\] )");
  std::istringstream log(server.Log());
  int lines = 0;
  for (std::string line; std::getline(log, line);) {
    EXPECT_FALSE(std::regex_search(line, ours)) << "no time: " << line;
    lines += std::regex_search(line, stamped) ? 1 : 0;
  }
  EXPECT_GE(lines, 2) << server.Log(); // at least listening and stopped
}

TEST(Serve, VersionIsPrinted) {
  const CommandResult version = RunCommand(SSR_BINARY " --version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, ::testing::MatchesRegex("ssr [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

} // namespace
} // namespace ssr::test
