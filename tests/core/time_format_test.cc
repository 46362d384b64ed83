#include "core/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace cks {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

const TimePoint kExample = sys_days{2026y / std::chrono::November / 22} + 4h + 50min + 38s;

TEST(TimeFormatTest, FormatsAsIsoUtcWithZ) {
  EXPECT_EQ(formatIsoUtc(kExample), "2026-11-22T04:50:38Z");
  EXPECT_EQ(formatIsoUtc(TimePoint{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatIsoUtc(sys_days{2024y / std::chrono::February / 29} + 23h + 59min + 59s),
            "2024-02-29T23:59:59Z");
}

TEST(TimeFormatTest, ParsesWhatItFormats) {
  for (const TimePoint at :
       {kExample, TimePoint{}, TimePoint{sys_days{2024y / std::chrono::February / 29}},
        TimePoint{sys_days{2049y / std::chrono::December / 31} + 23h + 59min + 59s},
        TimePoint{sys_days{1969y / std::chrono::December / 31} + 12h},
        TimePoint{sys_days{9999y / std::chrono::December / 31}}}) {
    const std::string text = formatIsoUtc(at);
    const auto parsed = parseIsoUtc(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(*parsed, at) << text;
  }
}

TEST(TimeFormatTest, ParsesAKnownInstant) {
  EXPECT_EQ(parseIsoUtc("2026-11-22T04:50:38Z"), kExample);
}

TEST(TimeFormatTest, RejectsStringsOfTheWrongLength) {
  EXPECT_FALSE(parseIsoUtc(""));
  EXPECT_FALSE(parseIsoUtc("2026-11-22"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04:50:38"));  // missing Z
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04:50:38.000Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04:50:38Z "));
  EXPECT_FALSE(parseIsoUtc("2026-1-22T04:50:38Z"));
}

TEST(TimeFormatTest, RejectsOtherSeparatorsAndZones) {
  EXPECT_FALSE(parseIsoUtc("2026-11-22 04:50:38Z"));
  EXPECT_FALSE(parseIsoUtc("2026/11/22T04:50:38Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04:50:38+"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04-50-38Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22t04:50:38z"));
}

TEST(TimeFormatTest, RejectsNonDigitsInNumberFields) {
  EXPECT_FALSE(parseIsoUtc("2O26-11-22T04:50:38Z"));
  EXPECT_FALSE(parseIsoUtc("2026-1a-22T04:50:38Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T-4:50:38Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T04:+0:38Z"));
}

TEST(TimeFormatTest, RejectsDatesThatDoNotExist) {
  EXPECT_FALSE(parseIsoUtc("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-02-29T00:00:00Z"));  // 2026 is not a leap year
  EXPECT_FALSE(parseIsoUtc("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-00-10T00:00:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-04-00T00:00:00Z"));
  EXPECT_TRUE(parseIsoUtc("2024-02-29T00:00:00Z"));
}

TEST(TimeFormatTest, RejectsTimesOfDayThatDoNotExist) {
  EXPECT_FALSE(parseIsoUtc("2026-11-22T24:00:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T23:60:00Z"));
  EXPECT_FALSE(parseIsoUtc("2026-11-22T23:59:61Z"));
  EXPECT_TRUE(parseIsoUtc("2026-11-22T23:59:59Z"));
}

TEST(TimeFormatTest, FormatsTheDateTheVietnameseWay) {
  EXPECT_EQ(formatVietnameseDate(kExample), "22/11/2026");
  EXPECT_EQ(formatVietnameseDate(sys_days{2027y / std::chrono::March / 5} + 23h + 59min),
            "05/03/2027");
}

TEST(TimeFormatTest, DaysBetweenCountsWholeDays) {
  EXPECT_EQ(daysBetween(kExample, kExample), 0);
  EXPECT_EQ(daysBetween(kExample, kExample + 30 * 24h), 30);
  EXPECT_EQ(daysBetween(kExample, kExample + 30 * 24h - 1s), 29);
  EXPECT_EQ(daysBetween(kExample, kExample - 30 * 24h), -30);
}

TEST(TimeFormatTest, DaysBetweenRoundsTowardsNegativeInfinity) {
  EXPECT_EQ(daysBetween(kExample, kExample + 23h), 0);
  EXPECT_EQ(daysBetween(kExample, kExample + 23h + 59min + 59s), 0);
  EXPECT_EQ(daysBetween(kExample, kExample - 1h), -1);
  EXPECT_EQ(daysBetween(kExample, kExample - 1s), -1);
  EXPECT_EQ(daysBetween(kExample, kExample - 24h - 1s), -2);
}

TEST(TimeFormatTest, ShowsInstantsInVietnamTime) {
  const TimeZone vietnam = vietnamTimeZone();
  // 2026-12-05T11:34:22Z is 18:34 in Hà Nội.
  const TimePoint at = sys_days{2026y / std::chrono::December / 5} + 11h + 34min + 22s;
  EXPECT_EQ(formatLocalDateTime(at, vietnam), "05/12/2026 18:34");
  EXPECT_EQ(formatLocalDate(at, vietnam), "05/12/2026");
  // 17:30 UTC is already the next day in Vietnam.
  const TimePoint late = sys_days{2026y / std::chrono::December / 31} + 17h + 30min;
  EXPECT_EQ(formatLocalDateTime(late, vietnam), "01/01/2027 00:30");
  EXPECT_EQ(formatLocalDate(late, *parseTimeZone("UTC")), "31/12/2026");
}

TEST(TimeFormatTest, ParsesTimeZoneSettings) {
  EXPECT_EQ(parseTimeZone("Asia/Ho_Chi_Minh")->offset, 7h);
  EXPECT_EQ(parseTimeZone("Asia/Saigon")->offset, 7h);
  EXPECT_EQ(parseTimeZone("UTC")->offset, 0min);
  EXPECT_EQ(parseTimeZone("UTC+7")->offset, 7h);
  EXPECT_EQ(parseTimeZone("UTC+07:00")->name, "UTC+07:00");
  EXPECT_EQ(parseTimeZone("+05:30")->offset, 5h + 30min);
  EXPECT_EQ(parseTimeZone("-03:30")->offset, -(3h + 30min));
  for (const char* bad : {"", "Europe/Paris", "UTC+15", "+7:5", "UTC+07:60", "7", "UTC+", "+123"}) {
    EXPECT_FALSE(parseTimeZone(bad)) << bad;
  }
}

TEST(TimeFormatTest, CalendarDaysCountDaysInTheZoneNotPeriodsOf24Hours) {
  const TimeZone vietnam = vietnamTimeZone();
  // The example: on 05/12 at 18:34 a certificate expiring on 30/12 at 09:00 (Vietnam)
  // has 25 days left, although fewer than 25 × 24 hours remain.
  const TimePoint now = sys_days{2026y / std::chrono::December / 5} + 11h + 34min;
  const TimePoint expires = sys_days{2026y / std::chrono::December / 30} + 2h;
  EXPECT_EQ(daysBetween(now, expires), 24);
  EXPECT_EQ(calendarDaysBetween(now, expires, vietnam), 25);
  // The same day is 0, yesterday -1, whatever the hours.
  EXPECT_EQ(calendarDaysBetween(now, now + 5h, vietnam), 0);
  EXPECT_EQ(calendarDaysBetween(now, now - 12h, vietnam), 0);   // 06:34 the same day
  EXPECT_EQ(calendarDaysBetween(now, now - 19h, vietnam), -1);  // 23:34 the day before
  // Midnight in Vietnam, not in UTC, turns the day: 16:59 UTC and 17:00 UTC differ by one.
  const TimePoint before = sys_days{2026y / std::chrono::December / 5} + 16h + 59min;
  EXPECT_EQ(calendarDaysBetween(before, before + 1min, vietnam), 1);
  EXPECT_EQ(calendarDaysBetween(before, before + 1min, *parseTimeZone("UTC")), 0);
}

}  // namespace
}  // namespace cks
