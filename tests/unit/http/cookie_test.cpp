#include "http/caller_resolver.h"

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

} // namespace
} // namespace ssr::http
