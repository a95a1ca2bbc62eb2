// docs/openapi.json (embedded: http/openapi_document.h) against the route table, both ways:
// every row is documented with its verbs, path params and credential, and every documented
// operation is a row. Its validity as OpenAPI 3.1 is checked by a real validator (ctest
// openapi_valid, tests/openapi/validate.mjs).

#include "http/api.h"
#include "http/openapi_document.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace ssr::http {
namespace {

using nlohmann::json;

const std::set<std::string> kOperations = {"get",     "put",  "post",  "delete",
                                           "options", "head", "patch", "trace"};

const json& Document() {
  static const json doc = json::parse(OpenApiDocument());
  return doc;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The security scheme names of an operation's alternatives: {"apiKey", "userJwt", ...}.
std::set<std::string> SchemesOf(const json& operation) {
  std::set<std::string> names;
  for (const json& alternative : operation.at("security")) {
    for (const auto& [name, scopes] : alternative.items())
      names.insert(name);
  }
  return names;
}

std::set<std::string> SchemesFor(RouteAuth auth) {
  switch (auth) {
  case RouteAuth::kNone:
  case RouteAuth::kPathToken:
    return {};
  case RouteAuth::kApiKey:
    return {"apiKey"};
  case RouteAuth::kCaller:
    return {"apiKey", "userJwt", "sessionCookie"};
  case RouteAuth::kSessionRunner:
    return {"apiKey", "userJwt", "sessionCookie"}; // + the stream's ticket
  case RouteAuth::kIngestToken:
    return {"ingestToken", "apiKey"};
  }
  return {};
}

TEST(OpenApi, IsAnOpenApi31Document) {
  EXPECT_EQ(Document().at("openapi"), "3.1.0");
  EXPECT_TRUE(Document().at("paths").is_object());
  for (const char* scheme :
       {"apiKey", "userJwt", "sessionCookie", "ingestToken", "notificationTicket"}) {
    EXPECT_TRUE(Document().at("components").at("securitySchemes").contains(scheme)) << scheme;
  }
}

TEST(OpenApi, DocumentsEveryRouteWithItsVerbsParamsAndCredential) {
  std::map<std::string, std::set<std::string>> table_verbs;
  for (const RouteRow& row : Api::RouteRows()) {
    SCOPED_TRACE(row.pattern);
    const json& paths = Document().at("paths");
    ASSERT_TRUE(paths.contains(row.pattern)) << "not documented";
    const json& item = paths.at(row.pattern);
    for (const auto v : row.verbs) {
      const std::string op = Lower(beast_http::to_string(v));
      table_verbs[row.pattern].insert(op);
      ASSERT_TRUE(item.contains(op)) << op << " not documented";
      std::set<std::string> schemes = SchemesOf(item.at(op));
      if (row.kind == RouteKind::kNotifications)
        schemes.erase("notificationTicket");
      EXPECT_EQ(schemes, SchemesFor(row.auth)) << op;
    }
    std::vector<std::string> documented_params;
    for (const json& p : item.value("parameters", json::array())) {
      if (p.at("in") == "path") {
        EXPECT_TRUE(p.at("required").get<bool>()) << p.at("name");
        documented_params.push_back(p.at("name"));
      }
    }
    EXPECT_EQ(documented_params, PatternParams(row.pattern));
  }
  // Both ways: every documented operation is in the table.
  for (const auto& [path, item] : Document().at("paths").items()) {
    ASSERT_TRUE(table_verbs.count(path)) << path << " is documented but not served";
    for (const auto& [key, value] : item.items()) {
      if (kOperations.count(key)) {
        EXPECT_TRUE(table_verbs.at(path).count(key)) << key << " " << path << " is not served";
      }
    }
  }
}

TEST(OpenApi, EveryOperationHasAnIdSummaryAndResponses) {
  std::set<std::string> ids;
  for (const auto& [path, item] : Document().at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (!kOperations.count(key))
        continue;
      SCOPED_TRACE(key + " " + path);
      EXPECT_TRUE(ids.insert(operation.at("operationId").get<std::string>()).second);
      EXPECT_FALSE(operation.at("summary").get<std::string>().empty());
      EXPECT_FALSE(operation.at("responses").empty());
    }
  }
}

} // namespace
} // namespace ssr::http
