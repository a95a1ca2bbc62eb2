#include "library/viewer_report.h"

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

std::string Iso(double s) { return "t" + std::to_string(static_cast<int>(s)); }

TEST(ViewerReport, MergedLengthCountsOverlapsOnce) {
  EXPECT_EQ(MergedLength({}), 0u);
  EXPECT_EQ(MergedLength({{0, 10}}), 10u);
  EXPECT_EQ(MergedLength({{0, 10}, {5, 15}}), 15u);
  EXPECT_EQ(MergedLength({{20, 30}, {0, 10}}), 20u);
  EXPECT_EQ(MergedLength({{0, 10}, {10, 20}}), 20u);   // adjacent
  EXPECT_EQ(MergedLength({{0, 100}, {10, 20}}), 100u); // contained
  EXPECT_EQ(MergedLength({{5, 5}, {7, 3}}), 0u);       // empty and reversed
  EXPECT_EQ(MergedLength({{0, 10}, {30, 40}, {5, 35}}), 40u);
}

TEST(ViewerReport, RowsPerAddressWithViewsAndWatchedSeconds) {
  const std::vector<ShareView> views = {{1, "l", "ann@example.org", 100},
                                        {2, "l", "bob@example.org", 150},
                                        {3, "l", "ann@example.org", 200}};
  const std::vector<ServedRange> served = {{"ann@example.org", 1, 0, 500},
                                           {"ann@example.org", 1, 250, 1000},
                                           {"ann@example.org", 2, 0, 100},
                                           {"bob@example.org", 1, 0, 100},
                                           {"bob@example.org", 9, 0, 100}}; // no part 9
  const std::map<int, PartExtent> parts = {{1, {1000, 10.0}}, {2, {1000, 20.0}}};
  const auto rows = BuildViewerReport(views, served, parts);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].email, "ann@example.org");
  EXPECT_EQ(rows[0].views, 2);
  EXPECT_EQ(rows[0].first_view_s, 100);
  EXPECT_EQ(rows[0].last_view_s, 200);
  EXPECT_EQ(rows[0].bytes_watched, 1100u);
  EXPECT_DOUBLE_EQ(rows[0].watched_s, 12.0); // all of part 1, a tenth of part 2
  EXPECT_EQ(rows[1].email, "bob@example.org");
  EXPECT_EQ(rows[1].views, 1);
  EXPECT_EQ(rows[1].bytes_watched, 100u);
  EXPECT_DOUBLE_EQ(rows[1].watched_s, 1.0);
}

TEST(ViewerReport, CsvFieldsAreQuotedAndFormulasDefused) {
  EXPECT_EQ(CsvField("ann@example.org"), "ann@example.org");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(CsvField("=cmd@example.org"), "\"'=cmd@example.org\"");
  EXPECT_EQ(CsvField("+1@example.org"), "\"'+1@example.org\"");
  EXPECT_EQ(CsvField("-x@example.org"), "\"'-x@example.org\"");
  EXPECT_EQ(CsvField("@x"), "\"'@x\"");
}

TEST(ViewerReport, CsvHasAHeaderAndOneLinePerViewer) {
  const std::vector<ViewerRow> rows = {{"\"a,b\"@example.org", 1, 2, 3, 400, 5.5}};
  EXPECT_EQ(ViewerReportCsv(rows, &Iso),
            "email,first_view_at,last_view_at,views,watched_s,bytes_watched,kind,name\r\n"
            "\"\"\"a,b\"\"@example.org\",t1,t2,3,5.50,400,link,\r\n");
}

TEST(ViewerReport, ReportedSpansCountInsteadOfBytesAndUsersAreTheirOwnRows) {
  const std::vector<ShareView> views = {{1, "l", "ann@example.org", 100},
                                        {7, "", "ann@example.org", 120, "user", "Ann Lee"}};
  const std::vector<ServedRange> served = {{"ann@example.org", 1, 0, 1000},         // link
                                           {"ann@example.org", 1, 0, 500, "user"}}; // user
  const std::vector<WatchedSpan> played = {{"ann@example.org", 1, 0, 2, "user"},
                                           {"ann@example.org", 1, 1, 3, "user"},
                                           {"ann@example.org", 1, 9, 50, "user"}, // past the end
                                           {"ann@example.org", 2, 0, 5, "user"}}; // no part 2
  const std::map<int, PartExtent> parts = {{1, {1000, 10.0}}};
  const auto rows = BuildViewerReport(views, served, parts, played);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, "link");
  EXPECT_EQ(rows[0].name, "");
  EXPECT_DOUBLE_EQ(rows[0].watched_s, 10.0); // bytes: the whole part
  EXPECT_EQ(rows[1].kind, "user");
  EXPECT_EQ(rows[1].name, "Ann Lee");
  EXPECT_EQ(rows[1].bytes_watched, 500u);
  EXPECT_DOUBLE_EQ(rows[1].watched_s, 4.0); // [0, 3) and [9, 10): spans, not bytes
}

TEST(ViewerReport, MergeSpansJoinsOverlapsAndDropsEmptyOnes) {
  using Spans = std::vector<std::pair<double, double>>;
  EXPECT_EQ(MergeSpans({}), Spans{});
  EXPECT_EQ(MergeSpans({{5, 6}, {0, 1}, {0.5, 2}, {3, 3}, {4, 2}}), (Spans{{0, 2}, {5, 6}}));
  EXPECT_EQ(MergeSpans({{0, 1}, {1, 2}}), (Spans{{0, 2}}));
}

} // namespace
} // namespace ssr::library
