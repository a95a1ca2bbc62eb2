// ssr recover: a part left unfinished by a crash becomes a playable, seekable WebM.

#include "commands.h"

#include "record/part_recovery.h"

#include <iostream>
#include <memory>

namespace ssr::app {

CommandRunner AddRecoverCommand(CLI::App& app) {
  struct Args {
    std::string input;
    std::string output;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "recover", "Rewrite a WebM part cut short by a crash with its cues and duration");
  cmd->add_option("part", args->input, "The unfinished WebM")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "The recovered WebM")->required();
  return [args] {
    try {
      const record::RecoveryResult r = record::RecoverPart(args->input, args->output);
      std::cerr << "ssr recover: wrote " << args->output << " (" << r.duration_s << " s, "
                << r.packets << " packets)\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "ssr recover: error: " << e.what() << '\n';
      return 1;
    }
  };
}

} // namespace ssr::app
