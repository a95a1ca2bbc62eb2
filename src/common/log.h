#pragma once
// One spdlog logger per subsystem ("events", "compose", "encode", "render", ...), writing
// to stderr. Hot paths check the level before formatting.

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace ssr {

std::shared_ptr<spdlog::logger> Logger(const std::string& subsystem);

} // namespace ssr
