#include "core/working_days.h"

#include <cstdio>
#include <optional>

#include "core/text.h"

namespace cks {
namespace {

using std::chrono::days;

// Labour Code 2019 Art. 112 gives the days; the Prime Minister's yearly schedule (announced by
// the Ministry of Home Affairs for civil servants) fixes Tết and the day beside 2/9, and a
// holiday on a weekend is taken on the next working day (Art. 111(3)). Lunar dates were
// converted with Hồ Ngọc Đức's Vietnamese calendar algorithm (UTC+7). Entries marked
// "giả định" are assumptions until the schedule for that year is announced: see
// docs/requests.md, and the province overrides them in its own list.
constexpr std::string_view kDefaultHolidays =
    R"(# Ngày nghỉ lễ, Tết mặc định (Bộ luật Lao động 2019, Điều 112)
2026-01-01 Tết Dương lịch
2026-02-14..2026-02-22 Tết Nguyên Đán Bính Ngọ
2026-04-26 Giỗ Tổ Hùng Vương (10/3 âm lịch)
2026-04-27 Nghỉ bù Giỗ Tổ Hùng Vương
2026-04-30 Ngày Chiến thắng
2026-05-01 Ngày Quốc tế Lao động
2026-09-01 Quốc khánh (ngày liền kề, giả định)
2026-09-02 Quốc khánh
2027-01-01 Tết Dương lịch
2027-02-04..2027-02-10 Tết Nguyên Đán Đinh Mùi (giả định)
2027-04-16 Giỗ Tổ Hùng Vương (10/3 âm lịch)
2027-04-30 Ngày Chiến thắng
2027-05-01 Ngày Quốc tế Lao động
2027-05-03 Nghỉ bù Ngày Quốc tế Lao động
2027-09-02 Quốc khánh
2027-09-03 Quốc khánh (ngày liền kề, giả định)
)";

constexpr int kMaxRangeDays = 31;

bool isWeekend(Date day) {
  const std::chrono::weekday weekday{day};
  return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

}  // namespace

Date vietnamDate(TimePoint at) { return std::chrono::floor<days>(at + kVietnamUtcOffset); }

TimePoint vietnamMidnight(Date day) { return TimePoint(day) - kVietnamUtcOffset; }

std::string formatDate(Date day) {
  const std::chrono::year_month_day ymd{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buffer;
}

std::optional<Date> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year(parts[0]),
                                        std::chrono::month(unsigned(parts[1])),
                                        std::chrono::day(unsigned(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

Result<HolidayList> parseHolidayEntry(std::string_view entry) {
  entry = trim(entry);
  const bool working = !entry.empty() && entry.front() == '+';
  if (working) entry.remove_prefix(1);
  const auto space = entry.find_first_of(" \t");
  const std::string_view when = entry.substr(0, space);
  const std::string_view name =
      space == std::string_view::npos ? std::string_view() : trim(entry.substr(space));
  if (when.empty()) return fail("expected \"YYYY-MM-DD name\", got an empty entry");

  const auto dots = when.find("..");
  const std::string_view first_text = when.substr(0, dots);
  const std::string_view last_text =
      dots == std::string_view::npos ? first_text : when.substr(dots + 2);
  const auto first = parseDate(first_text);
  if (!first) {
    return fail("\"", std::string(first_text), "\": not a date (expected YYYY-MM-DD)");
  }
  const auto last = parseDate(last_text);
  if (!last) return fail("\"", std::string(last_text), "\": not a date (expected YYYY-MM-DD)");
  if (*last < *first) {
    return fail("\"", std::string(when), "\": the range ends before it starts");
  }
  if ((*last - *first).count() >= kMaxRangeDays) {
    return fail("\"", std::string(when), "\": a range may span at most ",
                std::to_string(kMaxRangeDays), " days");
  }
  if (name.empty()) return fail("\"", std::string(when), "\": the holiday's name is missing");

  HolidayList list;
  if (working) {
    if (dots != std::string_view::npos) {
      return fail("\"+", std::string(when), "\": a working weekend day is one date, not a range");
    }
    if (!isWeekend(*first)) {
      return fail("\"+", std::string(when), "\": not a Saturday or Sunday, so already worked");
    }
    list.working_weekend_days.push_back({*first, std::string(name)});
    return list;
  }
  for (Date day = *first; day <= *last; day += days(1)) {
    list.days_off.push_back({day, std::string(name)});
  }
  return list;
}

Result<HolidayList> parseHolidayList(std::string_view text, std::string_view source) {
  HolidayList list;
  std::map<Date, int> line_of;
  int line_number = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Notepad's byte order mark
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const std::string where = std::string(source) + ":" + std::to_string(line_number) + ": ";
    auto entry = parseHolidayEntry(line);
    if (!entry) return fail(where, entry.error().message);
    for (auto* days_of : {&entry->days_off, &entry->working_weekend_days}) {
      for (const Holiday& holiday : *days_of) {
        const auto [it, inserted] = line_of.emplace(holiday.day, line_number);
        if (!inserted) {
          return fail(where, formatDate(holiday.day), " is already listed on line ",
                      std::to_string(it->second));
        }
      }
    }
    list.days_off.insert(list.days_off.end(), entry->days_off.begin(), entry->days_off.end());
    list.working_weekend_days.insert(list.working_weekend_days.end(),
                                     entry->working_weekend_days.begin(),
                                     entry->working_weekend_days.end());
  }
  return list;
}

std::string_view defaultHolidayListText() { return kDefaultHolidays; }

HolidayList defaultVietnameseHolidays() {
  auto list = parseHolidayList(kDefaultHolidays, "default holidays");
  CKS_CHECK(list.has_value());
  return *std::move(list);
}

WorkingDayCalendar::WorkingDayCalendar(const HolidayList& holidays, std::chrono::minutes cutoff)
    : cutoff_(cutoff) {
  for (const Holiday& holiday : holidays.days_off) days_off_[holiday.day] = holiday.name;
  for (const Holiday& day : holidays.working_weekend_days) {
    working_weekend_days_[day.day] = day.name;
  }
}

WorkingDayCalendar WorkingDayCalendar::vietnam(const HolidayList& province_list) {
  HolidayList all = defaultVietnameseHolidays();
  all.days_off.insert(all.days_off.end(), province_list.days_off.begin(),
                      province_list.days_off.end());
  all.working_weekend_days.insert(all.working_weekend_days.end(),
                                  province_list.working_weekend_days.begin(),
                                  province_list.working_weekend_days.end());
  return WorkingDayCalendar(all);
}

bool WorkingDayCalendar::isWorkingDay(Date day) const {
  // A weekend day swapped in as a working day wins over everything else on that date.
  if (working_weekend_days_.contains(day)) return true;
  return !isWeekend(day) && !days_off_.contains(day);
}

std::string WorkingDayCalendar::holidayName(Date day) const {
  const auto it = days_off_.find(day);
  return it == days_off_.end() ? std::string() : it->second;
}

bool WorkingDayCalendar::coversYear(int year) const {
  const Date first{std::chrono::year(year) / std::chrono::January / 1};
  const auto it = days_off_.lower_bound(first);
  return it != days_off_.end() &&
         std::chrono::year_month_day(it->first).year() == std::chrono::year(year);
}

Date WorkingDayCalendar::receiptDay(TimePoint received_at) const {
  const Date day = vietnamDate(received_at);
  const auto time_of_day = received_at - vietnamMidnight(day);
  if (isWorkingDay(day) && time_of_day < cutoff_) return day;
  return addWorkingDays(day, 1);
}

Date WorkingDayCalendar::addWorkingDays(Date day, int count) const {
  CKS_CHECK(count >= 0);
  while (count > 0) {
    day += days(1);
    if (isWorkingDay(day)) --count;
  }
  return day;
}

Deadline WorkingDayCalendar::dueDate(TimePoint received_at, int working_days) const {
  const Date due = addWorkingDays(receiptDay(received_at), working_days);
  return Deadline{due, vietnamMidnight(due + days(1))};
}

}  // namespace cks
