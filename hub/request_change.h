// A request as an agent pushes it (entry kinds request_filed and request_cancelled, the contract
// in docs/requests.md "Sync of requests"), checked field by field so that a bad body is refused
// with its path ("entries[0].body.request.kind: unknown request kind \"x\"") before anything is
// stored; and what the hub decides when it receives one: who handles it under the province's
// delegations, and the working day it is due. Plain data and pure functions.
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

struct RequestFiled {
  Request request;  // state as the agent sent it; the hub stores it as received
  Form form{};
  std::vector<std::string> supersedes;    // open renewals/changes this revocation replaces
  std::optional<RequestReceipt> receipt;  // set by the hub before it stores the entry
};

struct RequestCancelled {
  std::string request_id;
  TimePoint at{};
  std::string reason;
};

// Reads {"request": {…}} from an entry's body; `path` names the body in messages
// ("entries[3].body"). Wire names must be those of core/request.h, the form must be the one
// the request's kind (and subscriber) is filed on, and each kind must carry its subject: a
// fingerprint (64 lowercase hex digits) for renewal, change and revocation, a token serial for a
// recovery, a change case, a revocation reason, a subscriber kind for a new certificate.
[[nodiscard]] Result<RequestFiled> readRequestFiled(const Poco::JSON::Object::Ptr& body,
                                                    const std::string& path);

// Reads {"request_id", "at", "reason"} from a request_cancelled entry's body.
[[nodiscard]] Result<RequestCancelled> readRequestCancelled(const Poco::JSON::Object::Ptr& body,
                                                            const std::string& path);

// Routes `request` again by the province's delegations on the day it is received at
// `received_at`, and counts its deadline in working days from then. A recovery names a token
// serial: the agents file recoveries for USB tokens only, so it counts as one.
[[nodiscard]] RequestReceipt receiveRequest(const Request& request, const RequestSettings& settings,
                                            const WorkingDayCalendar& calendar,
                                            TimePoint received_at);

}  // namespace cks::hub
