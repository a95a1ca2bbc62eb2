#pragma once
// Parsing the RFC 3339 date-times clients send (a share link's expires_at).

#include <optional>
#include <string>

namespace ssr::http {

// Unix seconds of an RFC 3339 date-time ("2026-11-26T14:00:00Z", "...+01:00", fractions);
// nullopt when `text` is not one (or not a real date: February 30).
std::optional<double> ParseRfc3339(const std::string& text);

} // namespace ssr::http
