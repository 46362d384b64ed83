// What the hub keeps: agencies, single-use enrolment codes, enrolled agents, every pushed outbox
// entry (exactly once), each agent's feed, and the province's view of every agency's tokens,
// certificates, alerts and requests (with their journal) projected from those entries. HubStore is
// the interface the sync API and the admin commands use. One implementation (hub_store.cc) runs the
// same statements on SQLite (openSqliteHubStore: one connection, one writer at a time) or
// PostgreSQL (openPostgresHubStore: a pool, one connection per concurrent caller). Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
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
#include "hub/hub_config.h"
#include "hub/inventory_change.h"
#include "sync/protocol/messages.h"

namespace cks::hub {

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
};

struct HubCertificate {
  std::string agent_id;
  InventoryCertificate certificate;
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

class HubStore {
 public:
  virtual ~HubStore() = default;

  // Creates the agency or renames it; a rename queues an "agency" feed item for its agents.
  // `agency.type` set: the agency's type from now on; nullopt: kept ("other" for a new agency).
  // The parent is not touched (importAgencies sets it).
  [[nodiscard]] virtual Status saveAgency(const Agency& agency, TimePoint now) = 0;
  [[nodiscard]] virtual Result<std::optional<Agency>> agency(const std::string& code) = 0;
  // Every agency the hub knows, by code: the province's list of who must report.
  [[nodiscard]] virtual Result<std::vector<Agency>> agencies() = 0;
  // Creates or updates every agency of `directory` (name, type and parent as given; each has a
  // type) in one transaction: all or nothing. Renames are told to the agencies' agents as
  // saveAgency does. Agencies not in `directory` are left as they are.
  [[nodiscard]] virtual Result<AgencyImport> importAgencies(const std::vector<Agency>& directory,
                                                            TimePoint now) = 0;

  // Codes are kept by their SHA-256 (`code_hash`), never in clear.
  [[nodiscard]] virtual Status addEnrollCode(const std::string& code_hash,
                                             const std::string& agency_code, TimePoint expires_at,
                                             TimePoint now) = 0;
  [[nodiscard]] virtual Result<std::optional<EnrollCode>> enrollCode(
      const std::string& code_hash) = 0;
  // Every enrolment code, the newest first.
  [[nodiscard]] virtual Result<std::vector<EnrollCodeRecord>> enrollCodes() = 0;
  // Withdraws a code not used yet: it can no longer enrol an agent.
  [[nodiscard]] virtual Result<CodeRevocation> revokeEnrollCode(const std::string& code_hash,
                                                                TimePoint now) = 0;
  // Atomically marks the code used and creates the agent with its first feed item ("agency").
  // False, and nothing changed, when the code is unknown, used, revoked or expired at `now`.
  [[nodiscard]] virtual Result<bool> redeemEnrollCode(const std::string& code_hash, TimePoint now,
                                                      const NewAgent& agent) = 0;

  [[nodiscard]] virtual Result<std::optional<AgentRecord>> agent(const std::string& agent_id) = 0;
  [[nodiscard]] virtual Result<std::vector<AgentRecord>> agents() = 0;
  // A revoked agent's calls are refused from then on. False when there is no such agent.
  [[nodiscard]] virtual Result<bool> revokeAgent(const std::string& agent_id) = 0;

  // Stores `batch` for `agent_id` in one transaction (docs/sync-protocol.md, POST /v1/push):
  // entries at or below the lane's acked are replays (same uuid: ignored; another uuid: a
  // Conflict, nothing stored); new contiguous entries are stored and projected; a first seq past
  // acked + 1 is a Gap. Records the contact, clock offset, version and backlog in every case.
  // An alert entry sets the state of the alert with its uuid in the agent's agency. A
  // request_filed entry (its receipt set by the caller) stores the request as received and queues
  // a request_status feed item, unless the agency already has a request with that id; one whose
  // id another agency holds is Refused. A request_cancelled entry cancels a request not yet
  // received (remembered if it has not arrived yet) and is journalled as cancel_refused after.
  // A report_submitted entry stores that version of the agency's yearly report (every version
  // is kept; a version already stored stays as it is); a report naming another agency is
  // Refused. A province_report_submitted entry (a province hub reporting to a national one) is
  // kept the same way, per province.
  [[nodiscard]] virtual Result<PushOutcome> push(const std::string& agent_id,
                                                 const PushBatch& batch, TimePoint received_at) = 0;
  // Alerts as `filter` says, worst severity first, then the newest raised first.
  [[nodiscard]] virtual Result<std::vector<HubAlert>> alerts(const AlertFilter& filter) = 0;

  // Requests as `filter` says, the soonest due first (those without a due date last).
  [[nodiscard]] virtual Result<std::vector<HubRequest>> requests(const RequestFilter& filter) = 0;
  // Moves a request as `step` says when checkTransition allows it (a rejection needs a reason:
  // hub/province/request_service.h checks), journals who and when, and queues a request_status feed
  // item for the agent that filed it, all in one transaction. Unknown: no request with that id.
  [[nodiscard]] virtual Result<TransitionOutcome> transitionRequest(
      const RequestTransition& step) = 0;

  // The yearly reports `filter` names, by agency code then version.
  [[nodiscard]] virtual Result<std::vector<StoredReport>> reports(const ReportFilter& filter) = 0;
  // The agencies whose officer saved figures of `year`'s report, with the latest save, by code
  // (a draft in progress: report_draft_saved).
  [[nodiscard]] virtual Result<std::vector<std::pair<std::string, TimePoint>>> reportDrafts(
      int year) = 0;
  // At a national hub: the provinces' aggregates of `filter.year` (agency_code: one province),
  // by province code then version.
  [[nodiscard]] virtual Result<std::vector<StoredProvinceReport>> provinceReports(
      const ReportFilter& filter) = 0;

  // Queues one feed item of `kind` with `body` for every agent (revoked ones too: they may come
  // back) of the agencies `agency_codes`, in one transaction; the number of agents it reached.
  // What the province tells agencies outside a request: a merger of units, a deadline.
  [[nodiscard]] virtual Result<int> tellAgencies(const std::vector<std::string>& agency_codes,
                                                 const std::string& kind, const std::string& body,
                                                 TimePoint now) = 0;

  // Number of entries stored for the agent (all lanes).
  [[nodiscard]] virtual Result<std::int64_t> entryCount(const std::string& agent_id) = 0;

  // Feed items with seq > `cursor`, oldest first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<sync::FeedItem>> feedAfter(const std::string& agent_id,
                                                                      std::int64_t cursor,
                                                                      int limit) = 0;

  // The hub's view, as the agent's own store shows it: tokens (present first), and
  // certificates with the token they are on now, else the one they were last seen on.
  // Scoped to one agent: that agent's view, as it pushed it. Otherwise the agency's view: each
  // physical token (serial, manufacturer) and each certificate once per agency, whichever PCs
  // saw it (the sighting where it is plugged in, else the latest; first_seen the earliest), and
  // revoked agents no longer count (a re-enrolled PC is a new agent seeing the same tokens).
  [[nodiscard]] virtual Result<std::vector<HubToken>> tokens(const ViewScope& scope) = 0;
  [[nodiscard]] virtual Result<std::vector<HubCertificate>> certificates(
      const ViewScope& scope) = 0;

  // "ok" or what the database's own check found.
  [[nodiscard]] virtual Result<std::string> integrityCheck() = 0;
};

// Opens (creating if needed) the SQLite hub store at `path` and brings its schema up to date.
[[nodiscard]] Result<std::unique_ptr<HubStore>> openSqliteHubStore(const std::string& path);

// Connects to the PostgreSQL database `url` names (postgresql://user[:password]@host[:port]/db,
// see hub/postgres_url.h) and brings its schema up to date. The database must exist, be UTF8
// and be writable by the user (docs/hub.md). Later calls reconnect by themselves after the
// server was restarted; while it is down they fail (the sync API answers 500 internal).
[[nodiscard]] Result<std::unique_ptr<HubStore>> openPostgresHubStore(const std::string& url);

// Opens the store [store] url names, creating the SQLite file's folder if needed.
[[nodiscard]] Result<std::unique_ptr<HubStore>> openHubStore(const StoreLocation& location);

// Whether a hub has created its store there (the SQLite file, or the schema in the PostgreSQL
// database), creating nothing: admin commands refuse a store that is not there.
[[nodiscard]] Result<bool> hubStoreExists(const StoreLocation& location);

// The province's aggregate of `year` (core's aggregateReports) over `latest`, the latest
// version of each agency's report (reports({year, "", true})), against `agencies`, every agency
// the hub knows, typed as its directory says: what `admin report province` prints and
// `admin report submit` sends upward.
[[nodiscard]] ProvinceReport aggregateProvince(int year, const std::vector<Agency>& agencies,
                                               std::vector<StoredReport> latest, TimePoint now);

}  // namespace cks::hub
