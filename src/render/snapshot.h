#pragma once
// `ssr render --snapshot T`: one frame of a room at session time T, as a PNG. Used for the
// pictures in docs/ and to look at a layout without encoding a whole recording.

#include "events/bundle.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ssr::render {

struct SnapshotOptions {
  std::string room = "main";
  int width = 1280;
  int height = 720;
  double t = 0;                 // session time
  std::filesystem::path output; // OUT.png
  std::function<void(const std::string&)> on_warning;
  std::vector<std::string> stream_url_allow; // as RenderOptions::stream_url_allow
};

// Throws events::BundleError for a room that never exists, std::runtime_error when the PNG
// cannot be written.
void RenderSnapshot(const events::Bundle& bundle, const SnapshotOptions& options);

} // namespace ssr::render
