#pragma once
// The one error vocabulary of ssr. Every domain error (a bad setting, an unknown recording, a
// refused offer, storage that does not answer...) is an ssr::Error: a kind that says what a
// caller can do about it and, for bad input, the field at fault. The HTTP layer turns a kind
// into a status in one place (http/api_error.cpp). Hot paths (frames, packets, samples)
// return status and never throw.

#include <stdexcept>
#include <string>

namespace ssr {

enum class ErrorKind {
  kInvalid,      // the input is wrong: fix it and ask again
  kNotFound,     // there is no such thing
  kConflict,     // not now: the thing is in a state that does not allow it
  kGone,         // it existed and no longer does (revoked, expired)
  kForbidden,    // the caller may not
  kUnauthorized, // the caller is not known
  kTooLarge,     // more than a limit allows
  kUnavailable,  // a dependency failed (storage, ingest); asking later may work
  kInternal,     // a bug or a broken database
};

// "invalid", "not_found", ... (logs and metrics).
const char* ErrorKindName(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string field = {})
      : std::runtime_error(message), kind_(kind), field_(std::move(field)) {}
  ErrorKind kind() const { return kind_; }
  // The input field at fault ("countdown_s", "release_at"); "" when none.
  const std::string& field() const { return field_; }

 private:
  ErrorKind kind_;
  std::string field_;
};

} // namespace ssr
