#include "common/ip_address.h"

#include <arpa/inet.h>

namespace ssr {

std::string CanonicalIpAddress(const std::string& text) {
  char out[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1 && inet_ntop(AF_INET, &v4, out, sizeof out))
    return out;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1 && inet_ntop(AF_INET6, &v6, out, sizeof out))
    return out;
  return "";
}

} // namespace ssr
