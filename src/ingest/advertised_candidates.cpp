#include "ingest/advertised_candidates.h"

#include <nice/agent.h>

#include <cstring>
#include <functional>

namespace ssr::ingest {
namespace {

constexpr const char* kLinePrefix = "a=candidate:";

// A NiceAgent used only to read and print candidate lines (it gathers nothing).
class CandidateCodec {
 public:
  CandidateCodec() : agent_(nice_agent_new(nullptr, NICE_COMPATIBILITY_RFC5245)) {}
  ~CandidateCodec() { g_object_unref(agent_); }
  CandidateCodec(const CandidateCodec&) = delete;
  CandidateCodec& operator=(const CandidateCodec&) = delete;

  // The candidate of an SDP attribute's value, or nullptr (free with nice_candidate_free).
  NiceCandidate* Parse(const char* value) const {
    const std::string line = std::string(kLinePrefix) + value;
    return nice_agent_parse_remote_candidate_sdp(agent_, 1, line.c_str());
  }
  // The attribute value of `candidate` (without "a=candidate:").
  std::string Print(NiceCandidate* candidate) const {
    gchar* line = nice_agent_generate_local_candidate_sdp(agent_, candidate);
    std::string value = line + std::strlen(kLinePrefix);
    g_free(line);
    return value;
  }

 private:
  NiceAgent* agent_;
};

std::string AddressText(const NiceAddress& address) {
  char text[NICE_ADDRESS_STRING_LEN] = {};
  nice_address_to_string(&address, text);
  return text;
}

// The public address for a host candidate on `local`: the entry naming it, else the entry
// of its family without a private address, else "".
std::string PublicAddressFor(const std::string& local,
                             const std::vector<AdvertisedAddress>& advertised) {
  const bool local_v6 = local.find(':') != std::string::npos;
  std::string any_of_family;
  for (const AdvertisedAddress& entry : advertised) {
    if (entry.private_address == local)
      return entry.public_address;
    const bool entry_v6 = entry.public_address.find(':') != std::string::npos;
    if (entry.private_address.empty() && entry_v6 == local_v6 && any_of_family.empty())
      any_of_family = entry.public_address;
  }
  return any_of_family;
}

// Calls `visit` with each candidate attribute of each m-line and its parsed candidate.
void ForEachCandidate(const GstSDPMessage* sdp,
                      const std::function<void(GstSDPMedia*, guint, NiceCandidate*)>& visit) {
  const CandidateCodec codec;
  for (guint m = 0; m < gst_sdp_message_medias_len(sdp); ++m) {
    GstSDPMedia* media = &g_array_index(sdp->medias, GstSDPMedia, m);
    for (guint a = 0; a < gst_sdp_media_attributes_len(media); ++a) {
      const GstSDPAttribute* attribute = gst_sdp_media_get_attribute(media, a);
      if (g_strcmp0(attribute->key, "candidate") != 0 || attribute->value == nullptr)
        continue;
      NiceCandidate* candidate = codec.Parse(attribute->value);
      if (candidate == nullptr)
        continue;
      visit(media, a, candidate);
      nice_candidate_free(candidate);
    }
  }
}

} // namespace

void AdvertiseAddresses(GstSDPMessage* sdp, const std::vector<AdvertisedAddress>& advertised) {
  if (advertised.empty())
    return;
  const CandidateCodec codec;
  ForEachCandidate(sdp, [&](GstSDPMedia* media, guint index, NiceCandidate* candidate) {
    if (candidate->type != NICE_CANDIDATE_TYPE_HOST)
      return;
    const std::string public_address = PublicAddressFor(AddressText(candidate->addr), advertised);
    if (public_address.empty())
      return;
    const guint port = nice_address_get_port(&candidate->addr);
    nice_address_set_from_string(&candidate->addr, public_address.c_str());
    nice_address_set_port(&candidate->addr, port);
    GstSDPAttribute replacement{};
    gst_sdp_attribute_set(&replacement, "candidate", codec.Print(candidate).c_str());
    gst_sdp_media_replace_attribute(media, index, &replacement); // takes its contents
  });
}

std::vector<SdpCandidate> CandidatesOf(const GstSDPMessage* sdp) {
  std::vector<SdpCandidate> candidates;
  ForEachCandidate(sdp, [&](GstSDPMedia*, guint, NiceCandidate* candidate) {
    candidates.push_back({AddressText(candidate->addr), nice_address_get_port(&candidate->addr),
                          nice_candidate_type_to_string(candidate->type),
                          nice_candidate_transport_to_string(candidate->transport)});
  });
  return candidates;
}

} // namespace ssr::ingest
