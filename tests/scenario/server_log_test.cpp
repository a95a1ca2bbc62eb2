// The server's log on the real `ssr serve` (log_format, access_log): JSON lines that a log
// collector can parse, and an access log that names each request's route pattern, never the
// share-link token, publisher token, unknown path or query string the request carried.

#include "bundle_builder.h"
#include "control_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <sstream>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      lines.push_back(line);
  }
  return lines;
}

// A ready recording of session `sid`, about two seconds long; its id.
std::string RecordBriefly(ServeProcess& server, const std::string& sid) {
  Classroom c(server, sid, "Logged class");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  EXPECT_EQ(WaitStatus(server, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(StopRecording(server, rid)->status, 200);
  EXPECT_EQ(WaitStatus(server, rid, "ready", 10)["status"], "ready");
  return rid;
}

TEST(ServeLog, JsonLinesCarryTheirFieldsAndTheAccessLogNamesRoutesNotTokens) {
  auto env = ControlEnv();
  env["SSR_LOG_FORMAT"] = "json";
  ServeProcess server(env);
  ASSERT_EQ(PutSettings(server, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  const std::string rid = RecordBriefly(server, "jl1");

  // A share link, opened by its holder: /s/<token>.
  auto link = server.Client().Post("/api/v1/recordings/" + rid + "/links", server.Auth(), "{}",
                                   "application/json");
  ASSERT_EQ(link->status, 201) << link->body;
  const std::string page = json::parse(link->body)["url"];
  const std::string share_token = page.substr(std::string("/s/").size());
  ASSERT_GE(share_token.size(), 20u);
  EXPECT_EQ(server.Client().Get(page)->status, 200);

  // A publisher's token, used by its WHIP client (with an offer that is not SDP: 400).
  auto minted = server.Client().Post(
      "/api/v1/sessions/jl1/publishers", server.Auth(),
      json{{"participant", "h1"}, {"tracks", json::array({"cam-h1"})}}.dump(), "application/json");
  ASSERT_EQ(minted->status, 201) << minted->body;
  const std::string publisher_token = json::parse(minted->body)["token"];
  auto whip = server.Client().Post("/whip/jl1/cam-h1", server.Auth(publisher_token), "not an offer",
                                   "application/sdp");
  EXPECT_EQ(whip->status, 400) << whip->body;

  // A path no route has, and a query string on one that exists.
  EXPECT_EQ(server.Client().Get("/no-such-place/secret-404-path")->status, 404);
  EXPECT_EQ(server.Client().Get("/livez?probe=secret-query-value")->status, 200);
  ASSERT_EQ(server.StopWith(SIGTERM), 0);

  const std::string log = server.Log();
  const std::regex utc_ms(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  std::vector<json> access;
  int lines = 0;
  for (const std::string& line : Lines(log)) {
    ++lines;
    json parsed;
    ASSERT_NO_THROW(parsed = json::parse(line)) << "not JSON: " << line;
    ASSERT_TRUE(parsed.is_object()) << line;
    ASSERT_TRUE(parsed["ts"].is_string()) << line;
    EXPECT_TRUE(std::regex_match(parsed["ts"].get<std::string>(), utc_ms)) << line;
    EXPECT_TRUE(parsed["level"].is_string()) << line;
    EXPECT_TRUE(parsed["logger"].is_string()) << line;
    EXPECT_TRUE(parsed["msg"].is_string()) << line;
    if (parsed["logger"] == "access")
      access.push_back(parsed);
  }
  EXPECT_GE(lines, 10);

  auto find = [&](const std::string& method, const std::string& route, int status) {
    for (const json& a : access) {
      if (a["method"] == method && a["route"] == route && a["status"] == status)
        return a;
    }
    ADD_FAILURE() << "no access line " << method << " " << route << " " << status << "\n" << log;
    return json::object();
  };
  const json share = find("GET", "/s/{token}", 200);
  EXPECT_GT(share.value("bytes", 0), 100);
  EXPECT_GE(share.value("duration_ms", -1), 0);
  EXPECT_EQ(share.value("client", ""), "127.0.0.1");
  EXPECT_EQ(share.value("msg", ""),
            "GET /s/{token} 200 " + std::to_string(share.value("bytes", 0)) + " B " +
                std::to_string(share.value("duration_ms", 0)) + " ms 127.0.0.1");
  find("POST", "/whip/{sid}/{tracks}", 400);
  find("POST", "/api/v1/sessions/{sid}/publishers", 201);
  find("GET", "(no route)", 404);
  find("GET", "/livez", 200);
  find("POST", "/api/v1/recordings/{rid}/stop", 200);

  EXPECT_THAT(log, Not(HasSubstr(share_token)));
  EXPECT_THAT(log, Not(HasSubstr(publisher_token)));
  EXPECT_THAT(log, Not(HasSubstr("secret-404-path")));
  EXPECT_THAT(log, Not(HasSubstr("no-such-place")));
  EXPECT_THAT(log, Not(HasSubstr("secret-query-value")));
}

TEST(ServeLog, TextIsTheDefaultAndTheAccessLogCanBeTurnedOff) {
  ServeProcess text;
  EXPECT_EQ(text.Client().Get("/livez")->status, 200);
  ASSERT_EQ(text.StopWith(SIGTERM), 0);
  const std::regex access_line(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info \[access\] GET /livez 200 \d+ B \d+ ms 127\.0\.0\.1$)");
  int matching = 0;
  for (const std::string& line : Lines(text.Log())) {
    matching += std::regex_match(line, access_line) ? 1 : 0;
  }
  EXPECT_GE(matching, 2) << text.Log(); // the fixture's wait for /livez and ours

  ServeProcess quiet(std::map<std::string, std::string>{{"SSR_ACCESS_LOG", "false"}});
  EXPECT_EQ(quiet.Client().Get("/livez")->status, 200);
  ASSERT_EQ(quiet.StopWith(SIGTERM), 0);
  EXPECT_THAT(quiet.Log(), Not(HasSubstr("[access]")));
  EXPECT_THAT(quiet.Log(), HasSubstr("[http] listening on"));
}

TEST(ServeLog, BadLogSettingsStopTheServerNamingThem) {
  const std::string serve = "SSR_API_KEY=" + std::string(kApiKey) +
                            " timeout 20 " SSR_BINARY
                            " serve --listen 127.0.0.1:0 --data /nonexistent";
  const CommandResult format = RunCommand("SSR_LOG_FORMAT=xml " + serve);
  EXPECT_EQ(format.exit_code, 2) << format.output;
  EXPECT_THAT(format.output, HasSubstr("log_format: 'xml' is not a log format (text or json)"));
  const CommandResult access = RunCommand("SSR_ACCESS_LOG=maybe " + serve);
  EXPECT_EQ(access.exit_code, 2) << access.output;
  EXPECT_THAT(access.output, HasSubstr("SSR_ACCESS_LOG: 'maybe' is not a boolean"));
}

} // namespace
} // namespace ssr::test
