#pragma once
// File names for downloads, from a recording's title ("Photosynthesis 101 - part 1.webm"),
// and the Content-Disposition header that carries them (RFC 6266: an ASCII `filename` for old
// clients, the UTF-8 name in `filename*`).

#include <string>

namespace ssr::http {

// `title` made safe as a file name: characters that are unsafe in file names on common
// systems (/ \ : * ? " < > | and control characters) become '_', spaces and dots are trimmed
// at both ends, and it is cut (at a UTF-8 character boundary) to 150 bytes; "recording" when
// nothing is left.
std::string SafeFileStem(const std::string& title);

// "<safe title> - part <n>.webm"
std::string PartFileName(const std::string& title, int part);

// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>`.
std::string ContentDisposition(const std::string& file_name);

} // namespace ssr::http
