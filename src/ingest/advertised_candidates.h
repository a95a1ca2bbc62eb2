#pragma once
// The candidates of a WHIP answer as publishers see them: behind a 1:1 NAT, a host
// candidate's private address is replaced by the public address it is reached at (the port
// stays: a 1:1 NAT keeps it). libnice parses and prints the candidate lines.

#include "ingest/ice_options.h"

#include <gst/sdp/sdp.h>

#include <string>
#include <vector>

namespace ssr::ingest {

// One candidate line of an SDP, as libnice reads it.
struct SdpCandidate {
  std::string address;
  unsigned port = 0;
  std::string type;      // host, srflx, prflx, relay
  std::string transport; // udp, tcp-act (its port is 9, a placeholder), tcp-pass, tcp-so
};

// Rewrites the host candidates of every m-line of `sdp` whose address `advertised` maps;
// candidates of other types, and addresses no entry maps, are left as they are.
void AdvertiseAddresses(GstSDPMessage* sdp, const std::vector<AdvertisedAddress>& advertised);

// Every candidate of every m-line of `sdp`.
std::vector<SdpCandidate> CandidatesOf(const GstSDPMessage* sdp);

} // namespace ssr::ingest
