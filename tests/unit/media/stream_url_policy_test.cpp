// The stream URL policy (docs/security.md, "Media URLs") over a table of URLs: what is
// accepted, what is refused and the words that say why. No network: literal addresses, and
// a name /etc/hosts answers (localhost).

#include "media/stream_url_policy.h"

#include <arpa/inet.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::media {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* url;
  const char* why; // "" when accepted, else a part of the reason
};

TEST(StreamUrlPolicy, AcceptsHttpAndHttpsToPublicHosts) {
  const StreamUrlPolicy policy;
  for (const char* url : {"http://example.org/live.m3u8", "https://cdn.example.org:8443/a?b=c#d",
                          "HTTPS://Example.ORG", "http://93.184.216.34/x", "http://8.8.8.8:80",
                          "http://[2606:4700::1111]/", "http://[2001:db8::1]:8080/live"}) {
    EXPECT_EQ(policy.CheckSyntax(url), "") << url;
  }
}

TEST(StreamUrlPolicy, RefusesOtherSchemesAndPathsNamingTheReason) {
  const StreamUrlPolicy policy(
      std::vector<std::string>{"127.0.0.1"}); // the allow-list does not open other schemes
  const Case cases[] = {
      {"file:/etc/passwd", "scheme 'file' is not allowed: only http and https"},
      {"FILE:///srv/x.webm", "scheme 'file' is not allowed"},
      {"/var/lib/ssr/sessions/s1/tracks/cam.webm", "is not a URL (a path?)"},
      {"tracks/cam.webm", "is not a URL"},
      {"pipe:0", "scheme 'pipe' is not allowed"},
      {"unix:/tmp/x", "scheme 'unix' is not allowed"},
      {"tcp://127.0.0.1:9999", "scheme 'tcp' is not allowed"},
      {"gopher://127.0.0.1:9999/", "scheme 'gopher' is not allowed"},
      {"concat:http://a.example|http://b.example", "scheme 'concat' is not allowed"},
      {"subfile,,start,0,end,9,,:http://a.example/", "is not a URL"},
      {"rtmp://a.example/live", "scheme 'rtmp' is not allowed"},
      {"http:/a.example/x", "must start with http://host"},
      {"http://user:pw@a.example/x", "a user name or password in the URL is not allowed"},
      {"http://a.example@127.0.0.1/x", "a user name or password"},
      {"http:///x", "the URL has no host"},
      {"http://:80/x", "the URL has no host"},
      {"http://a.example:http/x", "port 'http' is not a number from 1 to 65535"},
      {"http://a.example:/x", "port '' is not a number"},
      {"http://a.example:70000/x", "port '70000'"},
      {"http://a_b.example/x", "is not a host name or an IP address"},
      {"http://[::1/x", "is not an IPv6 address in brackets"},
      {"http://[fe80::1%25eth0]/x", "is not an IPv6 address"},
      {"http://a.example/x y", "a space, a backslash or a control character"},
      {"http://a.example\\@127.0.0.1/", "a backslash"},
      {"", "is not a URL"},
  };
  for (const Case& c : cases) {
    const std::string why = policy.CheckSyntax(c.url);
    EXPECT_THAT(why, HasSubstr(c.why)) << c.url;
    const OpenVerdict at_open = policy.CheckForOpen(c.url);
    EXPECT_EQ(at_open.refused, why) << c.url; // the same words at open
    EXPECT_FALSE(at_open.retry) << c.url;
  }
}

TEST(StreamUrlPolicy, RefusesNonPublicLiteralAddresses) {
  const StreamUrlPolicy policy;
  const Case cases[] = {
      {"http://127.0.0.1:9999/probe", "host 127.0.0.1 is a loopback address; allow it with "
                                      "stream_url_allow"},
      {"http://127.8.9.10/", "loopback"},
      {"http://127.1/", "host 127.0.0.1 is a loopback address"},      // short form
      {"http://2130706433/", "host 127.0.0.1 is a loopback address"}, // one number
      {"http://0x7f.0.0.1/", "host 127.0.0.1 is a loopback"},         // hexadecimal
      {"http://0.0.0.0:8080/", "host 0.0.0.0 is an unspecified address"},
      {"http://169.254.169.254/latest/meta-data/", "host 169.254.169.254 is a link-local"},
      {"http://10.1.2.3/", "private"},
      {"http://172.16.0.1/", "private"},
      {"http://172.31.255.255/", "private"},
      {"http://192.168.1.1/", "private"},
      {"http://100.64.0.1/", "carrier-grade NAT"},
      {"http://100.127.255.254/", "carrier-grade NAT"},
      {"http://224.0.0.1/", "multicast"},
      {"http://255.255.255.255/", "reserved"},
      {"http://[::1]:8080/", "host ::1 is a loopback address"},
      {"http://[::]/", "host :: is an unspecified address"},
      {"http://[fe80::1]/", "link-local"},
      {"http://[fd00::5]/", "private"},
      {"http://[fc00::5]/", "private"},
      {"http://[ff02::1]/", "multicast"},
      {"http://[::ffff:127.0.0.1]/", "host ::ffff:127.0.0.1 is a loopback address"},
      {"http://[::ffff:a9fe:a9fe]/", "link-local"}, // mapped 169.254.169.254
      {"http://[::ffff:10.0.0.1]/", "private"},
      {"http://[64:ff9b::a00:1]/", "private"}, // NAT64 of 10.0.0.1
      {"http://[::127.0.0.1]/", "reserved"},   // IPv4-compatible
      {"http://localhost:8080/", "host localhost is a loopback name"},
      {"http://admin.localhost/", "loopback name"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(policy.CheckSyntax(c.url), HasSubstr(c.why)) << c.url;
  }
}

TEST(StreamUrlPolicy, KeepsTheAddressesNextToTheRanges) {
  // Just outside each refused range: public.
  const StreamUrlPolicy policy;
  for (const char* url :
       {"http://172.15.255.255/", "http://172.32.0.1/", "http://100.63.255.255/",
        "http://100.128.0.1/", "http://169.253.255.255/", "http://11.0.0.1/",
        "http://223.255.255.255/", "http://[fe00::1]/", "http://[::ffff:8.8.8.8]/"}) {
    EXPECT_EQ(policy.CheckSyntax(url), "") << url;
  }
}

TEST(StreamUrlPolicy, TheAllowListOpensExactlyItsHostsAndAddresses) {
  const StreamUrlPolicy policy(StreamUrlPolicy::ParseAllowList(" 127.0.0.2, Cam.LAN ,,::1"));
  EXPECT_EQ(policy.CheckSyntax("http://127.0.0.2:9000/live"), "");
  EXPECT_EQ(policy.CheckSyntax("http://cam.lan/live"), "");
  EXPECT_EQ(policy.CheckSyntax("http://[::1]:8080/"), "");
  EXPECT_EQ(policy.CheckSyntax("http://[0:0::1]/"), ""); // the same address, written otherwise
  EXPECT_THAT(policy.CheckSyntax("http://127.0.0.1:9000/live"), HasSubstr("loopback"));
  EXPECT_THAT(policy.CheckSyntax("http://other.localhost/"), HasSubstr("loopback name"));
  EXPECT_THAT(policy.CheckSyntax("file:/etc/passwd"), HasSubstr("scheme 'file'"));
  EXPECT_EQ(policy.CheckForOpen("http://127.0.0.2:9000/live").refused, "");
}

TEST(StreamUrlPolicy, AtOpenEveryResolvedAddressCounts) {
  // localhost resolves (/etc/hosts) to loopback addresses: refused unless its name or its
  // addresses are allowed.
  EXPECT_THAT(StreamUrlPolicy().CheckForOpen("http://localhost:1/").refused, HasSubstr("loopback"));
  EXPECT_EQ(StreamUrlPolicy(std::vector<std::string>{"localhost"})
                .CheckForOpen("http://localhost:1/")
                .refused,
            "");
  const OpenVerdict loopback = StreamUrlPolicy().CheckForOpen("http://127.0.0.1:1/");
  EXPECT_THAT(loopback.refused, HasSubstr("host 127.0.0.1 is a loopback address"));
  EXPECT_FALSE(loopback.retry); // a refused address stays refused
}

// A resolver failure (here injected: no DNS traffic leaves the machine) is a refusal for
// now, marked to be retried; a name that resolves to a private address is refused for good.
TEST(StreamUrlPolicy, ANameThatDoesNotResolveNowIsRetriedNotRefused) {
  int calls = 0;
  const StreamUrlPolicy policy({}, [&calls](const std::string& host, addrinfo** found) {
    ++calls;
    if (host != "cam.example") {
      return EAI_NONAME;
    }
    if (calls == 1) {
      return EAI_AGAIN; // the resolver timed out
    }
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_NUMERICHOST;
    return getaddrinfo("10.1.2.3", nullptr, &hints, found);
  });
  const OpenVerdict first = policy.CheckForOpen("http://cam.example/live");
  EXPECT_THAT(first.refused, HasSubstr("host cam.example cannot be resolved"));
  EXPECT_TRUE(first.retry);
  const OpenVerdict second = policy.CheckForOpen("http://cam.example/live");
  EXPECT_THAT(second.refused, HasSubstr("resolves to 10.1.2.3, a private"));
  EXPECT_FALSE(second.retry);
  EXPECT_EQ(calls, 2);
}

TEST(StreamUrlPolicy, ParsesTheAllowListAndChecksItsEntries) {
  EXPECT_EQ(StreamUrlPolicy::ParseAllowList(""), std::vector<std::string>{});
  EXPECT_EQ(StreamUrlPolicy::ParseAllowList("A.example, 10.0.0.1,"),
            (std::vector<std::string>{"a.example", "10.0.0.1"}));
  for (const char* good : {"cam.lan", "10.0.0.1", "::1", "fe80::1"}) {
    EXPECT_EQ(StreamUrlPolicy::CheckAllowEntry(good), "") << good;
  }
  for (const char* bad : {"http://cam.lan", "cam.lan:8080", "[::1]", "a b", ""}) {
    EXPECT_THAT(StreamUrlPolicy::CheckAllowEntry(bad), HasSubstr("is not a host name or an IP"))
        << bad;
  }
}

TEST(StreamUrlPolicy, ParseGivesSchemeHostAndPort) {
  StreamUrl url;
  std::string why;
  ASSERT_TRUE(StreamUrlPolicy::Parse("HTTPS://Cam.Example:8443/live?x=1", url, why)) << why;
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "cam.example");
  EXPECT_EQ(url.port, 8443);
  ASSERT_TRUE(StreamUrlPolicy::Parse("http://[2001:DB8::1]/", url, why)) << why;
  EXPECT_EQ(url.host, "2001:db8::1");
  EXPECT_EQ(url.port, 0);
}

} // namespace
} // namespace ssr::media
