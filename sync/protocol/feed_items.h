// The bodies of the items a hub queues for one agent's pull feed (docs/sync-protocol.md, "Feed
// kinds"): the agency's identity (agency), a step of one of its requests (request_status), a
// report's dates (report_deadline), settings (settings) and the revocation status of one of its
// certificates (revocation_status); a merger (merger) is sync/protocol/merger_json.h. The hub
// encodes them; the agent decodes them leniently: an item it cannot read is skipped, never an error
// that stops the feed. Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/request.h"
#include "core/result.h"
#include "core/revocation.h"
#include "core/working_days.h"

namespace cks::sync {

// The agency renamed, recoded or moved: only the fields it names change on the agent.
struct AgencyItem {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<std::string> parent_body;
  std::optional<std::string> province;
  std::optional<std::string> place;
  std::optional<std::string> department;

  // The field of core/agency_identity.h named `field` ("code", "name", "parent_body", …).
  [[nodiscard]] const std::optional<std::string>& field(std::string_view field) const;
  [[nodiscard]] std::optional<std::string>& field(std::string_view field);
};

// A step of one of the agency's requests (docs/requests.md, "Sync of requests").
struct RequestStatusItem {
  std::string request_id;
  RequestState state{};
  TimePoint at{};
  std::string by;
  std::string reason;     // empty: none
  std::string reference;  // empty: none
  std::optional<Date> due_date;
  std::optional<HandledBy> handled_by;
};

// The province's dates for one year's report (docs/report.md, "Agent side").
struct ReportDeadlineItem {
  int year = 0;
  Date deadline{};
  Date remind_from{};
};

// Settings the province pushes: each key's value as text.
struct SettingsItem {
  std::map<std::string, std::string> values;
};

// The revocation status of one of the agency's certificates as the hub now knows it, sent when it
// differs from what the agency was last told (docs/revocation.md, "The feed").
// `next_update` is the nextUpdate of the list that said so: past it, an agent that heard nothing
// newer shows the status unknown since then (core/revocation.h, toldStatusAt).
struct RevocationStatusItem {
  std::string fingerprint;  // SHA-256 of the DER, lowercase hex
  RevocationStatus status;
  std::optional<TimePoint> next_update;  // unset for unknown, or a list without one

  friend bool operator==(const RevocationStatusItem&, const RevocationStatusItem&) = default;
};

// The fields of the item that are set, in the order above.
[[nodiscard]] std::string encodeItem(const AgencyItem& item);
// reason, reference and due_date are null when empty or absent.
[[nodiscard]] std::string encodeItem(const RequestStatusItem& item);
[[nodiscard]] std::string encodeItem(const ReportDeadlineItem& item);
[[nodiscard]] std::string encodeItem(const SettingsItem& item);
// as_of, next_update, revoked_at and reason are null when unset.
[[nodiscard]] std::string encodeItem(const RevocationStatusItem& item);

// Reads what the encoders write. An agency item's absent or null fields stay unset.
[[nodiscard]] AgencyItem readAgencyItem(const Poco::JSON::Object& body);
// Fails without a request id or with a state core/request.h does not know; an unreadable time,
// due date or handler is left unset (an older hub sent fewer fields).
[[nodiscard]] Result<RequestStatusItem> readRequestStatusItem(const Poco::JSON::Object& body);
// Fails when a date is not YYYY-MM-DD or the year is not a number.
[[nodiscard]] Result<ReportDeadlineItem> readReportDeadlineItem(const Poco::JSON::Object& body);
// Every member, as text whatever its JSON type; a null member is left out.
[[nodiscard]] SettingsItem readSettingsItem(const Poco::JSON::Object& body);
// Fails without a fingerprint, with a status core/revocation.h does not know, or with a time that
// is not ISO 8601 UTC; a reason it does not know is left unset (a later RFC's).
[[nodiscard]] Result<RevocationStatusItem> readRevocationStatusItem(const Poco::JSON::Object& body);

}  // namespace cks::sync
