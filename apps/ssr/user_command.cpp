// ssr user add|list|passwd|delete: built-in accounts (docs/http-api.md "Built-in accounts") in
// the data directory's database, for the embedded default and the demo. The platform can do
// the same through /api/v1/users.

#include "commands.h"

#include "library/account_store.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

namespace ssr::app {
namespace {

// The first line of stdin without its line break; false when there is none.
bool ReadPassword(const char* command, std::string& password) {
  if (!std::getline(std::cin, password)) {
    std::cerr << "ssr user " << command << ": no password on stdin\n";
    return false;
  }
  if (!password.empty() && password.back() == '\r')
    password.pop_back();
  return true;
}

constexpr const char* kDatabaseHelp =
    "The database of ssr serve when it is PostgreSQL: a postgresql:// URL (SSR_DATABASE_URL)";

} // namespace

CommandRunner AddUserCommand(CLI::App& app) {
  struct Args {
    std::string data_dir = "./var";
    std::string database; // a postgresql:// URL; empty: DATA/ssr.db
    std::string id;
    std::string email;
    std::string name;
    bool password_stdin = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* user = app.add_subcommand("user", "Manage built-in accounts");
  user->require_subcommand(1);
  CLI::App* add =
      user->add_subcommand("add", "Create an account (the password is read from stdin)");
  add->add_option("--data", args->data_dir, "Data directory of ssr serve (holds ssr.db)");
  add->add_option("--database", args->database, kDatabaseHelp)->envname("SSR_DATABASE_URL");
  add->add_option("--id", args->id,
                  "User id (default: a random one); match it with invitees' user");
  add->add_option("--email", args->email, "E-mail address, used to log in")->required();
  add->add_option("--name", args->name, "Display name")->required();
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from the first line of stdin")
      ->required();
  CLI::App* list = user->add_subcommand("list", "List the accounts: id, e-mail, name");
  list->add_option("--data", args->data_dir, "Data directory of ssr serve (holds ssr.db)");
  list->add_option("--database", args->database, kDatabaseHelp)->envname("SSR_DATABASE_URL");
  CLI::App* passwd =
      user->add_subcommand("passwd", "Set an account's password (read from stdin); logs it out");
  passwd->add_option("--data", args->data_dir, "Data directory of ssr serve (holds ssr.db)");
  passwd->add_option("--database", args->database, kDatabaseHelp)->envname("SSR_DATABASE_URL");
  passwd->add_option("--email", args->email, "E-mail address of the account")->required();
  passwd
      ->add_flag("--password-stdin", args->password_stdin,
                 "Read the password from the first line of stdin")
      ->required();
  CLI::App* remove = user->add_subcommand("delete", "Delete an account and its logins");
  remove->add_option("--data", args->data_dir, "Data directory of ssr serve (holds ssr.db)");
  remove->add_option("--database", args->database, kDatabaseHelp)->envname("SSR_DATABASE_URL");
  remove->add_option("--email", args->email, "E-mail address of the account")->required();
  return [args, add, list, passwd] {
    const char* command = add->parsed()      ? "add"
                          : list->parsed()   ? "list"
                          : passwd->parsed() ? "passwd"
                                             : "delete";
    const std::filesystem::path db = std::filesystem::path(args->data_dir) / "ssr.db";
    if (args->database.empty() && !add->parsed() && !std::filesystem::exists(db)) {
      std::cerr << "ssr user " << command << ": no database at " << db.string()
                << " (is --data the data directory of ssr serve?)\n";
      return 2;
    }
    std::string password;
    if ((add->parsed() || passwd->parsed()) && !ReadPassword(command, password))
      return 2;
    try {
      std::filesystem::create_directories(args->data_dir);
      store::Database database(args->database.empty() ? db.string() : args->database);
      library::AccountStore accounts(database);
      if (add->parsed()) {
        const library::Account account =
            accounts.Create({args->id, args->email, args->name, password});
        std::cout << "created user " << account.id << " <" << account.email << ">\n";
        return 0;
      }
      if (list->parsed()) {
        for (const library::Account& a : accounts.List()) {
          std::cout << a.id << '\t' << a.email << '\t' << a.name << '\n';
        }
        return 0;
      }
      const auto account = accounts.FindByEmail(args->email);
      if (!account) {
        std::cerr << "ssr user " << command << ": no account with e-mail '" << args->email << "'\n";
        return 1;
      }
      if (passwd->parsed()) {
        accounts.SetPassword(account->id, password);
        std::cout << "password of " << account->email << " changed\n";
      } else {
        accounts.Remove(account->id);
        std::cout << "deleted user " << account->id << " <" << account->email << ">\n";
      }
      return 0;
    } catch (const library::AccountError& e) {
      std::cerr << "ssr user " << command << ": " << e.what() << '\n';
      return e.kind() == ErrorKind::kConflict ? 1 : 2;
    } catch (const std::exception& e) {
      std::cerr << "ssr user " << command << ": error: " << e.what() << '\n';
      return 1;
    }
  };
}

} // namespace ssr::app
