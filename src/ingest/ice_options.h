#pragma once
// ICE settings of WHIP sessions for real networks (docs/webrtc-networks.md): the public
// addresses to advertise for a server behind a 1:1 NAT, the UDP ports webrtcbin's ICE agent
// may use, and STUN/TURN servers. The checks here name what is wrong without printing a
// TURN URL's credentials; webrtcbin and libnice do the ICE work itself.

#include <gst/gst.h>

#include <string>
#include <vector>

namespace ssr::ingest {

// "PUBLIC" or "PUBLIC=PRIVATE": host candidates on PRIVATE (on any local address of
// PUBLIC's family when PRIVATE is empty) are advertised with the address PUBLIC instead.
struct AdvertisedAddress {
  std::string public_address;  // canonical IP text
  std::string private_address; // canonical IP text, or "" for every local address
};

struct IceOptions {
  std::vector<AdvertisedAddress> advertised;
  unsigned port_min = 0; // 0 and 0: any port the system gives
  unsigned port_max = 0;
  std::string stun_server;               // stun://host[:port], or ""
  std::vector<std::string> turn_servers; // turn(s)://user:password@host[:port][?transport=udp|tcp]
};

// Reads "PUBLIC" or "PUBLIC=PRIVATE" entries into `out`; returns "" or what is wrong, naming
// the entry: not an IP address, families mixed, a private address mapped twice, or two
// entries without a private address for one family.
std::string ParseAdvertisedAddresses(const std::vector<std::string>& entries,
                                     std::vector<AdvertisedAddress>& out);

// "" when `url` is a STUN (TURN) server URL webrtcbin accepts, else what is wrong; the
// message never repeats the URL's user name or password.
std::string CheckStunUrl(const std::string& url);
std::string CheckTurnUrl(const std::string& url);

// `url` with its user name and password replaced by "***", for logs; a text that is not a
// URL with a host is not repeated at all.
std::string RedactedUrl(const std::string& url);

// Applies the port range and the STUN and TURN servers to a new webrtcbin (before any
// description is set). Throws PipelineError when webrtcbin refuses a TURN server.
void ConfigureIce(GstElement* webrtcbin, const IceOptions& options);

} // namespace ssr::ingest
