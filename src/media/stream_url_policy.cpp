#include "media/stream_url_policy.h"

#include "common/ip_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

namespace ssr::media {
namespace {

constexpr const char* kHowToAllow = "; allow it with stream_url_allow";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool IsSchemeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

bool IsHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

bool IsHostName(const std::string& host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), IsHostNameChar);
}

// "a loopback address", "an unspecified address".
std::string WithArticle(const std::string& range) {
  const bool vowel = std::string("aeiou").find(range.front()) != std::string::npos;
  return (vowel ? "an " : "a ") + range + " address";
}

std::string AddressText(const void* address, int family) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, address, text, sizeof(text));
  return text;
}

// The port of "host:PORT": digits only, 1..65535.
bool ParsePort(const std::string& text, int& port) {
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  port = std::stoi(text);
  return port >= 1 && port <= 65535;
}

// Splits the authority (between "//" and the path) into host and port.
bool ParseAuthority(const std::string& authority, StreamUrl& out, std::string& why) {
  if (authority.find('@') != std::string::npos) {
    why = "a user name or password in the URL is not allowed";
    return false;
  }
  std::string port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    in6_addr v6{};
    out.host = close == std::string::npos ? "" : authority.substr(1, close - 1);
    if (close == std::string::npos || inet_pton(AF_INET6, out.host.c_str(), &v6) != 1) {
      why = "host '" + authority + "' is not an IPv6 address in brackets";
      return false;
    }
    out.host = AddressText(&v6, AF_INET6);
    const std::string after = authority.substr(close + 1);
    has_port = !after.empty();
    if (has_port && after.front() != ':') {
      why = "'" + after + "' after the IPv6 address is not a :port";
      return false;
    }
    port_text = has_port ? after.substr(1) : "";
  } else {
    const size_t colon = authority.find(':');
    has_port = colon != std::string::npos;
    out.host = Lower(authority.substr(0, colon));
    port_text = has_port ? authority.substr(colon + 1) : "";
    if (out.host.empty()) {
      why = "the URL has no host";
      return false;
    }
    if (!IsHostName(out.host)) {
      why = "host '" + out.host + "' is not a host name or an IP address";
      return false;
    }
  }
  if (has_port && !ParsePort(port_text, out.port)) {
    why = "port '" + port_text + "' is not a number from 1 to 65535";
    return false;
  }
  return true;
}

} // namespace

StreamUrlPolicy::StreamUrlPolicy(std::vector<std::string> allowed, Resolver resolve)
    : resolve_(std::move(resolve)) {
  if (!resolve_) {
    resolve_ = [](const std::string& host, addrinfo** found) {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      return getaddrinfo(host.c_str(), nullptr, &hints, found);
    };
  }
  for (std::string& entry : allowed) {
    const std::string address = CanonicalIpAddress(entry);
    allowed_.push_back(address.empty() ? Lower(std::move(entry)) : address);
  }
}

std::vector<std::string> StreamUrlPolicy::ParseAllowList(const std::string& comma_separated) {
  std::vector<std::string> entries;
  size_t start = 0;
  while (start <= comma_separated.size()) {
    size_t end = comma_separated.find(',', start);
    end = end == std::string::npos ? comma_separated.size() : end;
    std::string entry = comma_separated.substr(start, end - start);
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (!entry.empty()) {
      entries.push_back(Lower(entry));
    }
    start = end + 1;
  }
  return entries;
}

std::string StreamUrlPolicy::CheckAllowEntry(const std::string& entry) {
  if (!CanonicalIpAddress(entry).empty() || IsHostName(entry)) {
    return "";
  }
  return "'" + entry + "' is not a host name or an IP address (no scheme, port or brackets)";
}

bool StreamUrlPolicy::Parse(const std::string& url, StreamUrl& out, std::string& why) {
  out = StreamUrl();
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f || c == '\\') {
      why = "the URL has a space, a backslash or a control character";
      return false;
    }
  }
  const size_t colon = url.find(':');
  const bool has_scheme =
      colon != std::string::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(url[0])) != 0 &&
      std::all_of(url.begin(), url.begin() + static_cast<long>(colon), IsSchemeChar);
  if (!has_scheme) {
    why = "'" + url + "' is not a URL (a path?): only http and https URLs are allowed";
    return false;
  }
  out.scheme = Lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    why = "scheme '" + out.scheme + "' is not allowed: only http and https";
    return false;
  }
  if (url.compare(colon + 1, 2, "//") != 0) {
    why = "an " + out.scheme + " URL must start with " + out.scheme + "://host";
    return false;
  }
  const size_t authority_start = colon + 3;
  const size_t authority_end = url.find_first_of("/?#", authority_start);
  return ParseAuthority(url.substr(authority_start, authority_end == std::string::npos
                                                        ? std::string::npos
                                                        : authority_end - authority_start),
                        out, why);
}

std::string StreamUrlPolicy::AddressRange(const in_addr& v4) {
  const uint32_t a = ntohl(v4.s_addr);
  auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  if (in(0x00000000, 8)) {
    return "unspecified";
  }
  if (in(0x7f000000, 8)) {
    return "loopback";
  }
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16)) {
    return "private";
  }
  if (in(0x64400000, 10)) {
    return "shared (carrier-grade NAT, 100.64/10)";
  }
  if (in(0xa9fe0000, 16)) {
    return "link-local";
  }
  if (in(0xe0000000, 4)) {
    return "multicast";
  }
  if (in(0xf0000000, 4)) {
    return "reserved";
  }
  return "";
}

std::string StreamUrlPolicy::AddressRange(const in6_addr& v6) {
  const uint8_t* b = v6.s6_addr;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr uint8_t kNat64Prefix[12] = {0, 0x64, 0xff, 0x9b};
  if (std::memcmp(b, kMappedPrefix, 12) == 0 || std::memcmp(b, kNat64Prefix, 12) == 0) {
    in_addr v4{};
    std::memcpy(&v4.s_addr, b + 12, 4); // already in network order
    return AddressRange(v4);
  }
  if (IN6_IS_ADDR_UNSPECIFIED(&v6)) {
    return "unspecified";
  }
  if (IN6_IS_ADDR_LOOPBACK(&v6)) {
    return "loopback";
  }
  static constexpr uint8_t kZero[12] = {};
  if (std::memcmp(b, kZero, 12) == 0) {
    return "reserved"; // IPv4-compatible ::a.b.c.d (deprecated)
  }
  if ((b[0] & 0xfe) == 0xfc || IN6_IS_ADDR_SITELOCAL(&v6)) {
    return "private";
  }
  if (IN6_IS_ADDR_LINKLOCAL(&v6)) {
    return "link-local";
  }
  if (IN6_IS_ADDR_MULTICAST(&v6)) {
    return "multicast";
  }
  return "";
}

bool StreamUrlPolicy::IsAllowed(const std::string& host_or_address) const {
  return std::find(allowed_.begin(), allowed_.end(), host_or_address) != allowed_.end();
}

std::string StreamUrlPolicy::CheckAddress(const std::string& host, const std::string& address,
                                          const std::string& range) const {
  if (range.empty() || IsAllowed(address)) {
    return "";
  }
  if (host == address) {
    return "host " + host + " is " + WithArticle(range) + kHowToAllow;
  }
  return "host " + host + " resolves to " + address + ", " + WithArticle(range) + kHowToAllow;
}

std::string StreamUrlPolicy::CheckSyntax(const std::string& url) const {
  StreamUrl parsed;
  std::string why;
  if (!Parse(url, parsed, why)) {
    return why;
  }
  return CheckParsed(parsed);
}

std::string StreamUrlPolicy::CheckParsed(const StreamUrl& parsed) const {
  if (IsAllowed(parsed.host)) {
    return "";
  }
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET6, parsed.host.c_str(), &v6) == 1) {
    return CheckAddress(parsed.host, parsed.host, AddressRange(v6));
  }
  // inet_aton also reads the short forms a resolver accepts ("127.1", "0x7f.0.0.1",
  // "2130706433"): each is judged as the address it stands for.
  if (inet_aton(parsed.host.c_str(), &v4) != 0) {
    const std::string address = AddressText(&v4, AF_INET);
    return CheckAddress(address, address, AddressRange(v4));
  }
  if (parsed.host == "localhost" || parsed.host.ends_with(".localhost")) {
    return "host " + parsed.host + " is a loopback name" + kHowToAllow;
  }
  return "";
}

OpenVerdict StreamUrlPolicy::CheckForOpen(const std::string& url) const {
  StreamUrl parsed;
  std::string why;
  if (!Parse(url, parsed, why)) {
    return {why};
  }
  if (why = CheckParsed(parsed); !why.empty()) {
    return {why};
  }
  if (IsAllowed(parsed.host)) {
    return {};
  }
  addrinfo* found = nullptr;
  const int rc = resolve_(parsed.host, &found);
  if (rc != 0) {
    // DNS that fails now (a timeout, a name not yet published) may answer on the next try.
    return {"host " + parsed.host + " cannot be resolved: " + gai_strerror(rc), true};
  }
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      const in_addr& v4 = reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr;
      why = CheckAddress(parsed.host, AddressText(&v4, AF_INET), AddressRange(v4));
    } else if (a->ai_family == AF_INET6) {
      const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr;
      why = CheckAddress(parsed.host, AddressText(&v6, AF_INET6), AddressRange(v6));
    }
    if (!why.empty()) {
      return {why};
    }
  }
  return {};
}

} // namespace ssr::media
