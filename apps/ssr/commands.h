#pragma once
// The `ssr` binary's subcommands. Each registers its options on the CLI11 app and returns
// the exit code when run.

#include <CLI/CLI.hpp>

#include <functional>

namespace ssr::app {

using CommandRunner = std::function<int()>;

// ssr render BUNDLE -o OUT.webm [--room R] [--size WxH] [--fps N] [--video-codec vp9|vp8]
CommandRunner AddRenderCommand(CLI::App& app);

// ssr recover PART.webm -o OUT.webm
CommandRunner AddRecoverCommand(CLI::App& app);

// ssr serve [--config FILE] [--listen HOST:PORT] [--data DIR]   (API key in SSR_API_KEY)
CommandRunner AddServeCommand(CLI::App& app);

// ssr user add --email E --name N [--id ID] [--data DIR] --password-stdin
// ssr user list [--data DIR]
// ssr user passwd --email E [--data DIR] --password-stdin
// ssr user delete --email E [--data DIR]
CommandRunner AddUserCommand(CLI::App& app);

} // namespace ssr::app
