#pragma once
// IP address literals as text.

#include <string>

namespace ssr {

// The canonical text of an IPv4 or IPv6 address ("10.0.0.5", "2001:db8::5"; as inet_ntop
// and GLib print a sender's), or "" when `text` is neither.
std::string CanonicalIpAddress(const std::string& text);

} // namespace ssr
