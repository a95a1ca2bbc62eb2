// ssr: server-side recording for virtual classrooms. See docs/ for the commands.

#include "commands.h"

extern "C" {
#include <libavutil/log.h>
}

#include <iostream>
#include <utility>
#include <vector>

namespace {

int Run(int argc, char** argv) {
  av_log_set_level(AV_LOG_FATAL); // we report broken input ourselves, naming the file
  CLI::App app{"ssr: records virtual-classroom sessions into WebM files"};
  app.set_version_flag("--version", std::string("ssr ") + SSR_VERSION);
  app.require_subcommand(1);
  std::vector<std::pair<std::string, ssr::app::CommandRunner>> commands;
  commands.emplace_back("render", ssr::app::AddRenderCommand(app));
  commands.emplace_back("recover", ssr::app::AddRecoverCommand(app));
  commands.emplace_back("serve", ssr::app::AddServeCommand(app));
  commands.emplace_back("user", ssr::app::AddUserCommand(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (const auto& [name, run] : commands) {
    if (app.get_subcommand(name)->parsed()) {
      return run();
    }
  }
  std::cerr << "ssr: no command given\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  // Each command reports its own errors; this is the last word on anything that still escapes.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "ssr: " << e.what() << "\n";
    return 1;
  }
}
