// The agent's yearly reports on a real store file (docs/report.md, "Agent side"): the officer's
// figures per year, each save with its `report_draft_saved` outbox entry; a submitted version and
// its `report_submitted` outbox entry written together or not at all; a resubmission is the next
// version and both are kept; the requests as the draft needs them, with the instant each finished.
#include "store/reports.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/time_format.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "store/requests.h"
#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

const TimePoint kNow = *parseIsoUtc("2026-12-10T03:00:00Z");

YearlyReport reportOf(int year, TimePoint as_of) {
  YearlyReport report;
  report.agency_code = "G11.07.05";
  report.agency_name = "UBND xã Bình Chương";
  report.year = year;
  report.as_of = as_of;
  return report;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Inventory::open((dir_.path() / "agent.db").string());
    ASSERT_TRUE(opened) << opened.error().message;
    inventory_ = std::move(*opened);
    reports_ = std::make_unique<Reports>(*inventory_);
  }

  std::vector<OutboxRow> reportEntries() {
    auto rows = Outbox(*inventory_).pending("normal", 1000);
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<OutboxRow> out;
    for (const auto& row : *rows) {
      if (row.kind == "report_submitted") out.push_back(row);
    }
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<Reports> reports_;
};

TEST_F(ReportsTest, EntriesAreEmptyUntilSavedAndKeptPerYear) {
  auto none = reports_->entries(2026);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, OfficerEntries{});

  OfficerEntries entries;
  ASSERT_FALSE(applyReportAssignment(entries, "expected_new.individual=4"));
  ASSERT_FALSE(applyReportAssignment(entries, "note.expected_new=Tuyển thêm 4 công chức = 4"));
  ASSERT_FALSE(applyReportAssignment(entries, "remarks.proposals=Cấp thêm token dự phòng"));
  ASSERT_TRUE(reports_->saveEntries(2026, entries, kNow));
  EXPECT_EQ(*reports_->entries(2026), entries);
  EXPECT_EQ(*reports_->entries(2027), OfficerEntries{});

  entries.expected_revocations = 2;
  ASSERT_TRUE(reports_->saveEntries(2026, entries, kNow + std::chrono::hours(1)));
  EXPECT_EQ(reports_->entries(2026)->expected_revocations, 2);
  EXPECT_EQ(reports_->entries(2026)->expected_new_note, "Tuyển thêm 4 công chức = 4");

  // Each save tells the province a draft is in progress; the figures themselves stay here.
  auto rows = Outbox(*inventory_).pending("normal", 1000);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].kind, "report_draft_saved");
  EXPECT_EQ((*rows)[0].body, R"({"year":2026,"saved_at":"2026-12-10T03:00:00Z"})");
  EXPECT_EQ((*rows)[1].body, R"({"year":2026,"saved_at":"2026-12-10T04:00:00Z"})");
}

TEST_F(ReportsTest, SubmittingStoresTheVersionAndQueuesItsEntryWithTheReportInside) {
  const auto as_of = *parseIsoUtc("2026-12-10T02:00:00Z");
  const std::string json = R"({"schema":1,"year":2026,"agency":"G11.07.05"})";
  auto submitted = reports_->submit(reportOf(2026, as_of), json, kNow);
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->version, 1);

  const auto versions = reports_->versions(2026);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().version, 1);
  EXPECT_EQ(versions->front().as_of, as_of);
  EXPECT_EQ(versions->front().submitted_at, kNow);
  EXPECT_EQ(versions->front().report_json, json);

  const auto entries = reportEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].lane, "normal");
  const auto body = Poco::JSON::Parser().parse(entries[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->size(), 3u);
  EXPECT_EQ(body->getValue<int>("version"), 1);
  EXPECT_EQ(body->getValue<std::string>("submitted_at"), "2026-12-10T03:00:00Z");
  EXPECT_EQ(body->getObject("report")->getValue<std::string>("agency"), "G11.07.05");
  EXPECT_EQ(body->getObject("report")->getValue<int>("year"), 2026);
}

TEST_F(ReportsTest, AResubmissionIsTheNextVersionAndBothAreKept) {
  ASSERT_TRUE(reports_->submit(reportOf(2026, kNow), R"({"n":1})", kNow));
  auto second = reports_->submit(reportOf(2026, kNow + std::chrono::hours(24)), R"({"n":2})",
                                 kNow + std::chrono::hours(24));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2);
  // Another year counts from 1 again.
  EXPECT_EQ(reports_->submit(reportOf(2025, kNow), R"({"n":0})", kNow)->version, 1);

  const auto versions = reports_->versions(2026);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].report_json, R"({"n":1})");
  EXPECT_EQ((*versions)[1].report_json, R"({"n":2})");
  const auto entries = reportEntries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_NE(entries[0].body.find(R"("version":1)"), std::string::npos);
  EXPECT_NE(entries[1].body.find(R"("version":2)"), std::string::npos);
  EXPECT_LT(entries[0].seq, entries[1].seq);
}

TEST_F(ReportsTest, AVersionIsNotStoredWhenItsOutboxEntryCannotBe) {
  // The outbox refuses the entry (as a full disk would): the version must roll back with it.
  ASSERT_TRUE(inventory_->withDatabase([](Database& db) {
    return db.exec(
        "CREATE TRIGGER refuse_reports BEFORE INSERT ON outbox WHEN NEW.kind = "
        "'report_submitted' BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
  }));
  EXPECT_FALSE(reports_->submit(reportOf(2026, kNow), R"({"n":1})", kNow));
  EXPECT_TRUE(reports_->versions(2026)->empty());
  EXPECT_TRUE(reportEntries().empty());
}

TEST_F(ReportsTest, RequestsComeWithTheInstantTheyFinished) {
  Requests requests(*inventory_);
  Request renewal;
  renewal.kind = RequestKind::Renewal;
  renewal.fingerprint_sha256 = std::string(64, 'a');
  renewal.handled_by = HandledBy::Province;
  auto filed = requests.file(renewal, kNow);
  ASSERT_TRUE(filed && !filed->refusal);
  Request other = renewal;
  other.fingerprint_sha256 = std::string(64, 'b');
  auto pending = requests.file(other, kNow);
  ASSERT_TRUE(pending && !pending->refusal);
  const auto completed_at = kNow + std::chrono::hours(50);
  RequestStatusUpdate done{filed->filed.request.id,
                           RequestState::Completed,
                           completed_at,
                           "so.khcn",
                           "",
                           "",
                           std::nullopt,
                           std::nullopt};
  ASSERT_EQ(*requests.applyStatus(done, completed_at), StatusOutcome::Applied);

  auto loaded = Reports(*inventory_).requests();
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  for (const auto& r : *loaded) {
    if (r.request.id == filed->filed.request.id) {
      EXPECT_EQ(r.request.state, RequestState::Completed);
      EXPECT_EQ(r.finished_at, completed_at);
    } else {
      EXPECT_EQ(r.request.state, RequestState::Queued);
      EXPECT_FALSE(r.finished_at);
    }
  }
}

}  // namespace
}  // namespace cks::store
