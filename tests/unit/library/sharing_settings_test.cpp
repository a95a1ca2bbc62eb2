#include "library/sharing_settings.h"

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

using nlohmann::json;

json Whole() {
  return {{"stream_by", json::array({"attendees"})},
          {"download_by", json::array()},
          {"grants", json::array({{{"user", "bob"}, {"stream", true}, {"download", true}}})},
          {"release_at", "2026-12-01T09:00"},
          {"release_timezone", "America/New_York"}};
}

// The field a bad body is refused for.
std::string FieldOf(const json& body) {
  try {
    ParseSharing(body);
  } catch (const SharingFieldError& e) {
    return e.field();
  }
  return "(accepted)";
}

TEST(SharingSettings, AWholeBodyParsesAndComesBackAsItWasSent) {
  const SharingRecord r = ParseSharing(Whole());
  EXPECT_EQ(r.settings.stream_by, std::set<Audience>{Audience::kAttendees});
  EXPECT_TRUE(r.settings.download_by.empty());
  ASSERT_EQ(r.settings.grants.size(), 1u);
  EXPECT_EQ(r.settings.grants[0].user, "bob");
  EXPECT_EQ(r.settings.release_at_s, 1796133600.0); // 14:00 UTC
  json back = SharingJson(r);
  EXPECT_EQ(back["release_at_utc"], "2026-12-01T14:00:00.000Z");
  for (const char* read_only : {"release_at_utc", "version", "updated_at", "updated_by"}) {
    back.erase(read_only);
  }
  EXPECT_EQ(back, Whole());
  // What GET returns may be sent back as it is.
  EXPECT_EQ(SharingJson(ParseSharing(SharingJson(r))), SharingJson(r));
}

TEST(SharingSettings, NothingSharedIsValid) {
  const json none = {{"stream_by", json::array()},
                     {"download_by", json::array()},
                     {"grants", json::array()},
                     {"release_at", nullptr}};
  const SharingRecord r = ParseSharing(none);
  EXPECT_TRUE(r.settings.stream_by.empty());
  EXPECT_FALSE(r.settings.release_at_s);
  EXPECT_FALSE(r.release_at);
}

TEST(SharingSettings, EachBadFieldIsNamed) {
  auto with = [](const std::string& field, json value) {
    json body = Whole();
    body[field] = std::move(value);
    return body;
  };
  auto without = [](const std::string& field) {
    json body = Whole();
    body.erase(field);
    return body;
  };
  auto grant = [](json g) {
    return json{{"stream_by", json::array()},
                {"download_by", json::array()},
                {"grants", json::array({g})},
                {"release_at", nullptr}};
  };
  EXPECT_EQ(FieldOf(with("shared", true)), "shared");
  EXPECT_EQ(FieldOf(without("stream_by")), "stream_by");
  EXPECT_EQ(FieldOf(without("download_by")), "download_by");
  EXPECT_EQ(FieldOf(without("grants")), "grants");
  EXPECT_EQ(FieldOf(without("release_at")), "release_at");
  EXPECT_EQ(FieldOf(with("stream_by", "attendees")), "stream_by");
  EXPECT_EQ(FieldOf(with("stream_by", json::array({"students"}))), "stream_by[0]");
  EXPECT_EQ(FieldOf(with("download_by", json::array({"presenters", 1}))), "download_by[1]");
  EXPECT_EQ(FieldOf(with("download_by", json::array({"presenters", "presenters"}))),
            "download_by[1]");
  EXPECT_EQ(FieldOf(with("grants", json::object())), "grants");
  EXPECT_EQ(FieldOf(with("grants", json::array({"bob"}))), "grants[0]");
  EXPECT_EQ(FieldOf(grant({{"stream", true}})), "grants[0].user");
  EXPECT_EQ(FieldOf(grant({{"user", ""}})), "grants[0].user");
  EXPECT_EQ(FieldOf(grant({{"user", "bob smith"}})), "grants[0].user");
  EXPECT_EQ(FieldOf(grant({{"user", 7}})), "grants[0].user");
  EXPECT_EQ(FieldOf(grant({{"user", std::string(321, 'b')}})), "grants[0].user");
  EXPECT_EQ(FieldOf(grant({{"user", "bob"}, {"stream", "yes"}})), "grants[0].stream");
  EXPECT_EQ(FieldOf(grant({{"user", "bob"}, {"download", 1}})), "grants[0].download");
  EXPECT_EQ(FieldOf(grant({{"user", "bob"}, {"watch", true}})), "grants[0].watch");
  EXPECT_EQ(FieldOf(with("grants", json::array({{{"user", "Bob@x.org"}, {"stream", true}},
                                                {{"user", "bob@X.org"}, {"download", true}}}))),
            "grants[1].user");
  EXPECT_EQ(FieldOf(with("release_at", "2026-12-01")), "release_at");
  EXPECT_EQ(FieldOf(with("release_at", "2026-12-01T09:00Z")), "release_at");
  EXPECT_EQ(FieldOf(with("release_at", 1796133600)), "release_at");
  EXPECT_EQ(FieldOf(with("release_at", "2027-03-14T02:30")), "release_at"); // the DST gap
  EXPECT_EQ(FieldOf(without("release_timezone")), "release_timezone");
  EXPECT_EQ(FieldOf(with("release_timezone", nullptr)), "release_timezone");
  EXPECT_EQ(FieldOf(with("release_timezone", "New York")), "release_timezone");
  EXPECT_EQ(FieldOf(with("release_timezone", 5)), "release_timezone");
  EXPECT_EQ(FieldOf(json::array()), "(body)");
  EXPECT_EQ(FieldOf(Whole()), "(accepted)");
}

} // namespace
} // namespace ssr::library
