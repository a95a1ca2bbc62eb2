// The built-in share-link page and its Content-Security-Policy (review finding L2): the
// policy allows the page's own style and script by their SHA-256 (computed here with OpenSSL,
// apart from the server's libsodium), nothing inline besides, and no <base>.

#include "http/share_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string>

namespace ssr::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The text between the first `open` and the `close` after it.
std::string Between(const std::string& page, const std::string& open, const std::string& close) {
  const size_t start = page.find(open);
  EXPECT_NE(start, std::string::npos) << open;
  const size_t end = page.find(close, start);
  EXPECT_NE(end, std::string::npos) << close;
  return page.substr(start + open.size(), end - start - open.size());
}

std::string CspSha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char base64[64] = {};
  const int n = EVP_EncodeBlock(base64, digest, SHA256_DIGEST_LENGTH);
  return "'sha256-" + std::string(reinterpret_cast<char*>(base64), n) + "'";
}

TEST(SharePage, ItsPolicyAllowsItsOwnScriptAndStyleByHashAndNothingInline) {
  const std::string page = SharePageHtml("Biology");
  const std::string& csp = SharePageCsp();
  const std::string script = Between(page, "<script>", "</script>");
  const std::string style = Between(page, "<style>", "</style>");
  EXPECT_THAT(script, HasSubstr("addEventListener(\"submit\""));
  EXPECT_THAT(csp, HasSubstr("script-src " + CspSha256(script) + ";"));
  EXPECT_THAT(csp, HasSubstr("style-src " + CspSha256(style) + ";"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
  EXPECT_THAT(csp, HasSubstr("base-uri 'none'"));
  EXPECT_THAT(csp, HasSubstr("form-action 'none'"));
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
}

TEST(SharePage, ATitleCannotAddMarkup) {
  const std::string page =
      SharePageHtml("</title><script>alert(1)</script><base href=//evil/><style>*{}</style>");
  EXPECT_THAT(page, Not(HasSubstr("<base")));
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, HasSubstr("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;base "
                              "href=//evil/&gt;"));
  // One script and one style: the page's own.
  EXPECT_EQ(page.find("<script>"), page.rfind("<script>"));
  EXPECT_EQ(page.find("<style>"), page.rfind("<style>"));
}

} // namespace
} // namespace ssr::http
