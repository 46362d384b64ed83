#include "hub/report_change.h"

#include "core/working_days.h"

namespace cks::hub {

int lastPlausibleReportYear(TimePoint now) {
  return int(std::chrono::year_month_day(vietnamDate(now)).year()) + 1;
}

bool plausibleReportYear(int year, TimePoint now) {
  return year >= kFirstPlausibleReportYear && year <= lastPlausibleReportYear(now);
}

}  // namespace cks::hub
