#include "auth/new_ids.h"

#include "auth/tokens.h"

namespace ssr::auth {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

std::string RandomId(size_t bytes) {
  while (true) {
    std::string id = RandomToken(bytes);
    if (!id.empty() && IsAsciiAlnum(id.front()))
      return id;
  }
}

std::string NewSessionId() { return RandomId(12); }
std::string NewRecordingId() { return RandomId(12); }
std::string NewShareLinkId() { return RandomId(9); }
std::string NewAccountId() { return RandomId(12); }
std::string NewWhipResourceId() { return RandomId(12); }

} // namespace ssr::auth
