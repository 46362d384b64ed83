#include "store/reports.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <sstream>

#include "core/time_format.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "store/requests.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/report_entries.h"

namespace cks::store {
namespace {

TimePoint timeOf(const std::string& text) { return parseIsoUtc(text).value_or(TimePoint{}); }

}  // namespace

std::string_view reportsMigration() {
  return R"sql(
CREATE TABLE report_entries (
  year INTEGER PRIMARY KEY,
  entries TEXT NOT NULL
);
CREATE TABLE report_versions (
  year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  submitted_at TEXT NOT NULL,
  as_of TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (year, version)
);
CREATE TRIGGER report_versions_no_update BEFORE UPDATE ON report_versions
  BEGIN SELECT RAISE(ABORT, 'a submitted report is frozen'); END;
)sql";
}

std::string officerEntriesJson(const OfficerEntries& e) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("expected_new.individual", e.expected_new_individual);
  o.set("expected_new.organization", e.expected_new_organization);
  o.set("expected_new.device", e.expected_new_device);
  o.set("expected_revocations", e.expected_revocations);
  o.set("tokens_to_replace", e.tokens_to_replace);
  o.set("note.expected_new", e.expected_new_note);
  o.set("note.expected_revocations", e.expected_revocations_note);
  o.set("note.tokens_to_replace", e.tokens_to_replace_note);
  o.set("remarks.difficulties", e.difficulties);
  o.set("remarks.proposals", e.proposals);
  return sync::stringify(o);
}

Result<OfficerEntries> parseOfficerEntries(const std::string& json) {
  OfficerEntries entries;
  try {
    const auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    if (!o) return fail("report entries: expected a JSON object");
    // Each value goes through the officer's own rule (setReportField), so what is read back is
    // what `report set` could have stored.
    for (const std::string_view field : reportFieldNames()) {
      const std::string key(field);
      if (!o->has(key) || o->isNull(key)) continue;
      if (auto refused = setReportField(entries, field, o->get(key).toString())) {
        return fail("report entries: ", key, ": ", refused->text(Language::English));
      }
    }
  } catch (const Poco::Exception& e) {
    return fail("report entries: ", e.displayText());
  }
  return entries;
}

Result<OfficerEntries> Reports::entries(int year) {
  auto text = inventory_.withDatabase([&](Database& db) -> Result<std::optional<std::string>> {
    auto stmt = db.prepare("SELECT entries FROM report_entries WHERE year = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, std::int64_t(year));
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->text(0));
  });
  if (!text) return tl::unexpected(text.error());
  if (!*text) return OfficerEntries{};
  return parseOfficerEntries(**text);
}

Status Reports::saveEntries(int year, const OfficerEntries& entries, TimePoint now) {
  const std::string json = officerEntriesJson(entries);
  return inventory_.withDatabase([&](Database& db) -> Status {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto stmt = db.prepare(
        "INSERT INTO report_entries (year, entries) VALUES (?1, ?2) "
        "ON CONFLICT (year) DO UPDATE SET entries = ?2");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, std::int64_t(year)).bind(2, json);
    CKS_TRY(stmt->run());
    CKS_TRY(appendOutbox(db, "normal", "report_draft_saved", now,
                         sync::encodeBody(sync::ReportDraftSaved{year, now})));
    return tx->commit();
  });
}

Result<ReportVersion> Reports::submit(const YearlyReport& report, const std::string& report_json,
                                      TimePoint now) {
  return inventory_.withDatabase([&](Database& db) -> Result<ReportVersion> {
    auto tx = Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto last = db.prepare("SELECT coalesce(max(version), 0) FROM report_versions WHERE year = ?");
    if (!last) return tl::unexpected(last.error());
    last->bind(1, std::int64_t(report.year));
    auto row = last->step();
    if (!row) return tl::unexpected(row.error());
    ReportVersion stored;
    stored.year = report.year;
    stored.version = int(last->integer(0)) + 1;
    stored.submitted_at = now;
    stored.as_of = report.as_of;
    stored.report_json = report_json;
    auto insert = db.prepare(
        "INSERT INTO report_versions (year, version, submitted_at, as_of, body) "
        "VALUES (?,?,?,?,?)");
    if (!insert) return tl::unexpected(insert.error());
    insert->bind(1, std::int64_t(stored.year))
        .bind(2, std::int64_t(stored.version))
        .bind(3, formatIsoUtc(now))
        .bind(4, formatIsoUtc(report.as_of))
        .bind(5, report_json);
    CKS_TRY(insert->run());
    // The report goes as it is (already JSON): the hub reads back exactly what the officer froze.
    sync::ReportSubmitted submitted;
    submitted.version = stored.version;
    submitted.submitted_at = now;
    submitted.report_json = report_json;
    CKS_TRY(appendOutbox(db, "normal", "report_submitted", now, sync::encodeBody(submitted)));
    CKS_TRY(tx->commit());
    return stored;
  });
}

Result<std::vector<ReportVersion>> Reports::versions(int year) {
  return inventory_.withDatabase([&](Database& db) -> Result<std::vector<ReportVersion>> {
    auto stmt = db.prepare(
        "SELECT version, submitted_at, as_of, body FROM report_versions WHERE year = ? "
        "ORDER BY version");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind(1, std::int64_t(year));
    std::vector<ReportVersion> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      out.push_back({year, int(stmt->integer(0)), timeOf(stmt->text(1)), timeOf(stmt->text(2)),
                     stmt->text(3)});
    }
    return out;
  });
}

Result<std::optional<TimePoint>> Reports::watchingSince() {
  return inventory_.withDatabase([&](Database& db) -> Result<std::optional<TimePoint>> {
    auto stmt = db.prepare("SELECT min(at) FROM scans");
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row || stmt->isNull(0)) return std::optional<TimePoint>();
    return parseIsoUtc(stmt->text(0));
  });
}

Result<std::optional<TimePoint>> Reports::firstRecord() {
  return inventory_.withDatabase([&](Database& db) -> Result<std::optional<TimePoint>> {
    // Every instant is stored as ISO 8601 UTC text of one shape: the least text is the earliest.
    auto stmt = db.prepare(
        "SELECT min(at) FROM (SELECT min(at) AS at FROM scans "
        "UNION ALL SELECT min(first_seen) FROM tokens "
        "UNION ALL SELECT min(first_seen) FROM certificates "
        "UNION ALL SELECT min(created_at) FROM requests)");
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row || stmt->isNull(0)) return std::optional<TimePoint>();
    return parseIsoUtc(stmt->text(0));
  });
}

Result<std::vector<ReportRequest>> Reports::requests() {
  // The instant each request entered each finishing state (a request reaches one at most).
  auto finished = inventory_.withDatabase(
      [&](Database& db) -> Result<std::map<std::pair<std::string, std::string>, TimePoint>> {
        auto stmt = db.prepare(
            "SELECT request_id, state, max(at) FROM request_history "
            "WHERE state IN ('completed', 'rejected', 'cancelled') GROUP BY request_id, state");
        if (!stmt) return tl::unexpected(stmt.error());
        std::map<std::pair<std::string, std::string>, TimePoint> out;
        for (;;) {
          auto row = stmt->step();
          if (!row) return tl::unexpected(row.error());
          if (!*row) break;
          out[{stmt->text(0), stmt->text(1)}] = timeOf(stmt->text(2));
        }
        return out;
      });
  if (!finished) return tl::unexpected(finished.error());
  auto stored = Requests(inventory_).list();
  if (!stored) return tl::unexpected(stored.error());
  std::vector<ReportRequest> out;
  out.reserve(stored->size());
  for (auto& s : *stored) {
    ReportRequest r{std::move(s.request), std::nullopt};
    const auto it = finished->find({r.request.id, std::string(toString(r.request.state))});
    if (it != finished->end()) r.finished_at = it->second;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cks::store
