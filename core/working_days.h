// Working days at a Vietnamese state body: Monday to Friday, less the public holidays (and the
// days off in lieu the government announces each year), plus the weekend days it swaps in as
// working days. Request deadlines are counted in these days, in Vietnam local time (UTC+7, no
// daylight saving). Ships a default table for 2026–2027 (sources in docs/requests.md); the
// province edits its own list as text. Immutable once built, safe to share between threads.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace cks {

using Date = std::chrono::sys_days;

// Vietnam is UTC+7 all year.
inline constexpr std::chrono::hours kVietnamUtcOffset{7};

// The calendar day in Vietnam at instant `at`, and the instant that day begins.
[[nodiscard]] Date vietnamDate(TimePoint at);
[[nodiscard]] TimePoint vietnamMidnight(Date day);

// Formats as YYYY-MM-DD, and parses exactly that (nullopt for anything else, 2026-02-30 too).
[[nodiscard]] std::string formatDate(Date day);
[[nodiscard]] std::optional<Date> parseDate(std::string_view text);

struct Holiday {
  Date day;
  std::string name;  // "Tết Nguyên Đán", "Quốc khánh", "Nghỉ bù Giỗ Tổ Hùng Vương", …
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// A province's list: days off (each day of a range listed on its own) and weekend days worked
// in exchange for a bridge day off ("ngày làm bù").
struct HolidayList {
  std::vector<Holiday> days_off;
  std::vector<Holiday> working_weekend_days;
};

// Parses one entry, e.g. an INI value:
//   2026-09-02 Quốc khánh                    one day off
//   2026-02-14..2026-02-22 Tết Nguyên Đán    every day of the range off (at most 31 days)
//   +2026-01-10 Làm bù cho ngày 02/01         a Saturday or Sunday that is a working day
// The error says what is wrong with which part, without a place (the caller adds it).
[[nodiscard]] Result<HolidayList> parseHolidayEntry(std::string_view entry);

// Parses a whole list, one entry per line; blank lines and lines starting with '#' or ';' are
// skipped. Errors name `source` and the line: "holidays.txt:3: "2026-02-30": not a date".
// A day listed twice is an error naming the first line.
[[nodiscard]] Result<HolidayList> parseHolidayList(std::string_view text, std::string_view source);

// The default Vietnamese public holidays for 2026 and 2027, in the text form above, and parsed.
[[nodiscard]] std::string_view defaultHolidayListText();
[[nodiscard]] HolidayList defaultVietnameseHolidays();

// When a request counted in working days must be done: the last day, and the instant it ends
// (midnight at the end of that day in Vietnam, Civil Code 2015 Art. 148).
struct Deadline {
  Date day;
  TimePoint ends_at;
  [[nodiscard]] bool overdue(TimePoint now) const { return now >= ends_at; }
};

class WorkingDayCalendar {
 public:
  // Office hours end at 17:00: a request received later is received the next working day.
  static constexpr std::chrono::minutes kDefaultCutoff{17 * 60};

  // Weekends and the days of `holidays`; `cutoff` is the local time of day from which a
  // request counts as received on the next working day.
  explicit WorkingDayCalendar(const HolidayList& holidays = {},
                              std::chrono::minutes cutoff = kDefaultCutoff);

  // The default table (defaultVietnameseHolidays) plus the province's own list.
  [[nodiscard]] static WorkingDayCalendar vietnam(const HolidayList& province_list = {});

  [[nodiscard]] bool isWorkingDay(Date day) const;
  // The name of the holiday on `day`, empty when it is none (weekends have no name).
  [[nodiscard]] std::string holidayName(Date day) const;
  // True when the calendar lists any holiday in `year`; a deadline in a year it does not cover
  // only skips weekends, which the hub should warn about.
  [[nodiscard]] bool coversYear(int year) const;

  // The working day a request received at `received_at` counts as received on: that day if it
  // is a working day and the time is before the cutoff, else the next working day.
  [[nodiscard]] Date receiptDay(TimePoint received_at) const;

  // The working day `count` working days after `day` (count >= 0; 0 gives `day`).
  [[nodiscard]] Date addWorkingDays(Date day, int count) const;

  // The deadline of a request received at `received_at` and due within `working_days` working
  // days. As in Civil Code 2015 Art. 147, the day of receipt is not counted: a request received
  // on Monday morning and due in 1 working day is due by the end of Tuesday.
  [[nodiscard]] Deadline dueDate(TimePoint received_at, int working_days) const;

 private:
  std::map<Date, std::string> days_off_;
  std::map<Date, std::string> working_weekend_days_;
  std::chrono::minutes cutoff_;
};

}  // namespace cks
