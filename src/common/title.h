#pragma once
// The one rule for a title that people type: a session's title, the name of a recording asked
// for at start, and a recording's new title on rename. Spaces around it do not count; what is
// left must be UTF-8 text of at most kMaxTitleCharacters characters (code points, not bytes)
// without control characters (a title is one line in lists, file names and the player).

#include <cstddef>
#include <string>
#include <string_view>

namespace ssr {

inline constexpr size_t kMaxTitleCharacters = 200;

// Whether nothing (or only spaces) is a title: a recording's name at start may be empty (the
// session's title stands in); a session's title and a rename may not.
enum class EmptyTitle { kRejected, kAllowed };

struct CheckedTitle {
  std::string title;   // trimmed; meaningful only when problem is empty
  std::string problem; // what is wrong, to follow the field's name: "must be 1 to 200 ..."
  bool ok() const { return problem.empty(); }
};

CheckedTitle CheckTitle(std::string_view text, EmptyTitle empty = EmptyTitle::kRejected);

} // namespace ssr
