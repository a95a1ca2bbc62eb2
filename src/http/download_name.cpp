#include "http/download_name.h"

#include <cstdio>
#include <string_view>

namespace ssr::http {
namespace {

constexpr size_t kMaxStemBytes = 150;

bool UnsafeInFileName(unsigned char c) {
  return c < 0x20 || c == 0x7f ||
         std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos;
}

// RFC 5987 attr-char: what may stay as it is in `filename*`.
bool AttrChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

} // namespace

std::string SafeFileStem(const std::string& title) {
  std::string stem;
  stem.reserve(title.size());
  for (unsigned char c : title)
    stem += UnsafeInFileName(c) ? '_' : static_cast<char>(c);
  if (stem.size() > kMaxStemBytes) {
    size_t cut = kMaxStemBytes;
    while (cut > 0 && Continuation(static_cast<unsigned char>(stem[cut])))
      --cut;
    stem.resize(cut);
  }
  const size_t first = stem.find_first_not_of(" .");
  if (first == std::string::npos)
    return "recording";
  stem = stem.substr(first, stem.find_last_not_of(" .") - first + 1);
  return stem;
}

std::string PartFileName(const std::string& title, int part) {
  return SafeFileStem(title) + " - part " + std::to_string(part) + ".webm";
}

std::string ContentDisposition(const std::string& file_name) {
  std::string ascii;
  std::string encoded;
  for (size_t i = 0; i < file_name.size(); ++i) {
    const auto c = static_cast<unsigned char>(file_name[i]);
    if (c >= 0x80) {
      if (!Continuation(c))
        ascii += '_'; // one '_' per non-ASCII character
    } else if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
      ascii += '_';
    } else {
      ascii += static_cast<char>(c);
    }
    if (AttrChar(c)) {
      encoded += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

} // namespace ssr::http
