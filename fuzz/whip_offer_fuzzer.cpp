// Fuzzes the check of a WHIP offer (ingest::CheckOffer, what POST /whip/{sid}/{tracks} runs
// before any pipeline exists): the first input line is the {tracks} URL segment, the rest the
// SDP offer. It may only refuse with OfferError; an accepted offer has one track per m-line,
// each of an id from the URL, audio or video, with at least one codec we decode.

#include "common/ids.h"
#include "ingest/gst_support.h"
#include "ingest/sdp_offer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// GLib allocates in its library constructor and never frees that, which the leak check at
// exit reports (its stack ends in g_malloc, which has no frame pointers to follow). A leak of
// one input is still found: libFuzzer checks after each input that allocated more than it
// freed.
extern "C" const char* __lsan_default_options() { return "leak_check_at_exit=0"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool gst_ready = (ssr::ingest::EnsureGstreamer(), true);
  (void)gst_ready;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos)
    return 0;
  const std::string_view tracks = input.substr(0, newline);
  if (!ssr::CheckTrackList(tracks).empty())
    return 0; // the route answers 400 before the offer is read
  const std::vector<std::string> ids = ssr::SplitTrackList(tracks);
  const std::string sdp(input.substr(newline + 1));
  // Ids starting with 'a' were published as audio, with 'v' as video, others not yet.
  const auto kind_of = [](const std::string& id) -> std::optional<ssr::MediaKind> {
    if (id.front() == 'a')
      return ssr::MediaKind::kAudio;
    if (id.front() == 'v')
      return ssr::MediaKind::kVideo;
    return std::nullopt;
  };
  try {
    const auto offered = ssr::ingest::CheckOffer(sdp, ids, kind_of);
    if (offered.size() != ids.size())
      std::abort();
    for (size_t i = 0; i < offered.size(); ++i) {
      const auto& track = offered[i];
      if (track.mline != static_cast<int>(i) || track.codecs.empty() ||
          track.preference_caps.empty())
        std::abort();
      if (std::find(ids.begin(), ids.end(), track.track_id) == ids.end())
        std::abort();
      const auto known = kind_of(track.track_id);
      if (known && *known != track.kind)
        std::abort();
    }
    if (offered.size() == 2 && offered[0].kind == offered[1].kind)
      std::abort();
    ssr::ingest::OfferSharesIceCredentials(sdp);
  } catch (const ssr::ingest::OfferError&) {
    // a 400 bad_offer naming what is wrong
  }
  return 0;
}
