#include "http/caller_resolver.h"

#include "http/api_error.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

beast_http::request_header<> WithCookies(std::initializer_list<const char*> values) {
  beast_http::request_header<> header;
  for (const char* v : values)
    header.insert(beast_http::field::cookie, v);
  return header;
}

TEST(CookieValue, FindsACookieAmongOthersAndHeaders) {
  EXPECT_EQ(CookieValue(WithCookies({"a=1; ssr_session=tok; b=2"}), "ssr_session"), "tok");
  EXPECT_EQ(CookieValue(WithCookies({"a=1", "ssr_session=\"q\""}), "ssr_session"), "q");
  EXPECT_EQ(CookieValue(WithCookies({"ssr_session="}), "ssr_session"), "");
  EXPECT_FALSE(CookieValue(WithCookies({"xssr_session=1; ssr_sessionx=2"}), "ssr_session"));
  EXPECT_FALSE(CookieValue(WithCookies({";;=;"}), "ssr_session"));
  EXPECT_FALSE(CookieValue(WithCookies({}), "ssr_session"));
}

beast_http::request_header<> Request(beast_http::verb method, const char* site) {
  beast_http::request_header<> header;
  header.method(method);
  if (site != nullptr)
    header.set("Sec-Fetch-Site", site);
  return header;
}

int StatusOf(const beast_http::request_header<>& header) {
  try {
    CheckCookieRequestIsOurs(header);
  } catch (const ApiError& e) {
    return static_cast<int>(e.status());
  }
  return 200;
}

TEST(CheckCookieRequestIsOurs, RefusesChangesFromOtherSitesPagesOnly) {
  using beast_http::verb;
  for (verb method : {verb::post, verb::put, verb::patch, verb::delete_}) {
    EXPECT_EQ(StatusOf(Request(method, "cross-site")), 403);
    EXPECT_EQ(StatusOf(Request(method, "same-site")), 403); // a sibling subdomain
    EXPECT_EQ(StatusOf(Request(method, "same-origin")), 200);
    EXPECT_EQ(StatusOf(Request(method, "none")), 200);  // typed or bookmarked
    EXPECT_EQ(StatusOf(Request(method, nullptr)), 200); // no Fetch Metadata: SameSite's job
  }
  EXPECT_EQ(StatusOf(Request(verb::get, "cross-site")), 200);
  EXPECT_EQ(StatusOf(Request(verb::head, "cross-site")), 200);
  EXPECT_EQ(StatusOf(Request(verb::post, "Cross-Site")), 403); // anything unknown is refused
}

TEST(SessionCookieName, IsHostOnlyBehindHttps) {
  EXPECT_EQ(SessionCookieName(true), "__Host-ssr_session");
  EXPECT_EQ(SessionCookieName(false), "ssr_session");
}

} // namespace
} // namespace ssr::http
