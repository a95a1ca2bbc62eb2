// Administering built-in accounts: the platform's API (GET /api/v1/users, PUT
// /api/v1/users/{id}/password, DELETE /api/v1/users/{id}) through the real `ssr serve`, and
// the same from the command line (`ssr user list|passwd|delete`) on a data directory.

#include "../support/serve_fixture.h"

#include "../support/temp_dir.h"
#include "../support/test_database.h"
#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

struct CommandRun {
  int code = -1;
  std::string out; // stdout and stderr
};

// Runs `ssr ARGS` through the shell with `input` on stdin.
CommandRun Ssr(const std::string& args, const std::string& input = "") {
  const std::string command = "printf '%s' '" + input + "' | " + SSR_BINARY + " " + args + " 2>&1";
  CommandRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    return run;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
    run.out.append(buf, n);
  const int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class AccountsAdmin : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  void Start(const fs::path& data_dir = {}) {
    server_ = std::make_unique<ServeProcess>(
        std::map<std::string, std::string>{{"SSR_JWT_SECRET", kJwtSecret}}, data_dir);
  }
  httplib::Result Post(const std::string& path, const json& body, const httplib::Headers& who) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  httplib::Result Login(const std::string& email, const std::string& password) {
    return Post("/api/v1/login", {{"email", email}, {"password", password}}, {});
  }
  std::string Create(const std::string& email, const std::string& name) {
    auto res = Post("/api/v1/users", {{"email", email}, {"name", name}, {"password", "first-pass"}},
                    server_->Auth());
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return json::parse(res->body)["id"];
  }

  std::unique_ptr<ServeProcess> server_;
};

TEST_F(AccountsAdmin, ThePlatformListsAccountsSetsPasswordsAndDeletesThem) {
  Start();
  const std::string zoe = Create("zoe@example.org", "Zoe");
  const std::string abe = Create("Abe@Example.org", "Abe");
  auto list = server_->Client().Get("/api/v1/users", server_->Auth());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200) << list->body;
  const json users = json::parse(list->body)["users"];
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["email"], "abe@example.org"); // by e-mail
  EXPECT_EQ(users[0]["id"], abe);
  EXPECT_EQ(users[0]["name"], "Abe");
  EXPECT_TRUE(users[0]["created_at"].is_string());
  EXPECT_EQ(users[1]["id"], zoe);
  EXPECT_THAT(list->body, Not(HasSubstr("argon2")));
  EXPECT_THAT(list->body, Not(HasSubstr("password")));

  // Only the platform.
  const auto user = server_->Auth(UserJwt(kJwtSecret, zoe, "zoe@example.org"));
  EXPECT_EQ(server_->Client().Get("/api/v1/users", user)->status, 401);
  EXPECT_EQ(server_->Client().Get("/api/v1/users")->status, 401);
  EXPECT_EQ(server_->Client().Delete("/api/v1/users/" + zoe, user)->status, 401);

  // A new password: the old one and the logins made with it end.
  auto login = Login("zoe@example.org", "first-pass");
  ASSERT_EQ(login->status, 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  EXPECT_EQ(server_->Client().Get("/api/v1/me", {{"Cookie", cookie}})->status, 200);
  const std::string password_path = "/api/v1/users/" + zoe + "/password";
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {json::object(), "password"},
           {{{"password", "short"}}, "password"},
           {{{"password", 12345678}}, "password"},
           {{{"password", "long enough"}, {"old", "x"}}, "old"}}) {
    auto res =
        server_->Client().Put(password_path, server_->Auth(), body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_EQ(json::parse(res->body)["error"]["field"], field) << res->body;
  }
  EXPECT_EQ(server_->Client()
                .Put("/api/v1/users/nobody/password", server_->Auth(),
                     json{{"password", "long enough"}}.dump(), "application/json")
                ->status,
            404);
  auto changed = server_->Client().Put(
      password_path, server_->Auth(), json{{"password", "second-pass"}}.dump(), "application/json");
  ASSERT_EQ(changed->status, 204) << changed->body;
  EXPECT_EQ(Login("zoe@example.org", "first-pass")->status, 401);
  EXPECT_EQ(Login("zoe@example.org", "second-pass")->status, 200);
  EXPECT_EQ(server_->Client().Get("/api/v1/me", {{"Cookie", cookie}})->status, 401);

  // Deleted: gone from the list, cannot log in; deleting again is 404.
  EXPECT_EQ(server_->Client().Delete("/api/v1/users/" + zoe, server_->Auth())->status, 204);
  EXPECT_EQ(server_->Client().Delete("/api/v1/users/" + zoe, server_->Auth())->status, 404);
  EXPECT_EQ(Login("zoe@example.org", "second-pass")->status, 401);
  EXPECT_EQ(
      json::parse(server_->Client().Get("/api/v1/users", server_->Auth())->body)["users"].size(),
      1u);
  auto wrong = server_->Client().Get("/api/v1/users/" + abe, server_->Auth());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "DELETE");
}

TEST_F(AccountsAdmin, TheCommandLineListsChangesAndDeletesAccounts) {
  const TempDir data;
  const std::string dir = " --data " + data.string() + TestDatabaseFlag(data);
  ASSERT_EQ(Ssr("user add" + dir +
                    " --id t1 --email teacher@example.org --name Teacher "
                    "--password-stdin",
                "old-password\n")
                .code,
            0);
  ASSERT_EQ(Ssr("user add" + dir +
                    " --id s1 --email student@example.org --name 'A Student' "
                    "--password-stdin",
                "old-password\n")
                .code,
            0);
  const CommandRun list = Ssr("user list" + dir);
  EXPECT_EQ(list.code, 0);
  EXPECT_EQ(list.out, "s1\tstudent@example.org\tA Student\n"
                      "t1\tteacher@example.org\tTeacher\n");

  const CommandRun short_pw =
      Ssr("user passwd" + dir + " --email teacher@example.org --password-stdin", "short\n");
  EXPECT_EQ(short_pw.code, 2);
  EXPECT_THAT(short_pw.out, HasSubstr("password"));
  const CommandRun unknown =
      Ssr("user passwd" + dir + " --email nobody@example.org --password-stdin", "whatever-pw\n");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.out, HasSubstr("no account with e-mail 'nobody@example.org'"));
  const CommandRun no_stdin =
      Ssr("user passwd" + dir + " --email teacher@example.org --password-stdin");
  EXPECT_EQ(no_stdin.code, 2);
  EXPECT_THAT(no_stdin.out, HasSubstr("no password on stdin"));
  const CommandRun passwd =
      Ssr("user passwd" + dir + " --email Teacher@Example.org --password-stdin", "new-password\n");
  EXPECT_EQ(passwd.code, 0) << passwd.out;

  const CommandRun removed = Ssr("user delete" + dir + " --email student@example.org");
  EXPECT_EQ(removed.code, 0) << removed.out;
  EXPECT_THAT(removed.out, HasSubstr("deleted user s1"));
  EXPECT_EQ(Ssr("user delete" + dir + " --email student@example.org").code, 1);
  EXPECT_EQ(Ssr("user list" + dir).out, "t1\tteacher@example.org\tTeacher\n");
  const CommandRun missing = Ssr("user list --data " + (data / "nowhere").string());
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.out, HasSubstr("no database"));

  // What the command line did is what the server sees.
  Start(data);
  EXPECT_EQ(Login("teacher@example.org", "old-password")->status, 401);
  EXPECT_EQ(Login("teacher@example.org", "new-password")->status, 200);
  EXPECT_EQ(Login("student@example.org", "old-password")->status, 401);
  server_.reset();
}

} // namespace
} // namespace ssr::test
