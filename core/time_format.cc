#include "core/time_format.h"

#include <cstdio>

namespace cks {

std::string formatIsoUtc(TimePoint at) {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{at - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return buffer;
}

std::optional<TimePoint> parseIsoUtc(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  auto number = [&](size_t pos, size_t len) -> int {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int y = number(0, 4), mo = number(5, 2), d = number(8, 2);
  const int h = number(11, 2), mi = number(14, 2), s = number(17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                                        std::chrono::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

std::string formatVietnameseDate(TimePoint at) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(at)};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04d", unsigned(ymd.day()), unsigned(ymd.month()),
                int(ymd.year()));
  return buffer;
}

long daysBetween(TimePoint from, TimePoint to) {
  return long(std::chrono::floor<std::chrono::days>(to - from).count());
}

TimeZone vietnamTimeZone() { return {"Asia/Ho_Chi_Minh", std::chrono::hours(7)}; }

std::optional<TimeZone> parseTimeZone(std::string_view text) {
  if (text == "Asia/Ho_Chi_Minh" || text == "Asia/Saigon") {
    return TimeZone{std::string(text), std::chrono::hours(7)};
  }
  if (text == "UTC" || text == "Etc/UTC") return TimeZone{"UTC", std::chrono::minutes(0)};
  std::string_view rest = text;
  if (rest.substr(0, 3) == "UTC") rest.remove_prefix(3);
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
  const int sign = rest[0] == '-' ? -1 : 1;
  rest.remove_prefix(1);
  auto digits = [](std::string_view part, int& value) {
    if (part.empty() || part.size() > 2) return false;
    value = 0;
    for (const char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    return true;
  };
  int hours = 0;
  int minutes = 0;
  const auto colon = rest.find(':');
  if (!digits(rest.substr(0, colon), hours)) return std::nullopt;
  if (colon != std::string_view::npos &&
      (rest.size() - colon - 1 != 2 || !digits(rest.substr(colon + 1), minutes))) {
    return std::nullopt;
  }
  if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0)) return std::nullopt;
  char name[16];
  std::snprintf(name, sizeof name, "UTC%c%02d:%02d", sign < 0 ? '-' : '+', hours, minutes);
  return TimeZone{name, std::chrono::minutes(sign * (hours * 60 + minutes))};
}

std::string formatLocalDateTime(TimePoint at, const TimeZone& zone) {
  const auto local = at + zone.offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock{local - day};
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", int(clock.hours().count()),
                int(clock.minutes().count()));
  return formatVietnameseDate(TimePoint(day)) + " " + buffer;
}

std::string formatLocalDate(TimePoint at, const TimeZone& zone) {
  return formatVietnameseDate(TimePoint(std::chrono::floor<std::chrono::days>(at + zone.offset)));
}

long calendarDaysBetween(TimePoint from, TimePoint to, const TimeZone& zone) {
  const auto day = [&](TimePoint at) {
    return std::chrono::floor<std::chrono::days>(at + zone.offset);
  };
  return long((day(to) - day(from)).count());
}

}  // namespace cks
