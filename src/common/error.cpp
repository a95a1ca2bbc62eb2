#include "common/error.h"

namespace ssr {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::kInvalid:
    return "invalid";
  case ErrorKind::kNotFound:
    return "not_found";
  case ErrorKind::kConflict:
    return "conflict";
  case ErrorKind::kGone:
    return "gone";
  case ErrorKind::kForbidden:
    return "forbidden";
  case ErrorKind::kUnauthorized:
    return "unauthorized";
  case ErrorKind::kTooLarge:
    return "too_large";
  case ErrorKind::kUnavailable:
    return "unavailable";
  case ErrorKind::kInternal:
    return "internal";
  }
  return "internal";
}

} // namespace ssr
