// Builds src/cli/calendar_command.cpp (linked into the motcua binary by the CLI layer) against
// the real data files and checks its output and exit codes.
#include "cli/calendar_command.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <sstream>

namespace motcua::cli {
namespace {

std::filesystem::path DataDir() {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : MOTCUA_TEST_SOURCE_DIR) / "data";
}

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Call(std::vector<std::string> args, std::filesystem::path dir = DataDir()) {
  std::ostringstream out, err;
  const int code = RunCalendarCommand(args, dir, out, err);
  return {code, out.str(), err.str()};
}

std::string ErrorCode(const CommandRun& r) {
  return std::string(boost::json::parse(r.err).as_object().at("code").as_string());
}

TEST(CalendarCommandTest, Holidays2025) {
  const CommandRun r = Call({"holidays", "2025"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty());
  const auto doc = boost::json::parse(r.out).as_object();
  EXPECT_EQ(doc.at("year").as_int64(), 2025);
  EXPECT_EQ(doc.at("schedule").as_string(), "standard");
  EXPECT_EQ(doc.at("holidays_and_days_off").as_int64(), 12);
  bool found = false;
  for (const auto& d : doc.at("days").as_array()) {
    const auto& o = d.as_object();
    if (o.at("date").as_string() == "2025-05-02") {
      found = true;
      EXPECT_EQ(o.at("date_vi").as_string(), "02/05/2025");
      EXPECT_EQ(o.at("kind").as_string(), "swap_off");
      EXPECT_TRUE(o.contains("source"));
    }
  }
  EXPECT_TRUE(found);
  // Saturday-morning schedule: fewer non-working days (Saturdays are worked).
  const CommandRun sat = Call({"holidays", "2025", "--schedule", "saturday_morning"});
  ASSERT_EQ(sat.code, 0);
  EXPECT_LT(boost::json::parse(sat.out).at("count").as_int64(),
            boost::json::parse(r.out).at("count").as_int64());
}

TEST(CalendarCommandTest, DueWithDerivation) {
  const CommandRun r = Call({"due", "--from", "2025-01-24T10:00", "--days", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = boost::json::parse(r.out).as_object();
  EXPECT_EQ(doc.at("due").at("local").as_string(), "2025-02-04T10:00:00+07:00");
  EXPECT_EQ(doc.at("due").at("date_vi").as_string(), "04/02/2025");
  EXPECT_EQ(doc.at("budget_minutes").as_int64(), 900);
  EXPECT_EQ(doc.at("budget").at("vi").as_string(), "2 ngày làm việc");
  EXPECT_EQ(doc.at("skipped").as_array().size(), 9u);
  EXPECT_EQ(doc.at("rule").as_string(), "received_in_working_hours");

  const CommandRun hours = Call({"due", "--from", "2025-03-10T16:00:00+07:00", "--days", "1",
                                 "--hours", "2", "--schedule", "standard"});
  ASSERT_EQ(hours.code, 0) << hours.err;
  EXPECT_EQ(boost::json::parse(hours.out).at("due").at("local").as_string(),
            "2025-03-12T08:30:00+07:00");  // 570 min: 60 on Mon, 450 on Tue, 60 on Wed
}

TEST(CalendarCommandTest, BadInputGivesJsonErrorAndExitCode2) {
  struct Case {
    std::vector<std::string> args;
    const char* code;
  };
  const Case cases[] = {
      {{"holidays", "1899"}, "calendar.year_out_of_range"},
      {{"holidays", "2200"}, "calendar.year_out_of_range"},
      {{"holidays", "20x5"}, "cli.bad_number"},
      {{"holidays"}, "cli.missing_argument"},
      {{"holidays", "2025", "--schedule", "night"}, "calendar.unknown_schedule"},
      {{"holidays", "2025", "--verbose", "1"}, "cli.unknown_flag"},
      {{"due", "--from", "2025-02-30T10:00", "--days", "2"}, "time.bad_datetime"},
      {{"due", "--from", "yesterday", "--days", "2"}, "time.bad_datetime"},
      {{"due", "--from", "2025-03-10T10:00", "--days", "-1"}, "calendar.bad_time_limit"},
      {{"due", "--from", "2025-03-10T10:00", "--days", "two"}, "cli.bad_number"},
      {{"due", "--from", "2025-03-10T10:00"}, "cli.missing_argument"},
      {{"due", "--days", "2"}, "cli.missing_argument"},
      {{"due", "--from", "2025-03-10T10:00", "--days"}, "cli.missing_argument"},
      {{"due", "--from", "2025-03-10T10:00", "--days", "2", "--fast", "1"}, "cli.unknown_flag"},
      {{"due", "--from", "1899-03-10T10:00", "--days", "2"}, "calendar.year_out_of_range"},
      {{"easter", "2025"}, "cli.unknown_command"},
      {{}, "cli.missing_argument"},
  };
  for (const Case& c : cases) {
    const CommandRun r = Call(c.args);
    EXPECT_EQ(r.code, 2) << c.code;
    EXPECT_TRUE(r.out.empty()) << c.code;
    ASSERT_FALSE(r.err.empty()) << c.code;
    EXPECT_EQ(ErrorCode(r), c.code);
    EXPECT_TRUE(boost::json::parse(r.err).as_object().contains("message"));
  }
}

TEST(CalendarCommandTest, MissingDataIsExitCode1) {
  const CommandRun r = Call({"holidays", "2025"}, "/nonexistent");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(ErrorCode(r), "cli.data_unavailable");
}

}  // namespace
}  // namespace motcua::cli
