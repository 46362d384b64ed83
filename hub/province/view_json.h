// The JSON of the province services' views: what `cks-hub admin … --json` prints and the
// console will serve. They are an interface contract (docs/hub.md): extend, never rename.
// Times are ISO 8601 UTC; absent values are null.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "core/messages.h"
#include "hub/province/alert_service.h"
#include "hub/province/dashboard_service.h"
#include "hub/province/enrolment_service.h"
#include "hub/province/inventory_service.h"
#include "hub/province/merger_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/revocation_service.h"
#include "hub/province/staff_service.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

[[nodiscard]] Poco::JSON::Object::Ptr agentJson(const AgentRecord& agent);
[[nodiscard]] Poco::JSON::Object::Ptr agencyJson(const Agency& agency);
[[nodiscard]] Poco::JSON::Object::Ptr codeJson(const CodeLine& code);
// The agent's own certificate shape (sync/protocol/inventory_json.h) with the agent that saw it.
[[nodiscard]] Poco::JSON::Object::Ptr certificateJson(const CertificateSighting& sighting,
                                                      TimePoint now, int expiring_days);
[[nodiscard]] Poco::JSON::Object::Ptr tokenJson(const HubToken& token);
// A source of revocation lists (`admin revocation --json`, issue 16's contract): url, issuer,
// this_update, next_update, entries (of the list held for its issuer), last_fetch, outcome.
[[nodiscard]] Poco::JSON::Object::Ptr revocationSourceJson(const RevocationSourceView& line);
[[nodiscard]] Poco::JSON::Object::Ptr expiringJson(const ExpiringCertificate& certificate,
                                                   TimePoint now);
// "message" is the alert's sentence in `language` at `at`.
[[nodiscard]] Poco::JSON::Object::Ptr alertJson(const AlertLine& alert, Language language,
                                                TimePoint at);
[[nodiscard]] Poco::JSON::Object::Ptr requestJson(const RequestLine& request);
[[nodiscard]] Poco::JSON::Object::Ptr mergerJson(const PublishedMerger& published);
// A kept merger as mergerJson with who published it and when, and each unit's batch: null
// until it arrived, else its requests counted by kind and state and its first receipt.
[[nodiscard]] Poco::JSON::Object::Ptr mergerProgressJson(const MergerProgress& progress);
[[nodiscard]] Poco::JSON::Object::Ptr reportStatusJson(const AgencyReportStatus& status, int year);
[[nodiscard]] Poco::JSON::Object::Ptr deadlineJson(const DeadlineNotice& notice);
[[nodiscard]] Poco::JSON::Object::Ptr nationalJson(const NationalReport& report);
// An account as lists show it: never its password or hash; "state" is staffState at `now`.
[[nodiscard]] Poco::JSON::Object::Ptr staffAccountJson(const StaffAccount& account, TimePoint now);
[[nodiscard]] Poco::JSON::Object::Ptr auditEntryJson(const AuditEntry& entry);
// Each figure {"count": N, "link": the console API call that lists it, or null}
// (docs/console-api.md, "Dashboard").
[[nodiscard]] Poco::JSON::Object::Ptr dashboardJson(const Dashboard& dashboard);

// An array of `json(line)` for every line of `lines`.
template <typename Lines, typename Json>
[[nodiscard]] Poco::JSON::Array arrayOf(const Lines& lines, Json json) {
  Poco::JSON::Array array;
  for (const auto& line : lines) array.add(json(line));
  return array;
}

}  // namespace cks::hub
