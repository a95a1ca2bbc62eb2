#pragma once
// The ids the server makes up itself, one function per kind. Each is random URL-safe base64
// that also passes the validator the kind's routes apply (common/ids.h): a plain
// auth::RandomToken starts with '-' about once in 64 draws, and CheckSessionId refuses a
// leading '-' (it would read as an option to command-line tools), so such a session was
// created and then answered 404 on every later route. tests/unit/auth/new_ids_test.cpp
// checks 100,000 of each kind against its route's check.

#include <string>

namespace ssr::auth {

// `bytes` random bytes as URL-safe base64 whose first character is a letter or a digit
// (drawn again while it is '-' or '_'; on average 1.03 draws).
std::string RandomId(size_t bytes);

std::string NewSessionId();      // 16 characters; routes check CheckSessionId
std::string NewRecordingId();    // 16 characters; routes check CheckPlainId
std::string NewShareLinkId();    // 12 characters; routes check CheckPlainId
std::string NewAccountId();      // 16 characters; account routes take any id without spaces
std::string NewWhipResourceId(); // 16 characters; a URL segment of /whip/{sid}/{tracks}/...

} // namespace ssr::auth
