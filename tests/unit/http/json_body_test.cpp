// http::ParseJson, which reads every JSON a client sends (bodies and events WebSocket
// messages): whatever is not JSON it can take is a 400 invalid_json, never another exception
// (which the server would answer with 500 and a closed connection).

#include "http/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace ssr::http {
namespace {

// The ApiError of parsing `text` ("" code when it parses).
ApiError ProblemOf(const std::string& text) {
  try {
    ParseJson(text, "body");
  } catch (const ApiError& e) {
    return e;
  }
  return ApiError(beast_http::status::ok, "", "");
}

TEST(ParseJson, ValidJsonParses) {
  EXPECT_EQ(ParseJson(R"({"t": 1.5e3, "n": [1, 2]})", "body")["t"], 1500.0);
  EXPECT_EQ(ProblemOf("[]").code(), "");
}

TEST(ParseJson, SyntaxErrorsAreInvalidJson) {
  const ApiError e = ProblemOf(R"({"t": )");
  EXPECT_EQ(e.status(), beast_http::status::bad_request);
  EXPECT_EQ(e.code(), "invalid_json");
}

// Found by rtp_forward_fuzzer: a number past a double's range (nlohmann::json's out_of_range
// 406, not a parse_error) got past ParseJson, and the server answered 500.
TEST(ParseJson, ANumberTooLargeForADoubleIsInvalidJson) {
  for (const std::string text : {"1e400", R"({"t": -1e999})", R"([0, 555.5e5859349844049])"}) {
    const ApiError e = ProblemOf(text);
    EXPECT_EQ(e.status(), beast_http::status::bad_request) << text;
    EXPECT_EQ(e.code(), "invalid_json") << text;
    EXPECT_NE(std::string(e.what()).find("body is not valid JSON"), std::string::npos) << e.what();
  }
}

TEST(ParseJson, NestingPastTheLimitIsInvalidJson) {
  const std::string deep =
      std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  const ApiError e = ProblemOf(deep);
  EXPECT_EQ(e.code(), "invalid_json");
  EXPECT_NE(std::string(e.what()).find("nesting is too deep"), std::string::npos) << e.what();
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(ProblemOf(ok).code(), "");
}

} // namespace
} // namespace ssr::http
