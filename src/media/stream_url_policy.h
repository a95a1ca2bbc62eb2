#pragma once
// Which `stream.start` URLs the recorder may open (docs/security.md, "Media URLs"). A stream
// URL comes from the platform and is often typed by a presenter: opened as is, FFmpeg would
// read local files (`file:`, bare paths, `pipe:`), local sockets (`unix:`, `tcp:`) and
// internal services (127.0.0.1, 169.254.169.254, the LAN). Only http and https to public
// addresses are accepted, unless the operator allows a host or an address by name
// (`stream_url_allow`). One policy, checked twice: at ingest without DNS (the scheme, the
// shape of the URL, a literal address) and when the stream is opened, with every address its
// host name resolves to.

#include <netdb.h>
#include <netinet/in.h>

#include <functional>

#include <string>
#include <vector>

namespace ssr::media {

// The parts of an http(s) URL the policy looks at.
struct StreamUrl {
  std::string scheme; // lower case: "http" or "https"
  std::string host;   // a name (lower case) or an address (IPv6 without its brackets)
  int port = 0;       // 0 when the URL has none
};

// What StreamUrlPolicy::CheckForOpen decides about a URL.
struct OpenVerdict {
  std::string refused; // "" when the URL may be opened, else why not
  bool retry = false;  // a refusal that may change later: the host name did not resolve now
};

class StreamUrlPolicy {
 public:
  // getaddrinfo's contract: 0 and a list the caller frees with freeaddrinfo, or an EAI_ code.
  using Resolver = std::function<int(const std::string& host, addrinfo** found)>;

  // `allowed`: host names and addresses that may be opened although they are not public
  // (e.g. "127.0.0.1", "cam.lan"), as StreamUrlPolicy::ParseAllowList reads them. `resolve`:
  // getaddrinfo for TCP unless a test gives its own.
  explicit StreamUrlPolicy(std::vector<std::string> allowed = {}, Resolver resolve = {});

  // "a,b, c" -> {"a", "b", "c"}, lower case, without empty entries.
  static std::vector<std::string> ParseAllowList(const std::string& comma_separated);
  // "" when `entry` can be an entry of the allow-list (a host name or an IP address, no
  // scheme or port), else why not.
  static std::string CheckAllowEntry(const std::string& entry);

  // Parses `url`; on failure returns false with `why` ("scheme 'file' is not allowed: ...").
  static bool Parse(const std::string& url, StreamUrl& out, std::string& why);

  // Without DNS: "" when `url` is http(s) with a well-formed host whose literal address (if
  // it is one) is public or allowed; else why not. For the event parser at ingest.
  std::string CheckSyntax(const std::string& url) const;
  // CheckSyntax, then every address the host name resolves to (getaddrinfo) must be public
  // or allowed. For the player, just before it opens the stream. A name that does not
  // resolve is refused with `retry`: the player tries again as for a stream that is down.
  OpenVerdict CheckForOpen(const std::string& url) const;

  // Why an address may not be opened: "loopback", "private", ... or "" for a public one.
  // IPv4-mapped IPv6 addresses are judged by their IPv4 address.
  static std::string AddressRange(const in_addr& v4);
  static std::string AddressRange(const in6_addr& v6);

  const std::vector<std::string>& allowed() const { return allowed_; }

 private:
  bool IsAllowed(const std::string& host_or_address) const;
  // CheckSyntax's judgement of a parsed URL.
  std::string CheckParsed(const StreamUrl& parsed) const;
  // "" when `address` (text, as printed) of `host` is public or allowed, else why not.
  std::string CheckAddress(const std::string& host, const std::string& address,
                           const std::string& range) const;

  std::vector<std::string> allowed_; // lower case; addresses in their canonical text form
  Resolver resolve_;
};

} // namespace ssr::media
