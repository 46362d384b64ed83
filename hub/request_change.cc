#include "hub/request_change.h"

namespace cks::hub {

WorkingDayCalendar RequestSettings::calendar() const {
  HolidayList all = use_default_holidays ? defaultVietnameseHolidays() : HolidayList{};
  all.days_off.insert(all.days_off.end(), holidays.days_off.begin(), holidays.days_off.end());
  all.working_weekend_days.insert(all.working_weekend_days.end(),
                                  holidays.working_weekend_days.begin(),
                                  holidays.working_weekend_days.end());
  return WorkingDayCalendar(all, cutoff);
}

RequestReceipt receiveRequest(const Request& request, const RequestSettings& settings,
                              const WorkingDayCalendar& calendar, TimePoint received_at) {
  const bool usb_token =
      request.kind == RequestKind::DeviceRecovery && !request.token_serial.empty();
  RequestReceipt receipt;
  receipt.received_at = received_at;
  receipt.handled_by = route(request.kind, usb_token, settings.delegations, received_at);
  receipt.working_days = processingWorkingDays(request.kind, usb_token, settings.policy);
  receipt.due_date = calendar.dueDate(received_at, receipt.working_days).day;
  return receipt;
}

Result<RequestFiled> readRequestFiled(const Poco::JSON::Object::Ptr& body,
                                      const std::string& path) {
  auto filed = sync::readRequestFiled(body, path);
  if (!filed) return tl::unexpected(filed.error());
  RequestFiled out;
  static_cast<sync::RequestFiled&>(out) = std::move(*filed);
  return out;
}

}  // namespace cks::hub
