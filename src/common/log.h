#pragma once
// One spdlog logger per subsystem ("events", "compose", "encode", "render", ...), writing
// to stderr. Hot paths check the level before formatting.

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace ssr {

std::shared_ptr<spdlog::logger> Logger(const std::string& subsystem);

// Every line from now on starts with its UTC time, to the millisecond
// ("2026-12-07T10:02:03.456Z info [http] ..."): `ssr serve`'s log, read after the fact. The
// one-shot commands (render, recover) print without it.
void TimestampLogLines();

} // namespace ssr
