// The agency's yearly reports as the agent keeps them (docs/report.md, "Agent side"): the
// officer's figures for each year, and every version of a report the officer submitted, each
// written in the same transaction as the `report_submitted` outbox entry that carries it to the
// province (a version is never stored without being sent nor sent without being stored). A
// resubmission is the next version; earlier ones are kept. Thread-safe through the Inventory's
// lock (reports live in the same file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/report.h"
#include "core/result.h"

namespace cks::store {

class Inventory;

// One submitted version of a year's report.
struct ReportVersion {
  int year = 0;
  int version = 0;  // 1 for the first submission of the year, one more for each resubmission
  TimePoint submitted_at{};
  TimePoint as_of{};
  std::string report_json;  // the report as it was sent (sync::reportJson)
};

// The schema (appended to the store's migrations).
[[nodiscard]] std::string_view reportsMigration();

// The officer's figures as JSON text, keyed by the field names of reportFieldNames()
// ("expected_new.individual": 3, "remarks.proposals": "…"), and back; fields missing from the
// text keep their default.
[[nodiscard]] std::string officerEntriesJson(const OfficerEntries& entries);
[[nodiscard]] Result<OfficerEntries> parseOfficerEntries(const std::string& json);

class Reports {
 public:
  explicit Reports(Inventory& inventory) : inventory_(inventory) {}

  // The officer's figures for `year` (all zero and empty until saved).
  [[nodiscard]] Result<OfficerEntries> entries(int year);
  // Replaces the officer's figures for `year` and, in the same transaction, queues a
  // `report_draft_saved` outbox entry (lane normal, body {"year": Y, "saved_at": ISO 8601}):
  // the province sees that the agency is working on its report before it is submitted.
  [[nodiscard]] Status saveEntries(int year, const OfficerEntries& entries, TimePoint now);

  // Freezes `report` as the next version of its year and queues its `report_submitted` outbox
  // entry (lane normal), body {"version": N, "submitted_at": ISO 8601, "report": <report_json>},
  // in one transaction. `report_json` is the report's JSON object as text (sync::reportJson;
  // the store does not know the wire format). Returns the version stored.
  [[nodiscard]] Result<ReportVersion> submit(const YearlyReport& report,
                                             const std::string& report_json, TimePoint now);

  // Every version submitted for `year`, oldest first.
  [[nodiscard]] Result<std::vector<ReportVersion>> versions(int year);

  // When the agent began to watch this agency: its first recorded scan (nullopt before it).
  // A report that fell due before then is not the agent's to remind of.
  [[nodiscard]] Result<std::optional<TimePoint>> watchingSince();

  // The agency's first record: the earliest scan, token or certificate sighting, or request
  // (nullopt in an empty store). Reports are accepted from its year on (docs/report.md).
  [[nodiscard]] Result<std::optional<TimePoint>> firstRecord();

  // Every request with the instant it finished (completed, rejected or cancelled: the instant of
  // that step in its history), as draftReport needs them.
  [[nodiscard]] Result<std::vector<ReportRequest>> requests();

 private:
  Inventory& inventory_;
};

}  // namespace cks::store
