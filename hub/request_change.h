// What the hub decides when it receives a request an agent pushed (the message itself is
// sync/protocol/request_entries.h): who handles it under the province's delegations, and the
// working day it is due. Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/request.h"
#include "core/request_rules.h"
#include "core/result.h"
#include "core/working_days.h"
#include "sync/protocol/request_entries.h"

namespace cks::hub {

// What the province configures for requests ([requests] in hub.ini, docs/hub.md).
struct RequestSettings {
  RequestPolicy policy;  // the working days each kind has
  // None: every request goes to the provider.
  std::vector<Delegation> delegations = defaultDelegations();
  HolidayList holidays;              // the province's own days off and working weekend days
  bool use_default_holidays = true;  // add the built-in table (core/working_days.h)
  std::chrono::minutes cutoff = WorkingDayCalendar::kDefaultCutoff;

  // The calendar deadlines are counted in: the built-in table (unless turned off) plus the
  // province's list, with its cutoff.
  [[nodiscard]] WorkingDayCalendar calendar() const;
};

// What the hub decides when it stores a request_filed entry.
struct RequestReceipt {
  TimePoint received_at{};  // the hub's time: the deadline starts here
  HandledBy handled_by = HandledBy::Provider;
  int working_days = 0;
  Date due_date{};  // the last working day, Vietnam calendar
};

// A request_filed entry as the protocol reads it (sync/protocol/request_entries.h), with what
// the hub decides on receipt.
struct RequestFiled : sync::RequestFiled {
  std::optional<RequestReceipt> receipt;  // set by the hub before it stores the entry
};

using sync::readRequestCancelled;
using sync::RequestCancelled;

// sync::readRequestFiled, without a receipt yet.
[[nodiscard]] Result<RequestFiled> readRequestFiled(const Poco::JSON::Object::Ptr& body,
                                                    const std::string& path);

// Routes `request` again by the province's delegations on the day it is received at
// `received_at`, and counts its deadline in working days from then. A recovery names a token
// serial: the agents file recoveries for USB tokens only, so it counts as one.
[[nodiscard]] RequestReceipt receiveRequest(const Request& request, const RequestSettings& settings,
                                            const WorkingDayCalendar& calendar,
                                            TimePoint received_at);

}  // namespace cks::hub
