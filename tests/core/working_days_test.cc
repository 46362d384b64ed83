// Working-day deadlines in Vietnam local time: weekends, Tết, the other public holidays, a
// holiday and a swapped working Saturday the province configures, requests received after
// office hours; and the holiday list's text form with line-precise errors.
#include "core/working_days.h"

#include <gtest/gtest.h>

#include "core/messages.h"
#include "core/time_format.h"

namespace cks {
namespace {

using namespace std::chrono_literals;
using std::chrono::February;
using std::chrono::November;

// The instant of local (UTC+7) time `local` on `day`.
TimePoint vietnamTime(Date day, std::chrono::minutes local) { return day + local - 7h; }

Date date(std::string_view text) { return *parseDate(text); }

std::string dueDay(const WorkingDayCalendar& calendar, Date day, std::chrono::minutes local,
                   int working_days) {
  return formatDate(calendar.dueDate(vietnamTime(day, local), working_days).day);
}

TEST(WorkingDaysTest, VietnamDaysStartAtSevenInTheMorningUtc) {
  EXPECT_EQ(formatDate(vietnamDate(*parseIsoUtc("2026-02-13T16:59:59Z"))), "2026-02-13");
  EXPECT_EQ(formatDate(vietnamDate(*parseIsoUtc("2026-02-13T17:00:00Z"))), "2026-02-14");
  EXPECT_EQ(formatIsoUtc(vietnamMidnight(date("2026-02-14"))), "2026-02-13T17:00:00Z");
}

TEST(WorkingDaysTest, DatesAreReadStrictly) {
  EXPECT_EQ(formatDate(date("2027-02-04")), "2027-02-04");
  for (const char* bad : {"2026-02-30", "2026-2-3", "26-02-03", "2026/02/03", "2026-02-03Z", ""}) {
    EXPECT_EQ(parseDate(bad), std::nullopt) << bad;
  }
}

TEST(WorkingDaysTest, WeekendsAreNotWorkingDays) {
  const WorkingDayCalendar weekends_only;
  EXPECT_TRUE(weekends_only.isWorkingDay(date("2026-11-20")));   // Friday
  EXPECT_FALSE(weekends_only.isWorkingDay(date("2026-11-21")));  // Saturday
  EXPECT_FALSE(weekends_only.isWorkingDay(date("2026-11-22")));  // Sunday
  // Thursday + 3 working days is the next Tuesday.
  EXPECT_EQ(dueDay(weekends_only, date("2026-11-19"), 9h, 3), "2026-11-24");
  // Friday + 1 is Monday.
  EXPECT_EQ(dueDay(weekends_only, date("2026-11-20"), 9h, 1), "2026-11-23");
}

TEST(WorkingDaysTest, TheDefaultTableHasTet2026AsAnnounced) {
  const auto calendar = WorkingDayCalendar::vietnam();
  for (Date day = date("2026-02-14"); day <= date("2026-02-22"); day += std::chrono::days(1)) {
    EXPECT_FALSE(calendar.isWorkingDay(day)) << formatDate(day);
    EXPECT_EQ(calendar.holidayName(day), "Tết Nguyên Đán Bính Ngọ") << formatDate(day);
  }
  EXPECT_TRUE(calendar.isWorkingDay(date("2026-02-13")));
  EXPECT_TRUE(calendar.isWorkingDay(date("2026-02-23")));
  EXPECT_EQ(calendar.holidayName(date("2026-02-23")), "");
}

TEST(WorkingDaysTest, ARequestReceivedTheFridayBeforeTetIsDueAfterTet) {
  const auto calendar = WorkingDayCalendar::vietnam();
  // Friday 13/2/2026, 10:00: the next working day is Monday 23/2, after nine days off.
  EXPECT_EQ(dueDay(calendar, date("2026-02-13"), 10h, 1), "2026-02-23");
  EXPECT_EQ(dueDay(calendar, date("2026-02-13"), 10h, 3), "2026-02-25");
  const Deadline deadline = calendar.dueDate(vietnamTime(date("2026-02-13"), 10h), 3);
  EXPECT_EQ(formatIsoUtc(deadline.ends_at), "2026-02-25T17:00:00Z");  // midnight in Vietnam
  // The same request received at 18:00 counts from the first day after Tết.
  EXPECT_EQ(dueDay(calendar, date("2026-02-13"), 18h, 1), "2026-02-24");
  // One received during Tết counts from Monday 23/2 as well.
  EXPECT_EQ(dueDay(calendar, date("2026-02-17"), 9h, 1), "2026-02-24");
}

TEST(WorkingDaysTest, ARequestReceivedAfterOfficeHoursCountsFromTheNextWorkingDay) {
  const WorkingDayCalendar calendar;
  // Monday 23/11/2026: at 16:59 it is received on Monday, at 17:00 and 18:00 on Tuesday.
  EXPECT_EQ(formatDate(calendar.receiptDay(vietnamTime(date("2026-11-23"), 16h + 59min))),
            "2026-11-23");
  EXPECT_EQ(formatDate(calendar.receiptDay(vietnamTime(date("2026-11-23"), 17h))), "2026-11-24");
  EXPECT_EQ(dueDay(calendar, date("2026-11-23"), 16h + 59min, 3), "2026-11-26");
  EXPECT_EQ(dueDay(calendar, date("2026-11-23"), 18h, 3), "2026-11-27");
  // Friday at 18:00 is received on Monday.
  EXPECT_EQ(dueDay(calendar, date("2026-11-27"), 18h, 1), "2026-12-01");
  // Just after midnight local time (still the previous day in UTC) is the new day's morning.
  EXPECT_EQ(dueDay(calendar, date("2026-11-24"), 30min, 1), "2026-11-25");
  // A request received on Saturday counts as received on Monday.
  EXPECT_EQ(formatDate(calendar.receiptDay(vietnamTime(date("2026-11-28"), 9h))), "2026-11-30");
  EXPECT_EQ(dueDay(calendar, date("2026-11-28"), 9h, 1), "2026-12-01");
}

TEST(WorkingDaysTest, TheCutoffIsConfigurable) {
  const WorkingDayCalendar early({}, 16h + 30min);
  EXPECT_EQ(dueDay(early, date("2026-11-23"), 16h + 45min, 1), "2026-11-25");
  EXPECT_EQ(dueDay(early, date("2026-11-23"), 16h + 15min, 1), "2026-11-24");
}

TEST(WorkingDaysTest, ZeroWorkingDaysIsDueOnTheDayOfReceipt) {
  const WorkingDayCalendar calendar;
  EXPECT_EQ(dueDay(calendar, date("2026-11-23"), 9h, 0), "2026-11-23");
  EXPECT_EQ(dueDay(calendar, date("2026-11-21"), 9h, 0), "2026-11-23");
}

TEST(WorkingDaysTest, TheOtherPublicHolidaysOf2026AreSkipped) {
  const auto calendar = WorkingDayCalendar::vietnam();
  // Giỗ Tổ Hùng Vương falls on Sunday 26/4: Monday 27/4 is the day off in lieu.
  EXPECT_FALSE(calendar.isWorkingDay(date("2026-04-27")));
  EXPECT_EQ(dueDay(calendar, date("2026-04-24"), 9h, 1), "2026-04-28");
  // 30/4 and 1/5 (Thursday and Friday): Wednesday + 1 is Monday 4/5.
  EXPECT_EQ(dueDay(calendar, date("2026-04-29"), 9h, 1), "2026-05-04");
  // Quốc khánh: 1/9 and 2/9.
  EXPECT_EQ(dueDay(calendar, date("2026-08-31"), 9h, 1), "2026-09-03");
  EXPECT_EQ(dueDay(calendar, date("2025-12-31"), 9h, 1), "2026-01-02");
  EXPECT_EQ(calendar.holidayName(date("2026-09-02")), "Quốc khánh");
}

TEST(WorkingDaysTest, TheDefaultTableCovers2027) {
  const auto calendar = WorkingDayCalendar::vietnam();
  EXPECT_TRUE(calendar.coversYear(2026));
  EXPECT_TRUE(calendar.coversYear(2027));
  EXPECT_FALSE(calendar.coversYear(2025));
  EXPECT_FALSE(calendar.coversYear(2028));
  EXPECT_FALSE(WorkingDayCalendar().coversYear(2026));
  // Tết Đinh Mùi: Saturday 6/2/2027 (days off assumed 4/2–10/2 until announced).
  EXPECT_EQ(dueDay(calendar, date("2027-02-03"), 9h, 1), "2027-02-11");
  EXPECT_FALSE(calendar.isWorkingDay(date("2027-04-16")));  // Giỗ Tổ, a Friday
  EXPECT_FALSE(calendar.isWorkingDay(date("2027-05-03")));  // 1/5 is a Saturday
  EXPECT_FALSE(calendar.isWorkingDay(date("2027-09-03")));
}

TEST(WorkingDaysTest, AHolidayTheProvinceConfiguresIsSkipped) {
  const auto list = parseHolidayList("2026-11-24 Ngày Văn hóa Việt Nam\n", "holidays.txt");
  ASSERT_TRUE(list) << list.error().message;
  const auto calendar = WorkingDayCalendar::vietnam(*list);
  EXPECT_EQ(dueDay(WorkingDayCalendar::vietnam(), date("2026-11-23"), 9h, 1), "2026-11-24");
  EXPECT_EQ(dueDay(calendar, date("2026-11-23"), 9h, 1), "2026-11-25");
  EXPECT_EQ(calendar.holidayName(date("2026-11-24")), "Ngày Văn hóa Việt Nam");
  // The defaults are still there.
  EXPECT_FALSE(calendar.isWorkingDay(date("2026-09-02")));
}

TEST(WorkingDaysTest, ASwappedSaturdayIsAWorkingDay) {
  const auto list = parseHolidayList(
      "2026-12-31 Nghỉ hoán đổi\n+2026-12-26 Làm bù cho ngày 31/12\n", "holidays.txt");
  ASSERT_TRUE(list) << list.error().message;
  const WorkingDayCalendar calendar(*list);
  EXPECT_TRUE(calendar.isWorkingDay(date("2026-12-26")));
  EXPECT_FALSE(calendar.isWorkingDay(date("2026-12-31")));
  EXPECT_EQ(dueDay(calendar, date("2026-12-25"), 9h, 1), "2026-12-26");
  EXPECT_EQ(dueDay(calendar, date("2026-12-30"), 9h, 1), "2027-01-01");
}

TEST(WorkingDaysTest, ADeadlineIsOverdueOnceItsLastDayEnds) {
  const auto calendar = WorkingDayCalendar::vietnam();
  const TimePoint received = vietnamTime(date("2026-11-23"), 9h);
  const Deadline recovery = calendar.dueDate(received, 1);
  EXPECT_EQ(formatDate(recovery.day), "2026-11-24");
  EXPECT_FALSE(recovery.overdue(received));
  EXPECT_FALSE(recovery.overdue(vietnamTime(date("2026-11-24"), 23h + 59min)));
  EXPECT_TRUE(recovery.overdue(vietnamTime(date("2026-11-25"), 0min)));
  EXPECT_TRUE(recovery.overdue(vietnamTime(date("2026-11-25"), 8h)));
}

TEST(WorkingDaysTest, TheHolidayListReadsDaysRangesSwapsAndComments) {
  const auto list = parseHolidayList(
      "\xEF\xBB\xBF# Lịch nghỉ của tỉnh\n"
      "\n"
      "; ngày lễ\n"
      "2026-09-01 Quốc khánh\r\n"
      "  2026-02-14..2026-02-16   Tết Nguyên Đán  \n"
      "+2026-01-10 Làm bù\n",
      "holidays.txt");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->days_off.size(), 4u);
  EXPECT_EQ(list->days_off[0], (Holiday{date("2026-09-01"), "Quốc khánh"}));
  EXPECT_EQ(list->days_off[1], (Holiday{date("2026-02-14"), "Tết Nguyên Đán"}));
  EXPECT_EQ(list->days_off[3], (Holiday{date("2026-02-16"), "Tết Nguyên Đán"}));
  ASSERT_EQ(list->working_weekend_days.size(), 1u);
  EXPECT_EQ(list->working_weekend_days[0], (Holiday{date("2026-01-10"), "Làm bù"}));

  const auto entry = parseHolidayEntry("2026-09-01 Quốc khánh");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->days_off, (std::vector<Holiday>{{date("2026-09-01"), "Quốc khánh"}}));
}

TEST(WorkingDaysTest, HolidayListErrorsNameTheLineAndTheProblem) {
  const auto error = [](std::string_view text) {
    const auto list = parseHolidayList(text, "/etc/cks/holidays.txt");
    return list ? std::string("(parsed)") : list.error().message;
  };
  EXPECT_EQ(error("# ok\n2026-01-01 Tết Dương lịch\n2026-02-30 Sai\n"),
            "/etc/cks/holidays.txt:3: \"2026-02-30\": not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(error("2026-09-02\n"),
            "/etc/cks/holidays.txt:1: \"2026-09-02\": the holiday's name is missing");
  EXPECT_EQ(error("\n02/09/2026 Quốc khánh\n"),
            "/etc/cks/holidays.txt:2: \"02/09/2026\": not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(error("2026-02-22..2026-02-14 Tết\n"),
            "/etc/cks/holidays.txt:1: \"2026-02-22..2026-02-14\": the range ends before it starts");
  EXPECT_EQ(
      error("2026-01-01..2026-03-01 Quá dài\n"),
      "/etc/cks/holidays.txt:1: \"2026-01-01..2026-03-01\": a range may span at most 31 days");
  EXPECT_EQ(error("2026-02-14..x Tết\n"),
            "/etc/cks/holidays.txt:1: \"x\": not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(
      error("+2026-01-09 Làm bù\n"),
      "/etc/cks/holidays.txt:1: \"+2026-01-09\": not a Saturday or Sunday, so already worked");
  EXPECT_EQ(error("+2026-01-10..2026-01-11 Làm bù\n"),
            "/etc/cks/holidays.txt:1: \"+2026-01-10..2026-01-11\": a working weekend day is one "
            "date, not a range");
  EXPECT_EQ(error("2026-09-01 Quốc khánh\n2026-08-30..2026-09-02 Quốc khánh\n"),
            "/etc/cks/holidays.txt:2: 2026-09-01 is already listed on line 1");
  EXPECT_EQ(error("2026-01-10 Nghỉ\n+2026-01-10 Làm bù\n"),
            "/etc/cks/holidays.txt:2: 2026-01-10 is already listed on line 1");
  EXPECT_EQ(error("+ Làm bù\n"),
            "/etc/cks/holidays.txt:1: expected \"YYYY-MM-DD name\", got an empty entry");
  EXPECT_EQ(error(""), "(parsed)");
}

TEST(WorkingDaysTest, TheDefaultTableIsItselfAValidHolidayList) {
  const auto list = parseHolidayList(defaultHolidayListText(), "default");
  ASSERT_TRUE(list) << list.error().message;
  const HolidayList defaults = defaultVietnameseHolidays();
  EXPECT_EQ(list->days_off, defaults.days_off);
  EXPECT_GE(defaults.days_off.size(), 30u);
  for (const Holiday& holiday : defaults.days_off) EXPECT_FALSE(holiday.name.empty());
}

TEST(WorkingDaysTest, DeadlineWordsAreInTheCatalogue) {
  EXPECT_EQ(message(Language::Vietnamese, "workdays.due", {"25/02/2026", "3"}),
            "Hạn xử lý: hết ngày 25/02/2026 (3 ngày làm việc)");
  EXPECT_EQ(message(Language::English, "workdays.due", {"25/02/2026", "3"}),
            "Due by the end of 25/02/2026 (3 working day(s))");
  EXPECT_EQ(message(Language::Vietnamese, "workdays.overdue", {"24/11/2026"}),
            "Quá hạn xử lý (hạn cuối: hết ngày 24/11/2026)");
  EXPECT_EQ(message(Language::English, "workdays.not_covered", {"2028"}),
            "The holiday calendar has nothing for 2028 — deadlines skip weekends only; add 2028's "
            "public holidays");
}

}  // namespace
}  // namespace cks
