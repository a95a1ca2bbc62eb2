#include "library/caller.h"

#include <algorithm>
#include <cctype>

namespace ssr::library {

Caller Caller::User(std::string id, std::string name, std::string email) {
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {Kind::kUser, std::move(id), std::move(name), std::move(email)};
}

} // namespace ssr::library
