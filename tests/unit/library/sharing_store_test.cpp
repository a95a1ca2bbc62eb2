// Saved sharing settings: versions (the ETag), a save refused when someone saved in between,
// grants found by user, and the library listing and allowing by the saved settings with a
// clock the test sets (release times).

#include "library/sharing_store.h"

#include "control/recording_store.h"
#include "library/recording_library.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

SharingRecord Settings(json changes = json::object()) {
  json body = {{"stream_by", json::array()},
               {"download_by", json::array()},
               {"grants", json::array()},
               {"release_at", nullptr}};
  body.update(changes);
  return ParseSharing(body);
}

Caller User(const std::string& id, const std::string& email = "") {
  return Caller::User(id, "", email);
}

TEST(SharingStore, NothingSavedIsVersionZeroAndEachSaveAddsOne) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "versions.db"));
  SharingStore store(store_db);
  EXPECT_FALSE(store.Load("r1"));
  auto first = store.Save("r1", Settings({{"stream_by", {"attendees"}}}), 0, "ann", 1000);
  ASSERT_TRUE(first.saved);
  EXPECT_EQ(first.current.version, 1);
  EXPECT_EQ(first.current.updated_by, "ann");
  EXPECT_EQ(first.current.updated_at, "1970-01-01T00:16:40.000Z");
  auto second = store.Save("r1", Settings({{"download_by", {"presenters"}}}), 1, "bob", 2000);
  ASSERT_TRUE(second.saved);
  EXPECT_EQ(second.current.version, 2);
  const auto loaded = store.Load("r1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(SharingJson(*loaded), SharingJson(second.current));
  EXPECT_TRUE(loaded->settings.stream_by.empty()); // the whole settings were replaced
  EXPECT_EQ(SharingETag(loaded->version), "\"v2\"");
  EXPECT_FALSE(store.Load("r2"));
}

// Two hosts read version 1; the first saves; the second's save is refused and writes nothing.
TEST(SharingStore, ASaveOnAnOldVersionIsRefusedAndChangesNothing) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "conflict.db"));
  SharingStore store(store_db);
  ASSERT_TRUE(store.Save("r1", Settings(), 0, "ann", 1).saved);
  const auto ann =
      store.Save("r1", Settings({{"grants", {{{"user", "cat"}, {"stream", true}}}}}), 1, "ann", 2);
  ASSERT_TRUE(ann.saved);
  const auto bob = store.Save("r1",
                              Settings({{"stream_by", {"attendees", "presenters"}},
                                        {"grants", {{{"user", "dan"}, {"download", true}}}}}),
                              1, "bob", 3);
  EXPECT_FALSE(bob.saved);
  EXPECT_EQ(bob.current.version, 2);
  const auto now = store.Load("r1");
  ASSERT_TRUE(now);
  EXPECT_EQ(SharingJson(*now), SharingJson(ann.current));
  EXPECT_TRUE(store.GrantedTo(User("dan")).empty());
  // Nothing saved yet and a client that thinks otherwise: refused too.
  EXPECT_FALSE(store.Save("r2", Settings(), 3, "bob", 4).saved);
  EXPECT_FALSE(store.Load("r2"));
  // No expected version (If-Match: *): saved over whatever is there.
  EXPECT_EQ(store.Save("r1", Settings(), std::nullopt, "platform", 5).current.version, 3);
}

TEST(SharingStore, GrantsAreFoundByUserIdOrEmailAndForgottenWithTheRecording) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "grants.db"));
  SharingStore store(store_db);
  store.Save("r1", Settings({{"grants", {{{"user", "Cat@Example.org"}, {"stream", true}}}}}), 0,
             "ann", 1);
  store.Save("r2",
             Settings({{"grants", {{{"user", "cat"}, {"download", true}}, {{"user", "dan"}}}}}), 0,
             "ann", 1);
  EXPECT_EQ(store.GrantedTo(User("cat", "cat@example.org")),
            (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(store.GrantedTo(User("u-cat", "cat@example.org")), std::vector<std::string>{"r1"});
  EXPECT_TRUE(store.GrantedTo(User("dan")).empty()); // a grant that gives nothing
  EXPECT_EQ(store.Load("r2")->settings.grants.size(), 2u);
  store.Forget("r1");
  EXPECT_FALSE(store.Load("r1"));
  EXPECT_EQ(store.GrantedTo(User("cat", "cat@example.org")), std::vector<std::string>{"r2"});
}

class LibraryWithSharing : public ::testing::Test {
 protected:
  LibraryWithSharing()
      : db_(ssr::test::TestDatabase(dir_ / "ssr.db")), roles_(db_), sharing_(db_), recordings_(db_),
        library_(roles_, sharing_, recordings_) {
    recordings_.SaveSession({"bio"});
    control::Recording r;
    r.id = "rec1";
    r.session_id = "bio";
    r.title = "Biology";
    r.status = control::RecordingStatus::kReady;
    r.created_at = "2026-11-26T09:00:00.000Z";
    recordings_.SaveRecording(r);
    roles_.AddInvitees("bio", json::array({{{"user", "ann"}, {"role", "host"}},
                                           {{"user", "cat"}, {"role", "attendee"}},
                                           {{"user", "pam"}, {"role", "presenter"}}}));
  }
  void Share(json changes) {
    const int64_t version = sharing_.Load("rec1") ? sharing_.Load("rec1")->version : 0;
    ASSERT_TRUE(sharing_.Save("rec1", Settings(std::move(changes)), version, "ann", 0).saved);
  }
  bool May(const std::string& user, Action action, double now_s) {
    return library_.May(User(user), *recordings_.FindRecording("rec1"), action, now_s);
  }
  size_t Listed(const std::string& user, double now_s) {
    return library_.Visible(User(user), "", now_s).size();
  }

  test::TempDir dir_;
  store::Database db_;
  RoleIndex roles_;
  SharingStore sharing_;
  control::RecordingStore recordings_;
  RecordingLibrary library_;
};

TEST_F(LibraryWithSharing, AudiencesAndGrantsOpenTheRecordingAsSaved) {
  EXPECT_EQ(Listed("ann", 0), 1u);
  EXPECT_EQ(Listed("cat", 0), 0u);
  EXPECT_FALSE(May("cat", Action::kSee, 0));
  Share({{"stream_by", {"attendees"}}});
  EXPECT_EQ(Listed("cat", 0), 1u);
  EXPECT_TRUE(May("cat", Action::kStream, 0));
  EXPECT_FALSE(May("cat", Action::kDownload, 0));
  EXPECT_FALSE(May("cat", Action::kManageSharing, 0));
  EXPECT_EQ(Listed("pam", 0), 0u);
  Share({{"download_by", {"presenters"}}, {"grants", {{{"user", "zed"}, {"stream", true}}}}});
  EXPECT_EQ(Listed("cat", 0), 0u); // no longer shared with attendees
  EXPECT_TRUE(May("pam", Action::kDownload, 0));
  EXPECT_EQ(Listed("zed", 0), 1u); // no role in the session: a grant alone
  EXPECT_TRUE(May("zed", Action::kStream, 0));
  EXPECT_FALSE(May("zed", Action::kDownload, 0));
  EXPECT_FALSE(May("eve", Action::kSee, 0));
}

TEST_F(LibraryWithSharing, BeforeTheReleaseOnlyHostsSeeIt) {
  // 2026-12-01T09:00 New York = 1796133600.
  Share({{"stream_by", {"attendees"}},
         {"grants", {{{"user", "zed"}, {"stream", true}}}},
         {"release_at", "2026-12-01T09:00"},
         {"release_timezone", "America/New_York"}});
  for (const std::string user : {"cat", "zed"}) {
    EXPECT_EQ(Listed(user, 1796133599), 0u) << user;
    EXPECT_FALSE(May(user, Action::kStream, 1796133599)) << user;
    EXPECT_EQ(Listed(user, 1796133600), 1u) << user;
    EXPECT_TRUE(May(user, Action::kStream, 1796133600)) << user;
  }
  EXPECT_EQ(Listed("ann", 0), 1u);
  EXPECT_TRUE(May("ann", Action::kDownload, 0));
}

} // namespace
} // namespace ssr::library
