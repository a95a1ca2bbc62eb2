// The route table (http/router.h, rows in api_routes.cpp) and the path helpers: which row a
// method and a path find, with which named params, and 405 with Allow or 404 otherwise.

#include "http/api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace ssr::http {
namespace {

using beast_http::verb;

TEST(ApiPaths, SplitPathDecodesSegmentsAndDropsTheQuery) {
  auto s = SplitPath("/api/v1/sessions/a%20b/assets/x%2Fy.png?v=1");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 6u);
  EXPECT_EQ((*s)[3], "a b");
  EXPECT_EQ((*s)[5], "x/y.png");
  EXPECT_FALSE(SplitPath("/bad%2"));
  EXPECT_FALSE(SplitPath("/bad%zz"));
  EXPECT_FALSE(SplitPath("no-slash"));
  auto trailing = SplitPath("/api/v1/sessions/s/assets/");
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->back(), "");
}

// One request and what the server's table says about it.
struct Case {
  verb method;
  std::string target;
  std::string pattern; // "": 404
  std::string allow;   // the path's verbs
  bool found_row;      // false: 405 (when pattern is set)
  std::map<std::string, std::string> params;
};

const RouteTable& ServedTable() {
  static const RouteTable table(Api::RouteRows(), /*with_test_only=*/false);
  return table;
}

TEST(RouteTable, FindsEachRouteWithItsParamsOr405Or404) {
  const std::vector<Case> cases = {
      {verb::get, "/livez", "/livez", "GET", true, {}},
      {verb::post, "/livez", "/livez", "GET", false, {}},
      {verb::get, "/", "/", "GET", true, {}},
      {verb::get, "/recordings/r1", "/recordings/{rid}", "GET", true, {{"rid", "r1"}}},
      {verb::get, "/assets/app.js", "/assets/{file}", "GET", true, {{"file", "app.js"}}},
      {verb::post, "/api/v1/sessions", "/api/v1/sessions", "POST", true, {}},
      {verb::get, "/api/v1/sessions", "/api/v1/sessions", "POST", false, {}},
      {verb::get,
       "/api/v1/sessions/bio",
       "/api/v1/sessions/{sid}",
       "GET, DELETE",
       true,
       {{"sid", "bio"}}},
      {verb::put,
       "/api/v1/sessions/bio/assets/a%20b.pdf",
       "/api/v1/sessions/{sid}/assets/{name}",
       "PUT",
       true,
       {{"sid", "bio"}, {"name", "a b.pdf"}}},
      {verb::post,
       "/whip/bio/cam+mic",
       "/whip/{sid}/{tracks}",
       "POST",
       true,
       {{"sid", "bio"}, {"tracks", "cam+mic"}}},
      {verb::delete_,
       "/whip/bio/cam/xyz",
       "/whip/{sid}/{tracks}/{resource}",
       "DELETE",
       true,
       {{"sid", "bio"}, {"tracks", "cam"}, {"resource", "xyz"}}},
      {verb::patch, "/whip/bio/cam/xyz", "/whip/{sid}/{tracks}/{resource}", "DELETE", false, {}},
      {verb::post,
       "/api/v1/sessions/bio/tracks/cam/rtp",
       "/api/v1/sessions/{sid}/tracks/{track}/rtp",
       "POST",
       true,
       {{"sid", "bio"}, {"track", "cam"}}},
      {verb::get,
       "/api/v1/recordings/r1",
       "/api/v1/recordings/{rid}",
       "GET, PATCH, DELETE",
       true,
       {{"rid", "r1"}}},
      {verb::delete_,
       "/api/v1/recordings/r1",
       "/api/v1/recordings/{rid}",
       "GET, PATCH, DELETE",
       true,
       {{"rid", "r1"}}},
      {verb::put,
       "/api/v1/recordings/r1",
       "/api/v1/recordings/{rid}",
       "GET, PATCH, DELETE",
       false,
       {}},
      {verb::put,
       "/api/v1/recordings/r1/sharing",
       "/api/v1/recordings/{rid}/sharing",
       "GET, PUT",
       true,
       {{"rid", "r1"}}},
      {verb::delete_,
       "/api/v1/recordings/r1/stop",
       "/api/v1/recordings/{rid}/stop",
       "POST",
       false,
       {}},
      {verb::post,
       "/api/v1/recordings/r1/parts/2/watch",
       "/api/v1/recordings/{rid}/parts/{n}/watch",
       "POST",
       true,
       {{"rid", "r1"}, {"n", "2"}}},
      {verb::get,
       "/api/v1/recordings/r1/parts/x/download",
       "/api/v1/recordings/{rid}/parts/{n}/download",
       "GET",
       true,
       {{"rid", "r1"}, {"n", "x"}}},
      {verb::get, "/api/v1/recordings/r1/parts/2/nothing", "", "", false, {}},
      {verb::delete_,
       "/api/v1/recordings/r1/links/l1",
       "/api/v1/recordings/{rid}/links/{lid}",
       "DELETE",
       true,
       {{"rid", "r1"}, {"lid", "l1"}}},
      {verb::put,
       "/api/v1/recordings/r1/links",
       "/api/v1/recordings/{rid}/links",
       "GET, POST",
       false,
       {}},
      {verb::get, "/api/v1/settings", "/api/v1/settings", "GET, PUT", true, {}},
      {verb::post, "/api/v1/settings", "/api/v1/settings", "GET, PUT", false, {}},
      {verb::post, "/api/v1/users", "/api/v1/users", "GET, POST", true, {}},
      {verb::put,
       "/api/v1/users/u1/password",
       "/api/v1/users/{id}/password",
       "PUT",
       true,
       {{"id", "u1"}}},
      {verb::get, "/api/v1/users/u1/nothing", "", "", false, {}},
      {verb::head, "/watch/t1", "/watch/{token}", "GET, HEAD", true, {{"token", "t1"}}},
      {verb::post, "/watch/t1", "/watch/{token}", "GET, HEAD", false, {}},
      {verb::post, "/watch/t1/renew", "/watch/{token}/renew", "POST", true, {{"token", "t1"}}},
      {verb::get, "/s/t1", "/s/{token}", "GET", true, {{"token", "t1"}}},
      {verb::get, "/api/v1/openapi.json", "/api/v1/openapi.json", "GET", true, {}},
      {verb::put, "/api/v1/sessions/bio/test-faults", "", "", false, {}}, // test-only
      {verb::get, "/nothing/here", "", "", false, {}},
      {verb::get, "/api/v1", "", "", false, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(beast_http::to_string(c.method)) + " " + c.target);
    const auto segments = SplitPath(c.target);
    ASSERT_TRUE(segments);
    const RouteTable::Found found = ServedTable().Find(c.method, *segments);
    EXPECT_EQ(found.pattern, c.pattern);
    if (c.pattern.empty()) {
      EXPECT_EQ(found.row, nullptr);
      continue;
    }
    EXPECT_EQ(found.allow, c.allow);
    EXPECT_EQ(found.row != nullptr, c.found_row);
    if (!c.found_row)
      continue;
    EXPECT_EQ(found.row->pattern, c.pattern);
    std::map<std::string, std::string> params;
    for (const PathParam& p : found.params)
      params[p.name] = p.value;
    EXPECT_EQ(params, c.params);
  }
}

TEST(RouteTable, TheVerbPicksTheRowOfAPath) {
  auto kind_of = [](verb method, const std::string& target) {
    const auto found = ServedTable().Find(method, *SplitPath(target));
    return found.row ? found.row->kind : RouteKind::kLivez;
  };
  EXPECT_EQ(kind_of(verb::get, "/api/v1/users"), RouteKind::kUsers);
  EXPECT_EQ(kind_of(verb::post, "/api/v1/users"), RouteKind::kCreateUser);
  EXPECT_EQ(kind_of(verb::patch, "/api/v1/recordings/r1"), RouteKind::kRecording);
  EXPECT_EQ(kind_of(verb::post, "/api/v1/recordings/r1/links"), RouteKind::kLinks);
  EXPECT_EQ(kind_of(verb::get, "/watch/t/chapters.vtt"), RouteKind::kWatchChapters);
}

TEST(RouteTable, TestOnlyRoutesOnlyWithTestFaults) {
  const RouteTable with(Api::RouteRows(), /*with_test_only=*/true);
  const auto found = with.Find(verb::put, *SplitPath("/api/v1/sessions/bio/test-faults"));
  ASSERT_NE(found.row, nullptr);
  EXPECT_EQ(found.row->kind, RouteKind::kTestFaults);
  EXPECT_EQ(with.rows().size(), ServedTable().rows().size() + 1);
}

// What every row must be for Api::Match and Api::Handle to serve it.
TEST(RouteTable, RowsAreConsistent) {
  const std::set<RouteKind> served_by_connection = {
      RouteKind::kPutAsset,      RouteKind::kDownloadPart, RouteKind::kPartChat,
      RouteKind::kPartChapters,  RouteKind::kWatch,        RouteKind::kWatchChat,
      RouteKind::kWatchChapters, RouteKind::kWebAsset,     RouteKind::kNotifications};
  std::map<std::string, RouteAuth> auth_of_pattern;
  for (const RouteRow& row : Api::RouteRows()) {
    SCOPED_TRACE(row.pattern);
    EXPECT_EQ(row.handler == nullptr, served_by_connection.count(row.kind) == 1);
    // A path's rows share their credential: it is checked before the verb.
    const auto [it, inserted] = auth_of_pattern.emplace(row.pattern, row.auth);
    EXPECT_EQ(it->second, row.auth);
    const auto params = PatternParams(row.pattern);
    const bool has_sid = std::find(params.begin(), params.end(), "sid") != params.end();
    if (row.auth == RouteAuth::kIngestToken || row.auth == RouteAuth::kSessionRunner) {
      EXPECT_TRUE(has_sid) << "the credential is the session's";
    }
    if (row.auth == RouteAuth::kPathToken) {
      EXPECT_NE(std::find(params.begin(), params.end(), "token"), params.end());
    }
  }
}

TEST(RouteTable, RejectsMalformedAndOverlappingPatterns) {
  EXPECT_EQ(PatternParams("/a/{x}/b/{y}"), (std::vector<std::string>{"x", "y"}));
  EXPECT_THROW(PatternParams("no-slash"), std::logic_error);
  EXPECT_THROW(PatternParams("/a{x}"), std::logic_error);
  EXPECT_THROW(PatternParams("/{x}/{x}"), std::logic_error);
  const std::vector<RouteRow> overlapping = {{{verb::get}, "/a/{x}"}, {{verb::get}, "/a/b"}};
  EXPECT_THROW(RouteTable{overlapping}, std::logic_error);
  const std::vector<RouteRow> no_verb = {{{}, "/a"}};
  EXPECT_THROW(RouteTable{no_verb}, std::logic_error);
  const std::vector<RouteRow> fine = {
      {{verb::get}, "/a/{x}"}, {{verb::post}, "/a/{x}"}, {{verb::get}, "/a/{x}/b"}};
  const RouteTable table(fine);
  const auto found = table.Find(verb::delete_, *SplitPath("/a/1"));
  EXPECT_EQ(found.pattern, "/a/{x}");
  EXPECT_EQ(found.row, nullptr);
  EXPECT_EQ(found.allow, "GET, POST");
}

} // namespace
} // namespace ssr::http
