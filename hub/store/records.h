// The values the hub's store reads and writes, shared by its roles (hub/store/hub_store.h):
// agencies, enrolment codes and agents; pushes; the province's view of tokens, certificates,
// alerts and requests; yearly reports; and the query and page types of the lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/inventory.h"
#include "core/report.h"
#include "core/request.h"
#include "core/result.h"
#include "core/working_days.h"
#include "hub/inventory_change.h"

namespace cks::hub {

// One page of a list: at most the limit asked, in the list's order, and the cursor that asks
// for the rows after the last one ("" at the end of the list). A cursor is opaque: it holds the
// last row's sort key and id (keyset paging, never an offset), so rows added or removed
// meanwhile neither repeat nor skip the rows that stay.
template <typename Item>
struct Page {
  std::vector<Item> items;
  std::string next_cursor;
};

// Every row of a paged list: `next(cursor)`, a Result<Page<Item>>, called page after page from
// the start. For callers that show a whole list (the admin commands); a console pages itself.
template <typename Item, typename Next>
[[nodiscard]] Result<std::vector<Item>> everyPage(Next&& next) {
  std::vector<Item> out;
  std::string cursor;
  for (;;) {
    Result<Page<Item>> page = next(cursor);
    if (!page) return tl::unexpected(page.error());
    for (auto& item : page->items) out.push_back(std::move(item));
    if (page->next_cursor.empty()) return out;
    cursor = std::move(page->next_cursor);
  }
}

// The most rows one page holds; a limit of 0 (or more than this) asks for this many.
inline constexpr int kMostPageRows = 1000;

// Paging of a list: `limit` rows (0: kMostPageRows) after `cursor` ("": from the start; else
// a Page::next_cursor of the same list and order, or the call fails with InvalidArgument).
struct PageRequest {
  int limit = 0;
  std::string cursor;
};

// An entry of the province's agency directory. The type is what the province says (enroll-code
// --type, agencies import), never guessed from the name: a name typed without diacritics must not
// move an agency to another line of the province report.
struct Agency {
  std::string code;
  std::string name;
  // Read: always set. Saved: nullopt keeps the type a known agency has ("other" for a new one).
  std::optional<AgencyType> type;
  std::string parent;  // the code of the agency above it; empty: none given
};

// Counts of one directory import (HubStore::importAgencies).
struct AgencyImport {
  int added = 0;
  int renamed = 0;  // the name changed (the agency's agents are told)
  int updated = 0;  // the type or parent changed, not the name
  int unchanged = 0;
};

struct EnrollCode {
  std::string agency_code;
  std::string agency_name;
  TimePoint expires_at{};
  std::optional<TimePoint> used_at;
  std::optional<TimePoint> revoked_at;  // the province withdrew it before it was used
};

// An enrolment code as `admin codes` lists it: never the code itself, only its hash.
struct EnrollCodeRecord {
  std::string code_hash;
  std::string agency_code;
  std::string agency_name;
  TimePoint created_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> used_at;
  std::string used_by;  // the agent it enrolled
  std::optional<TimePoint> revoked_at;
};

// What revoking an enrolment code did.
enum class CodeRevocation { Revoked, AlreadyRevoked, AlreadyUsed, Unknown };

struct NewAgent {
  std::string agent_id;
  std::string agency_code;
  std::string host;
  std::string agent_version;
  TimePoint enrolled_at{};
};

struct AgentRecord {
  std::string agent_id;
  std::string agency_code;
  std::string agency_name;
  std::string host;
  std::string agent_version;
  TimePoint enrolled_at{};
  std::optional<TimePoint> last_contact;
  std::optional<std::int64_t> clock_offset_seconds;  // hub time − agent time at the last push
  std::int64_t backlog = 0;
  std::int64_t normal_acked = 0;
  std::int64_t urgent_acked = 0;
  bool revoked = false;
};

// One validated push, scoped to the agent of the client certificate.
struct PushBatch {
  std::string lane;                      // "urgent" | "normal"
  std::vector<InventoryChange> entries;  // consecutive ascending seq
  std::int64_t backlog = 0;
  std::string agent_version;
  std::optional<TimePoint> agent_time;
};

struct PushOutcome {
  // Refused: an entry names what the agent's agency may not touch (another agency's request);
  // nothing is stored and `message` names the field ("entries[0].body.request.id: …").
  enum class Kind { Acked, Gap, Conflict, Refused };
  Kind kind = Kind::Acked;
  std::int64_t acked = 0;  // the lane's highest contiguous seq after this push
  std::string message;     // for Gap, Conflict and Refused
};

// Whose inventory to list: one agency (every agent of it), or one agent.
struct ViewScope {
  std::string agency_code;  // empty: any
  std::string agent_id;     // empty: any
};

struct HubToken {
  std::string agent_id;
  InventoryToken token;
  std::string agency_code;  // the agent's agency
};

// Which tokens to list (ProvinceViews::tokens).
struct TokenQuery {
  ViewScope scope;
  PageRequest page;
  std::optional<PinState> pin_state{};  // set: only tokens whose PIN is in this state
  std::optional<bool> present{};        // set: only tokens plugged in (true) or not (false)
};

struct HubCertificate {
  std::string agent_id;
  InventoryCertificate certificate;
  std::string agency_code;  // the agent's agency
};

// An agency's alert as the hub keeps it: the latest state its agent pushed.
struct HubAlert {
  std::string agency_code;
  std::string agency_name;
  std::string agent_id;  // the agent that pushed the latest state
  AlertChange alert;
};

// Which alerts to list.
struct AlertFilter {
  std::string agency_code;        // empty: every agency
  bool include_resolved = false;  // false: open, acknowledged and snoozed only
  PageRequest page;
  std::optional<Severity> severity{};  // set: only alerts of this severity
};

// One line of a request's journal: a state it moved to (the event is the state's wire name), or
// "cancel_refused" when the agency asked to cancel a request the province already had.
struct RequestEvent {
  std::string event;
  TimePoint at{};
  std::string by;  // who: the admin's name, "cks-hub" for receipt, "agent" for a cancellation
  std::string reason;
  std::string reference;
};

// An agency's request as the hub keeps it. `request.handled_by` is the hub's routing at
// receipt; `request.reason` the rejection or cancellation reason.
struct HubRequest {
  std::string agency_code;
  std::string agency_name;
  std::string agent_id;  // the agent that filed it: status updates go to its feed
  Request request;
  Form form{};
  HandledBy filed_handled_by = HandledBy::Provider;  // the agent's routing when it was filed
  std::optional<Date> due_date;
  std::string reference;  // the province's or the provider's reference, once given
  std::vector<std::string> supersedes;
  std::vector<RequestEvent> history;  // oldest first
};

// Which requests to list.
struct RequestFilter {
  std::string agency_code;  // empty: every agency
  std::optional<RequestState> state;
  std::string id;  // empty: any
  PageRequest page;
};

// A step the province takes on a request (docs/hub.md, "Requests").
struct RequestTransition {
  std::string id;
  RequestState to = RequestState::InProgress;
  TimePoint at{};
  std::string by;
  std::string reason;
  std::string reference;
};

struct TransitionOutcome {
  enum class Kind { Done, Unknown, Refused };
  Kind kind = Kind::Done;
  std::optional<Refusal> refusal;     // Refused: why (core/request.h checkTransition)
  std::optional<HubRequest> request;  // Done: the request after the step
};

// One version of an agency's yearly report as the hub keeps it (docs/report.md, "Province
// side").
// A version of an agency's report without its body: what the report status lists of every
// agency (the body is parsed only for the one report shown in full).
struct ReportVersion {
  std::string agency_code;
  std::string agent_id;  // the agent that sent it
  int version = 1;
  TimePoint as_of{};         // its figures' as_of
  TimePoint submitted_at{};  // when the agency froze it
  TimePoint received_at{};   // when the hub stored it
};

struct StoredReport {
  std::string agency_code;
  std::string agency_name;  // the hub's name for the agency
  std::string agent_id;     // the agent that sent it
  int version = 1;
  TimePoint submitted_at{};  // when the agency froze it
  TimePoint received_at{};   // when the hub stored it
  YearlyReport report;
};

// One version of a province's aggregate as a national hub keeps it (docs/report.md, "Upward to
// the nation"): the contract figures, and the aggregate's JSON as the province sent it.
struct StoredProvinceReport {
  std::string province_code;
  std::string province_name;  // the national hub's name for it
  int version = 1;
  TimePoint submitted_at{};
  TimePoint received_at{};
  TimePoint generated_at{};
  std::string report_json;
};

// Which reports to list.
struct ReportFilter {
  int year = 0;
  std::string agency_code;  // empty: every agency
  bool latest_only = true;  // false: every version
};

// How certificates are ordered; each order ends with the agency and the fingerprint, which
// are unique in a view, so that every row has one place in it.
enum class CertificateSort {
  NotAfter,    // soonest expiry first, then agency, common name
  CommonName,  // common name (byte order), then agency
  Agency,      // agency code, then soonest expiry, common name
};

// The fewest characters a certificate search needs for the text index (it holds trigrams,
// schema 11): the store scans for a shorter one, the console refuses it (docs/console-api.md).
inline constexpr size_t kLeastSearchCharacters = 3;

// The characters (Unicode code points) of the UTF-8 `text`.
inline size_t characterCount(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// Which certificates to list (ProvinceViews::certificates).
struct CertificateQuery {
  ViewScope scope;
  // A common name containing it (ASCII letters in any case), or a serial or fingerprint
  // starting with it (hex in any case); empty: any.
  std::string search;
  // Set: only certificates valid at `now` with at most this many calendar days left (Vietnam
  // time, Certificate::daysLeft): what `admin expiring` and the agent's ?expiring=N mean.
  std::optional<int> expiring_within_days;
  // Set: only certificates of this subscriber kind.
  std::optional<SubscriberKind> kind;
  // Set: only certificates in this status at `now` (Certificate::statusAt), "expiring" being
  // fewer than `expiring_days` days left: the [expiry] window the list's rows are judged by.
  std::optional<CertificateStatus> status;
  int expiring_days = 0;
  TimePoint now{};
  CertificateSort sort = CertificateSort::NotAfter;
  PageRequest page;
};

// A staff account of the province's console as the store keeps it (hub/province/staff_service.h
// gives it its meaning): the role by its wire name, the password only as its Argon2id hash.
struct StaffRecord {
  std::string name;
  std::string role;
  std::string password_hash;  // crypto_pwhash_str's text; never a password
  bool disabled = false;
  bool must_change_password = true;
  TimePoint created_at{};
  std::optional<TimePoint> last_login;
  int failed_logins = 0;
  std::optional<TimePoint> locked_until;
  // The staff member's own certificate that logs in to the console (TLS client authentication):
  // lowercase hex SHA-256 of its DER, unique over the roster; empty: none bound.
  std::string certificate_fingerprint;
  std::string certificate_subject;  // RFC 4514, for display only
};

// One line of the audit trail as the store keeps it: `hash` chains it to the line before
// (`prev_hash`, "" for the first).
struct AuditRecord {
  std::int64_t seq = 0;
  TimePoint at{};
  std::string actor;
  std::string action;
  std::string agency_code;
  std::string target;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

// The dashboard's counts (hub/province/dashboard_service.h), each from the store role that holds
// the rows. Agents and agencies: revoked agents do not count.
struct AgencyCoverage {
  std::int64_t agencies = 0;
  std::int64_t with_agent = 0;              // agencies with at least one agent
  std::int64_t stale_agents = 0;            // agents not heard from since the bound (or never)
  std::optional<TimePoint> oldest_contact;  // of the agencies' latest contacts
  std::optional<TimePoint> newest_contact;
};

// Certificates once per agency, as the certificate list shows them.
struct InventoryCounts {
  std::int64_t expiring_30 = 0;  // as CertificateQuery::expiring_within_days 30
  std::int64_t expiring_90 = 0;
  std::int64_t expired_on_token = 0;  // expired, and still on the token the list shows
  std::int64_t locked_tokens = 0;     // physical tokens of an agency with a locked PIN
};

// The open requests of one state with one due date ("" none): the service judges "overdue".
struct OpenRequestCount {
  RequestState state{};
  std::string due_date;
  std::int64_t count = 0;
};

// How many agencies of a year have submitted their report, and how many only have a draft.
struct ReportCounts {
  std::int64_t submitted = 0;
  std::int64_t draft_only = 0;
};

// Which audit lines to list, newest first; an empty filter: any.
struct AuditQuery {
  std::string actor;
  std::string agency_code;
  std::string action;
  PageRequest page;
};

}  // namespace cks::hub
