#pragma once
// Who is calling the API, as every library route sees it (http/caller_resolver.h makes it from
// the request): the platform (API key), a user (JWT or login cookie), or nobody.

#include <string>

namespace ssr::library {

struct Caller {
  enum class Kind { kAnonymous, kPlatform, kUser };
  Kind kind = Kind::kAnonymous;
  std::string user_id; // JWT `sub` or the built-in account's id
  std::string name;
  std::string email; // lowercase; "" when unknown

  bool platform() const { return kind == Kind::kPlatform; }
  bool user() const { return kind == Kind::kUser; }

  static Caller Platform() { return {Kind::kPlatform, "", "", ""}; }
  static Caller User(std::string id, std::string name, std::string email);
};

} // namespace ssr::library
