#include "ingest/ice_options.h"

#include "common/ip_address.h"
#include "ingest/gst_support.h"

#include <memory>

namespace ssr::ingest {
namespace {

struct UriUnref {
  void operator()(GstUri* uri) const {
    if (uri != nullptr)
      gst_uri_unref(uri);
  }
};
using UriPtr = std::unique_ptr<GstUri, UriUnref>;

// Parsed the way webrtcbin's ICE agent parses its server URLs (escaped components kept).
UriPtr ParseUrl(const std::string& url) {
  gst_init(nullptr, nullptr); // GstUri is GStreamer's; idempotent
  return UriPtr(gst_uri_from_string_escaped(url.c_str()));
}

bool IsV6(const std::string& address) { return address.find(':') != std::string::npos; }

std::string Text(const gchar* text) { return text != nullptr ? text : ""; }

// What the URL's scheme, host and port lack; `schemes` lists the accepted schemes.
std::string CheckServer(GstUri* uri, std::initializer_list<const char*> schemes, const char* form) {
  const std::string scheme = Text(gst_uri_get_scheme(uri));
  bool known = false;
  for (const char* s : schemes)
    known = known || scheme == s;
  if (!known)
    return std::string("must be of the form ") + form;
  if (Text(gst_uri_get_host(uri)).empty())
    return std::string("has no host (") + form + ")";
  const guint port = gst_uri_get_port(uri);
  if (port != GST_URI_NO_PORT && (port == 0 || port > 65535))
    return "has a port outside 1-65535";
  const std::string path = Text(gst_uri_get_path(uri));
  if (!path.empty() && path != "/")
    return std::string("must not have a path (") + form + ")";
  return "";
}

std::string ParseAdvertisedAddress(const std::string& text, AdvertisedAddress& out) {
  const size_t equals = text.find('=');
  const std::string public_text = text.substr(0, equals);
  const std::string private_text = equals == std::string::npos ? "" : text.substr(equals + 1);
  out.public_address = CanonicalIpAddress(public_text);
  if (out.public_address.empty()) {
    return "'" + public_text + "' is not an IP address (PUBLIC or PUBLIC=PRIVATE, e.g. " +
           "203.0.113.10 or 203.0.113.10=10.0.0.5)";
  }
  if (out.public_address == "0.0.0.0" || out.public_address == "::")
    return "'" + public_text + "' cannot be advertised (the unspecified address)";
  if (equals == std::string::npos) {
    out.private_address.clear();
    return "";
  }
  out.private_address = CanonicalIpAddress(private_text);
  if (out.private_address.empty())
    return "'" + private_text + "' (after '=') is not an IP address";
  if (IsV6(out.public_address) != IsV6(out.private_address))
    return "'" + text + "' maps addresses of different families (IPv4 and IPv6)";
  return "";
}

} // namespace

std::string ParseAdvertisedAddresses(const std::vector<std::string>& entries,
                                     std::vector<AdvertisedAddress>& out) {
  out.clear();
  for (const std::string& entry : entries) {
    AdvertisedAddress parsed;
    if (std::string problem = ParseAdvertisedAddress(entry, parsed); !problem.empty())
      return problem;
    for (const AdvertisedAddress& earlier : out) {
      if (!parsed.private_address.empty() && earlier.private_address == parsed.private_address)
        return "'" + parsed.private_address + "' is mapped twice";
      if (parsed.private_address.empty() && earlier.private_address.empty() &&
          IsV6(parsed.public_address) == IsV6(earlier.public_address)) {
        return "'" + earlier.public_address + "' and '" + parsed.public_address +
               "' both stand for every local address of their family: name the private "
               "address of each (PUBLIC=PRIVATE)";
      }
    }
    out.push_back(parsed);
  }
  return "";
}

std::string CheckStunUrl(const std::string& url) {
  const UriPtr uri = ParseUrl(url);
  if (!uri)
    return "is not a URL (stun://HOST[:PORT])";
  if (std::string problem = CheckServer(uri.get(), {"stun"}, "stun://HOST[:PORT]");
      !problem.empty()) {
    return problem;
  }
  if (gst_uri_get_userinfo(uri.get()) != nullptr)
    return "must not have a user name (STUN needs none)";
  GList* keys = gst_uri_get_query_keys(uri.get());
  const bool has_query = keys != nullptr;
  g_list_free(keys);
  return has_query ? "must not have a query (stun://HOST[:PORT])" : "";
}

std::string CheckTurnUrl(const std::string& url) {
  constexpr const char* kForm = "turn(s)://USER:PASSWORD@HOST[:PORT][?transport=udp|tcp]";
  const UriPtr uri = ParseUrl(url);
  if (!uri)
    return std::string("is not a URL (") + kForm + ")";
  if (std::string problem = CheckServer(uri.get(), {"turn", "turns"}, kForm); !problem.empty())
    return problem;
  // webrtcbin splits the user information at its first ':' (escaped ones are kept).
  const std::string userinfo = Text(gst_uri_get_userinfo(uri.get()));
  const size_t colon = userinfo.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == userinfo.size()) {
    return std::string("needs a user name and a password (") + kForm + ")";
  }
  if (userinfo.find(':', colon + 1) != std::string::npos) {
    return "has more than one ':' before '@': write a ':' inside the user name or password "
           "as %3A (e.g. time-limited credentials, TIMESTAMP%3AUSER:PASSWORD)";
  }
  GList* keys = gst_uri_get_query_keys(uri.get());
  std::string problem;
  for (GList* key = keys; key != nullptr && problem.empty(); key = key->next) {
    const std::string name = static_cast<const gchar*>(key->data);
    const std::string value = Text(gst_uri_get_query_value(uri.get(), name.c_str()));
    if (name != "transport") {
      problem = "has an unknown query key '" + name + "' (only transport=udp or tcp)";
    } else if (value != "udp" && value != "tcp") {
      problem = "has transport '" + value + "' (udp or tcp)";
    }
  }
  g_list_free(keys);
  return problem;
}

std::string RedactedUrl(const std::string& url) {
  UriPtr uri = ParseUrl(url);
  if (!uri || Text(gst_uri_get_host(uri.get())).empty())
    return "not shown: not a URL";
  if (gst_uri_get_userinfo(uri.get()) != nullptr) {
    uri.reset(gst_uri_make_writable(uri.release()));
    gst_uri_set_userinfo(uri.get(), "***");
  }
  gchar* text = gst_uri_to_string(uri.get());
  std::string redacted = Text(text);
  g_free(text);
  return redacted;
}

void ConfigureIce(GstElement* webrtcbin, const IceOptions& options) {
  if (options.port_min != 0 || options.port_max != 0) {
    GObject* agent = nullptr; // GstWebRTCICE (libnice): its range applies to each new stream
    g_object_get(webrtcbin, "ice-agent", &agent, nullptr);
    if (agent == nullptr)
      throw PipelineError("webrtcbin has no ICE agent");
    g_object_set(agent, "min-rtp-port", options.port_min, "max-rtp-port", options.port_max,
                 nullptr);
    g_object_unref(agent);
  }
  if (!options.stun_server.empty())
    g_object_set(webrtcbin, "stun-server", options.stun_server.c_str(), nullptr);
  for (const std::string& url : options.turn_servers) {
    gboolean added = FALSE;
    g_signal_emit_by_name(webrtcbin, "add-turn-server", url.c_str(), &added);
    if (added == FALSE)
      throw PipelineError("webrtcbin refused the TURN server " + RedactedUrl(url));
  }
}

} // namespace ssr::ingest
