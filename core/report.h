// The yearly report and next-year plan (issue 6, docs/report.md): what an agency tells the
// province each year about its certificates, tokens and requests, "as of" one instant, with the
// figures only its officer knows; and the province's aggregate of the agencies' latest
// submitted reports. Plain values and pure functions of what the caller hands in (no I/O, no
// clock reads), safe to share between threads once built.
//
// Vietnam time: the year of a request and the month a renewal falls due are Vietnam calendar
// days (UTC+7, vietnamDate), because that is the calendar the officer and the province plan
// in. A certificate whose notAfter is 2026-12-31T16:00Z (23:00 on 31/12 in Vietnam) expires in
// 2026 and is not due in 2027; one whose notAfter is 2026-12-31T17:30Z (00:30 on 1/1/2027 in
// Vietnam) is due in January 2027.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/inventory.h"
#include "core/request.h"
#include "core/subscriber_kind.h"
#include "core/working_days.h"

namespace cks {

// The version of the report's shape. A reader refuses a report of a newer schema; a new
// schema is needed when a field changes meaning, not when one is added.
inline constexpr int kReportSchemaVersion = 1;

// A request as the report needs it: the request (its current state) and, once it reached
// completed, rejected or cancelled, when that happened (from the request's history). Without
// `finished_at` a finished request is taken as finished before the report's as-of instant.
struct ReportRequest {
  Request request;
  std::optional<TimePoint> finished_at;
};

// What only a person knows, entered with `cksctl report set --year Y FIELD=VALUE …`
// (setReportField). Counts are 0 until entered.
struct OfficerEntries {
  int expected_new_individual = 0;
  int expected_new_organization = 0;
  int expected_new_device = 0;
  std::string expected_new_note;
  int expected_revocations = 0;
  std::string expected_revocations_note;
  int tokens_to_replace = 0;
  std::string tokens_to_replace_note;
  std::string difficulties;  // "khó khăn, vướng mắc"
  std::string proposals;     // "đề xuất, kiến nghị"
  friend bool operator==(const OfficerEntries&, const OfficerEntries&) = default;
};

// Counts by subscriber kind.
struct KindCounts {
  int individual = 0;
  int organization = 0;
  int device = 0;
  int unknown = 0;

  [[nodiscard]] int& at(SubscriberKind kind);
  [[nodiscard]] int at(SubscriberKind kind) const;
  [[nodiscard]] int total() const { return individual + organization + device + unknown; }
  friend bool operator==(const KindCounts&, const KindCounts&) = default;
};

// Certificates of one subscriber kind by status at the as-of instant. Each certificate is in
// exactly one status; "revoked" (a completed revocation request for its fingerprint) wins over
// what its dates say, because a revoked certificate can no longer sign whatever its expiry.
struct CertificateCounts {
  int valid = 0;     // valid, with at least the expiring window left
  int expiring = 0;  // valid, fewer days left than the window (90 by default)
  int expired = 0;
  int revoked = 0;
  int not_yet_valid = 0;
  int unparseable = 0;

  [[nodiscard]] int total() const {
    return valid + expiring + expired + revoked + not_yet_valid + unparseable;
  }
  friend bool operator==(const CertificateCounts&, const CertificateCounts&) = default;
};

struct CertificatesByKind {
  CertificateCounts individual;
  CertificateCounts organization;
  CertificateCounts device;
  CertificateCounts unknown;

  [[nodiscard]] CertificateCounts& at(SubscriberKind kind);
  [[nodiscard]] const CertificateCounts& at(SubscriberKind kind) const;
  // The four kinds added up.
  [[nodiscard]] CertificateCounts sum() const;
  friend bool operator==(const CertificatesByKind&, const CertificatesByKind&) = default;
};

struct PinStateCounts {
  int ok = 0;
  int count_low = 0;
  int final_try = 0;
  int locked = 0;
  int unknown = 0;

  [[nodiscard]] int& at(PinState state);
  [[nodiscard]] int total() const { return ok + count_low + final_try + locked + unknown; }
  friend bool operator==(const PinStateCounts&, const PinStateCounts&) = default;
};

// The inventory at the as-of instant. Certificates and tokens first seen after it are left
// out, and so are CA certificates (the chain a token may carry is nobody's subscription).
struct ReportInventory {
  CertificatesByKind certificates;
  PinStateCounts tokens;
  // Serials (sorted) of the tokens with no sighting during the year: last seen before it began,
  // or first seen after it ended (a report drafted after the year's end).
  std::vector<std::string> tokens_not_seen;
  // Distinct tokens reported lost or damaged during the year: revocation requests filed in the
  // year with reason device_lost / device_damaged, not rejected or cancelled at the as-of
  // instant. The token is the request's, else the one its certificate was last seen on.
  int tokens_lost = 0;
  int tokens_damaged = 0;
  friend bool operator==(const ReportInventory&, const ReportInventory&) = default;
};

// Requests of one kind filed during the year, by their outcome at the as-of instant. A request
// finished after the as-of instant was still pending then. Drafts were never filed and are not
// counted.
struct RequestOutcomes {
  int completed = 0;
  int rejected = 0;
  int pending = 0;
  int cancelled = 0;

  [[nodiscard]] int total() const { return completed + rejected + pending + cancelled; }
  friend bool operator==(const RequestOutcomes&, const RequestOutcomes&) = default;
};

// Time to complete, in working days: from the working day the province received the request
// (received_at, else created_at, by WorkingDayCalendar::receiptDay) to the Vietnam day it was
// completed, that first day not counted (as deadlines are, Civil Code Art. 147): completed the
// day it was received is 0, the next working day 1. Only completed requests whose completion
// instant is known are measured.
struct CompletionTimes {
  int measured = 0;
  std::optional<double> median_working_days;  // the mean of the middle two for an even count
  std::optional<int> worst_working_days;
  friend bool operator==(const CompletionTimes&, const CompletionTimes&) = default;
};

struct KindActivity {
  RequestOutcomes outcomes;
  CompletionTimes time_to_complete;
  friend bool operator==(const KindActivity&, const KindActivity&) = default;
};

// Requests created during the year (Vietnam time) and not after the as-of instant.
struct ReportActivity {
  std::map<RequestKind, KindActivity> by_kind;  // every kind, even with no request
  CompletionTimes time_to_complete;             // all kinds together
  friend bool operator==(const ReportActivity&, const ReportActivity&) = default;
};

// A certificate proposed for revocation: it sits on a token not seen for `not_seen_days` at the
// as-of instant (DOMAIN.md: "a token not seen for months is the signal").
struct RevocationCandidate {
  std::string fingerprint_sha256;
  std::string common_name;
  SubscriberKind kind = SubscriberKind::Unknown;
  std::string token_serial;
  TimePoint last_seen{};  // the token's, else the certificate's own
  friend bool operator==(const RevocationCandidate&, const RevocationCandidate&) = default;
};

// The computed part of the plan for the next year; the officer's part is OfficerEntries.
struct ReportPlan {
  // Certificates whose notAfter falls in year+1 (Vietnam calendar day), by month: [0] is
  // January. Revoked and unparseable certificates are not renewed and are not counted.
  std::array<KindCounts, 12> renewals_by_month{};
  // Valid (or expiring) certificates, neither revoked nor with a revocation under way, whose
  // token was last seen `not_seen_days` or more before the as-of instant; sorted by token
  // serial, then fingerprint.
  std::vector<RevocationCandidate> revocation_candidates;

  [[nodiscard]] int renewalsDue() const;
  friend bool operator==(const ReportPlan&, const ReportPlan&) = default;
};

// One agency's report for one year.
struct YearlyReport {
  int schema = kReportSchemaVersion;
  std::string agency_code;
  std::string agency_name;
  int year = 0;
  TimePoint as_of{};
  int expiring_within_days = 90;
  int not_seen_days = 180;
  ReportInventory inventory;
  ReportActivity activity;
  ReportPlan plan;
  OfficerEntries officer;
  friend bool operator==(const YearlyReport&, const YearlyReport&) = default;
};

// The headline figures, the same for an agency, a group of agencies and the province (the
// interface contract names the first five). Derived from a report, never stored apart from it.
struct ReportTotals {
  int certificates_valid = 0;  // valid or expiring, not revoked
  int certificates_expiring = 0;
  int certificates_expired = 0;
  int certificates_revoked = 0;
  int tokens = 0;
  int tokens_locked = 0;
  int tokens_not_seen = 0;
  int tokens_lost_or_damaged = 0;
  int requests_filed = 0;
  int requests_completed = 0;
  int requests_pending = 0;
  int renewals_due_next_year = 0;
  int revocation_candidates = 0;
  int expected_new_certificates = 0;
  int expected_revocations = 0;
  int tokens_to_replace = 0;

  ReportTotals& operator+=(const ReportTotals& other);
  friend bool operator==(const ReportTotals&, const ReportTotals&) = default;
};

[[nodiscard]] ReportTotals totalsOf(const YearlyReport& report);

// What draftReport works from; the caller loads it from the store.
struct ReportInputs {
  std::string agency_code;
  std::string agency_name;
  int year = 0;
  TimePoint as_of{};
  std::vector<InventoryCertificate> certificates;
  std::vector<InventoryToken> tokens;
  std::vector<ReportRequest> requests;
  WorkingDayCalendar calendar = WorkingDayCalendar::vietnam();
  int expiring_within_days = 90;
  int not_seen_days = 180;  // the revocation-candidate threshold (AlertPolicy::token_not_seen)
  OfficerEntries officer;
};

// The report computed from `inputs` (see each section for what is counted and how).
[[nodiscard]] YearlyReport draftReport(const ReportInputs& inputs);

// The fields `cksctl report set` accepts, in the order they are listed to the user:
// expected_new.individual, expected_new.organization, expected_new.device, expected_revocations,
// tokens_to_replace, note.expected_new, note.expected_revocations, note.tokens_to_replace,
// remarks.difficulties, remarks.proposals.
[[nodiscard]] std::vector<std::string_view> reportFieldNames();

// Sets one officer field. Counts take a whole number from 0 to 100000 (spaces around it are
// ignored); notes (at most 1000 characters) and remarks (at most 4000) take any UTF-8 text, and
// an empty one clears it. Returns why not, naming the field, the value and what is allowed, and
// leaves `entries` unchanged.
[[nodiscard]] std::optional<Refusal> setReportField(OfficerEntries& entries, std::string_view field,
                                                    std::string_view value);

// Sets one "FIELD=VALUE" argument of `cksctl report set` (split at the first '=').
[[nodiscard]] std::optional<Refusal> applyReportAssignment(OfficerEntries& entries,
                                                           std::string_view assignment);

// The kinds of agency the province's report breaks its figures down by.
enum class AgencyType {
  Department,  // provincial departments, boards and offices (Sở, Ban, Văn phòng …)
  Commune,  // People's Committees of communes, wards and special zones (UBND xã/phường/đặc khu)
  Other,
};

// "department" | "commune" | "other".
[[nodiscard]] std::string_view toString(AgencyType type);
[[nodiscard]] bool parseAgencyType(std::string_view text, AgencyType& out);

// A heuristic for an agency the directory gives no type: a name starting with "UBND" or "Ủy
// ban nhân dân" followed by "xã", "phường" or "đặc khu" is a commune; one starting with "Sở",
// "Ban" or "Văn phòng" a department; anything else other. Case and spacing do not matter
// ("UBND XÃ BÌNH CHƯƠNG" is a commune too); decomposed (NFD) text is not recognised.
[[nodiscard]] AgencyType guessAgencyType(std::string_view agency_name);

// An agency the province expects a report from (its directory).
struct ExpectedAgency {
  std::string code;
  std::string name;
  std::optional<AgencyType> type;  // guessed from the name when the directory has none
};

// A report as the hub keeps it: the latest submitted version of an agency.
struct SubmittedReport {
  YearlyReport report;
  int version = 1;  // 1 for the first submission, one more for each resubmission
  TimePoint submitted_at{};
};

// What the province's aggregate takes of one report: its headline figures, the plan's renewals
// by month, the officer's expected new certificates and remarks; none of its lists. The hub keeps
// them beside every version it stores (docs/store-schema.md, hub_report_figures), so that its
// aggregate parses no report.
struct ReportFigures {
  std::string agency_code;
  std::string agency_name;
  int year = 0;
  TimePoint as_of{};
  ReportTotals totals;
  std::array<KindCounts, 12> renewals_by_month{};  // ReportPlan's: [0] is January of year+1
  KindCounts expected_new;                         // the officer's; `unknown` stays 0
  std::string difficulties;
  std::string proposals;
  friend bool operator==(const ReportFigures&, const ReportFigures&) = default;
};

[[nodiscard]] ReportFigures figuresOf(const YearlyReport& report);

// A report's figures as the hub keeps them: of the latest submitted version of an agency.
struct SubmittedFigures {
  ReportFigures figures;
  int version = 1;
  TimePoint submitted_at{};
};

// One agency's line of the province's report.
struct AgencyReportLine {
  std::string agency_code;
  std::string agency_name;
  AgencyType type = AgencyType::Other;
  bool expected = true;  // false: reported although not in the province's list
  int version = 1;
  TimePoint as_of{};
  TimePoint submitted_at{};
  long staleness_days = 0;  // whole days from as_of to the aggregation instant, at least 0
  ReportTotals totals;
  // The officer's remarks of the counted version ("khó khăn, vướng mắc", "đề xuất, kiến nghị").
  std::string difficulties;
  std::string proposals;
  friend bool operator==(const AgencyReportLine&, const AgencyReportLine&) = default;
};

struct AgencyTypeLine {
  AgencyType type = AgencyType::Other;
  int agencies_expected = 0;
  int agencies_reported = 0;  // expected agencies of this type that reported
  int agencies_unlisted = 0;  // agencies of this type that reported without being expected
  ReportTotals totals;
  friend bool operator==(const AgencyTypeLine&, const AgencyTypeLine&) = default;
};

// The next-year plan of every reporting agency added up.
struct ProvincePlan {
  std::array<KindCounts, 12> renewals_by_month{};  // [0] is January of year+1
  KindCounts expected_new;                         // `unknown` stays 0
  int expected_revocations = 0;
  int tokens_to_replace = 0;
  int revocation_candidates = 0;
  friend bool operator==(const ProvincePlan&, const ProvincePlan&) = default;
};

struct ProvinceReport {
  int schema = kReportSchemaVersion;
  int year = 0;
  TimePoint generated_at{};
  int agencies_expected = 0;
  int agencies_reported = 0;                // expected agencies with a report: expected − missing
  std::vector<ExpectedAgency> missing;      // expected agencies without one, by code (typed)
  std::vector<std::string> unlisted;        // codes that reported without being expected
  ReportTotals totals;                      // every report, expected or not
  std::array<AgencyTypeLine, 3> by_type{};  // department, commune, other
  std::vector<AgencyReportLine> by_agency;  // every report, by code
  ProvincePlan plan;
};

// The province's report for `year` at `now` from the latest submitted report of each agency.
// Reports of another year are ignored; of two reports of one agency the higher version counts.
// Reports from agencies not in `expected` count in every total and are listed in `unlisted`;
// an expected agency listed twice counts once.
[[nodiscard]] ProvinceReport aggregateReports(int year, std::span<const ExpectedAgency> expected,
                                              std::span<const SubmittedReport> submitted,
                                              TimePoint now);

// The same aggregate from each report's figures (figuresOf): aggregateReports is this over the
// reports' figures.
[[nodiscard]] ProvinceReport aggregateFigures(int year, std::span<const ExpectedAgency> expected,
                                              std::span<const SubmittedFigures> submitted,
                                              TimePoint now);

}  // namespace cks
