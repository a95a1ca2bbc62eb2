// ssr user add: creates a built-in account (docs/http-api.md "Built-in accounts") in the data
// directory's database, for the embedded default and the demo. The platform can do the same
// through POST /api/v1/users.

#include "commands.h"

#include "library/account_store.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

namespace ssr::app {

CommandRunner AddUserCommand(CLI::App& app) {
  struct Args {
    std::string data_dir = "./var";
    std::string id;
    std::string email;
    std::string name;
    bool password_stdin = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* user = app.add_subcommand("user", "Manage built-in accounts");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand("add", "Create an account (the password is read from stdin)");
  add->add_option("--data", args->data_dir, "Data directory of ssr serve (holds ssr.db)");
  add->add_option("--id", args->id, "User id (default: a random one); match it with invitees' user");
  add->add_option("--email", args->email, "E-mail address, used to log in")->required();
  add->add_option("--name", args->name, "Display name")->required();
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from the first line of stdin")
      ->required();
  return [args] {
    std::string password;
    if (!std::getline(std::cin, password)) {
      std::cerr << "ssr user add: no password on stdin\n";
      return 2;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    try {
      std::filesystem::create_directories(args->data_dir);
      library::AccountStore accounts(std::filesystem::path(args->data_dir) / "ssr.db");
      const library::Account account =
          accounts.Create({args->id, args->email, args->name, password});
      std::cout << "created user " << account.id << " <" << account.email << ">\n";
      return 0;
    } catch (const library::AccountError& e) {
      std::cerr << "ssr user add: " << e.what() << '\n';
      return e.kind() == library::AccountError::Kind::kExists ? 1 : 2;
    } catch (const std::exception& e) {
      std::cerr << "ssr user add: error: " << e.what() << '\n';
      return 1;
    }
  };
}

}  // namespace ssr::app
