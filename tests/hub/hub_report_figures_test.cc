// The figures the province's aggregate reads (hub_report_figures, schema 12), on SQLite and on
// PostgreSQL: kept at ingest for every version the hub stores, they give the same aggregate as
// parsing every stored report did; a store of before fills them once when it is upgraded. The
// report status lists every agency's versions from their dates, no body parsed.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/report.h"
#include "core/time_format.h"
#include "hub/province/report_service.h"
#include "hub/store/hub_store.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/report_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"

namespace cks::hub {
namespace {

const TimePoint kNow = *parseIsoUtc("2027-01-20T03:00:00Z");
constexpr int kYear = 2026;

// A report whose every figure differs from its others and from another agency's (`seed`), so
// that a figure kept in the wrong column, or not kept, changes the aggregate.
YearlyReport variedReport(const std::string& agency, const std::string& name, int year, int seed,
                          const std::string& difficulties = "", const std::string& proposals = "") {
  ReportInputs in;
  in.agency_code = agency;
  in.agency_name = name;
  in.year = year;
  in.as_of = kNow - std::chrono::days(seed);
  YearlyReport r = draftReport(in);
  int next = seed * 1000;
  const auto figure = [&] { return ++next; };
  for (const SubscriberKind kind : {SubscriberKind::Individual, SubscriberKind::Organization,
                                    SubscriberKind::Device, SubscriberKind::Unknown}) {
    CertificateCounts& c = r.inventory.certificates.at(kind);
    c = {figure(), figure(), figure(), figure(), figure(), figure()};
  }
  r.inventory.tokens = {figure(), figure(), figure(), figure(), figure()};
  for (int i = 0; i <= seed % 3; ++i)
    r.inventory.tokens_not_seen.push_back("T" + std::to_string(i));
  r.inventory.tokens_lost = figure();
  r.inventory.tokens_damaged = figure();
  for (auto& [kind, activity] : r.activity.by_kind) {
    activity.outcomes = {figure(), figure(), figure(), figure()};
  }
  for (KindCounts& month : r.plan.renewals_by_month) {
    month = {figure(), figure(), figure(), figure()};
  }
  for (int i = 0; i < seed % 4; ++i) {
    r.plan.revocation_candidates.push_back({std::string(64, char('a' + i)), "Nguyễn Văn An",
                                            SubscriberKind::Individual, "T" + std::to_string(i),
                                            in.as_of - std::chrono::days(200)});
  }
  r.officer.expected_new_individual = figure();
  r.officer.expected_new_organization = figure();
  r.officer.expected_new_device = figure();
  r.officer.expected_revocations = figure();
  r.officer.tokens_to_replace = figure();
  r.officer.difficulties = difficulties;
  r.officer.proposals = proposals;
  return r;
}

class HubReportFiguresTest : public test::StoreTest {
 protected:
  std::string enrolled(const std::string& agency, const std::string& name,
                       const std::string& host) {
    return test::enrollAgent(*store_, agency, name, host, kNow - std::chrono::days(400));
  }

  // `report` submitted as `version` by the agent's entry `seq`.
  void submit(const std::string& agent, long seq, const YearlyReport& report, int version,
              const std::string& submitted_at) {
    const std::string body = R"({"version": )" + std::to_string(version) +
                             R"(, "submitted_at": ")" + submitted_at + R"(", "report": )" +
                             sync::stringify(sync::reportJson(report)) + "}";
    const auto outcome = store_->ingest().push(
        agent,
        test::pushBatchOf(test::pushJson(
            {test::entryJson(seq, agent + "-" + std::to_string(seq), "report_submitted", body)})),
        kNow);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->acked, seq) << outcome->message;
  }

  // Five agencies of three types: a department that resubmits, a commune whose second PC
  // submits a version number the first had used (the hub keeps it as version 2), another body,
  // a commune that reported only the year before and one that never reports.
  void reportsOfAProvince() {
    const std::string finance = enrolled("H55.12", "Sở Tài chính", "PC-TC");
    const std::string commune = enrolled("H55.30.05", "UBND xã Bình Chương", "PC-BC-1");
    const std::string second_pc = enrolled("H55.30.05", "UBND xã Bình Chương", "PC-BC-2");
    const std::string hospital = enrolled("H55.40", "Trung tâm Y tế", "PC-YT");
    const std::string late = enrolled("H55.30.06", "UBND xã Bình Hải", "PC-BH");
    (void)enrolled("H55.30.07", "UBND xã Bình Minh", "PC-BM");
    submit(finance, 1, variedReport("H55.12", "Sở Tài chính", kYear, 1), 1, "2027-01-05T03:00:00Z");
    submit(finance, 2,
           variedReport("H55.12", "Sở Tài chính", kYear, 2, "Thiếu token dự phòng",
                        "Cấp thêm chứng thư cho bộ phận một cửa"),
           2, "2027-01-08T03:00:00Z");
    submit(commune, 1, variedReport("H55.30.05", "UBND xã Bình Chương", kYear, 3), 1,
           "2027-01-06T03:00:00Z");
    submit(second_pc, 1,
           variedReport("H55.30.05", "UBND xã Bình Chương", kYear, 4, "", "Tập huấn ký số"), 1,
           "2027-01-07T03:00:00Z");
    submit(hospital, 1, variedReport("H55.40", "Trung tâm Y tế", kYear, 5, "Máy trạm cũ"), 1,
           "2027-01-09T03:00:00Z");
    submit(late, 1, variedReport("H55.30.06", "UBND xã Bình Hải", kYear - 1, 6), 1,
           "2026-01-09T03:00:00Z");
  }

  // The aggregate of `year` from the kept figures (what the hub runs), as its JSON.
  std::string fromFigures(HubStore& store, int year) {
    const auto agencies = store.registry().agencies();
    const auto latest = store.reportArchive().reportFigures({year, "", true});
    EXPECT_TRUE(agencies && latest) << (latest ? "" : latest.error().message);
    if (!agencies || !latest) return "";
    return sync::stringify(
        sync::provinceReportJson(aggregateProvince(year, *agencies, *latest, kNow)));
  }

  // The same aggregate as it was made before schema 12: every stored body parsed.
  std::string fromBodies(HubStore& store, int year) {
    const auto agencies = store.registry().agencies();
    const auto latest = store.reportArchive().reports({year, "", true});
    EXPECT_TRUE(agencies && latest);
    if (!agencies || !latest) return "";
    std::vector<ExpectedAgency> expected;
    for (const auto& agency : *agencies) {
      expected.push_back({agency.code, agency.name, agency.type.value_or(AgencyType::Other)});
    }
    std::vector<SubmittedReport> submitted;
    for (const auto& stored : *latest) {
      submitted.push_back({stored.report, stored.version, stored.submitted_at});
    }
    return sync::stringify(
        sync::provinceReportJson(aggregateReports(year, expected, submitted, kNow)));
  }

  // Every version's kept figures are those of its parsed body.
  void expectFiguresOfEveryVersion(HubStore& store, int year) {
    const auto reports = store.reportArchive().reports({year, "", false});
    const auto figures = store.reportArchive().reportFigures({year, "", false});
    ASSERT_TRUE(reports && figures);
    ASSERT_EQ(figures->size(), reports->size());
    for (size_t i = 0; i < reports->size(); ++i) {
      const StoredReport& stored = (*reports)[i];
      EXPECT_EQ((*figures)[i].figures, figuresOf(stored.report)) << stored.agency_code;
      EXPECT_EQ((*figures)[i].version, stored.version) << stored.agency_code;
      EXPECT_EQ((*figures)[i].submitted_at, stored.submitted_at) << stored.agency_code;
    }
  }

  // The store's file or database opened without the hub (no migration run: every one is
  // applied already, or undone by the test on purpose), to read or damage its tables.
  Result<std::unique_ptr<ConnectionPool>> rawPool() {
    const bool sqlite = GetParam() == test::StoreBackend::Sqlite;
    const auto& all = sqlite ? sqliteMigrations() : postgresMigrations();
    return sqlite ? openSqlitePool(url_, all) : openPostgresPool(url_, all);
  }

  // How many reports have figures kept, read from the table itself (reportFigures would parse
  // the body of one without).
  std::int64_t keptRows() {
    auto pool = rawPool();
    CKS_CHECK(pool.has_value());
    auto lease = (*pool)->acquire();
    CKS_CHECK(lease.has_value());
    std::int64_t rows = -1;
    CKS_CHECK((*lease)
                  ->run("SELECT count(*) FROM hub_report_figures", {},
                        [&](const SqlRow& row) { rows = row.integer(0); })
                  .has_value());
    return rows;
  }
};

TEST_P(HubReportFiguresTest, TheAggregateOfTheKeptFiguresIsThatOfTheParsedReports) {
  reportsOfAProvince();
  const std::string aggregate = fromFigures(*store_, kYear);
  EXPECT_EQ(aggregate, fromBodies(*store_, kYear));
  EXPECT_EQ(fromFigures(*store_, kYear - 1), fromBodies(*store_, kYear - 1));
  expectFiguresOfEveryVersion(*store_, kYear);
  // Not trivially equal: three agencies reported, the resubmitted and renumbered versions count.
  const auto latest = *store_->reportArchive().reportFigures({kYear, "", true});
  ASSERT_EQ(latest.size(), 3u);
  EXPECT_EQ(latest[0].figures.agency_code, "H55.12");
  EXPECT_EQ(latest[0].version, 2);
  EXPECT_EQ(latest[0].figures.difficulties, "Thiếu token dự phòng");
  EXPECT_EQ(latest[1].figures.agency_code, "H55.30.05");
  EXPECT_EQ(latest[1].version, 2);
  EXPECT_EQ(latest[1].figures.proposals, "Tập huấn ký số");
  EXPECT_NE(aggregate.find("\"agencies_reported\":3"), std::string::npos) << aggregate;
  store_.reset();
  EXPECT_EQ(keptRows(), 6);
}

TEST_P(HubReportFiguresTest, AStoreOfBeforeKeepsTheFiguresOfItsReportsWhenUpgraded) {
  reportsOfAProvince();
  const std::string before = fromBodies(*store_, kYear);
  store_.reset();
  {
    // Back to the schema before the figures; the department's first version damaged, as a
    // disk might leave it.
    auto pool = rawPool();
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    test::undoMigrationsAfter(**lease, GetParam(), 11);
    ASSERT_TRUE((*lease)->run(
        "UPDATE hub_reports SET body = '{' WHERE agency_code = 'H55.12' AND version = 1"));
  }
  auto upgraded = test::openStoreAt(url_);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  store_ = std::move(*upgraded);
  EXPECT_EQ(fromFigures(*store_, kYear), before);
  EXPECT_EQ(fromFigures(*store_, kYear - 1), fromBodies(*store_, kYear - 1));
  // The damaged version has no figures; reading it names it, as reading its body did.
  const auto every = store_->reportArchive().reportFigures({kYear, "", false});
  ASSERT_FALSE(every);
  EXPECT_NE(every.error().message.find("report H55.12 version 1"), std::string::npos)
      << every.error().message;
  store_.reset();
  EXPECT_EQ(keptRows(), 5);
  // Filled once: opening it again changes nothing.
  upgraded = test::openStoreAt(url_);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  store_ = std::move(*upgraded);
  EXPECT_EQ(fromFigures(*store_, kYear), before);
  store_.reset();
  EXPECT_EQ(keptRows(), 5);
}

TEST_P(HubReportFiguresTest, TheStatusListsEveryAgencyFromItsVersionsDatesAndOneDamagedBodyOnly) {
  reportsOfAProvince();
  {
    // The department's latest version damaged, as a disk might leave it.
    auto pool = rawPool();
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->run(
        "UPDATE hub_reports SET body = '{' WHERE agency_code = 'H55.12' AND version = 2"));
  }
  const FixedClock clock(kNow);
  const ReportService reports(provinceContext(*store_, clock, Language::English));
  // The province's list does not read the bodies: the damaged one is listed with the others.
  auto status = reports.status(kYear);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(status->agencies.size(), 5u);
  EXPECT_EQ(status->submitted, 3);
  const auto line = [&](const std::string& code) -> const AgencyReportStatus& {
    const auto found =
        std::find_if(status->agencies.begin(), status->agencies.end(),
                     [&](const AgencyReportStatus& l) { return l.agency.code == code; });
    CKS_CHECK(found != status->agencies.end());
    return *found;
  };
  const AgencyReportStatus& finance = line("H55.12");
  ASSERT_TRUE(finance.latest);
  EXPECT_EQ(finance.state, ReportState::Submitted);
  EXPECT_EQ(finance.latest->version, 2);
  EXPECT_EQ(finance.versions, 2);
  EXPECT_EQ(finance.latest->as_of, kNow - std::chrono::days(2));
  EXPECT_EQ(finance.latest->submitted_at, *parseIsoUtc("2027-01-08T03:00:00Z"));
  EXPECT_EQ(finance.staleness_days, 2);
  const AgencyReportStatus& commune = line("H55.30.05");
  ASSERT_TRUE(commune.latest);
  EXPECT_EQ(commune.latest->version, 2);
  EXPECT_EQ(commune.latest->as_of, kNow - std::chrono::days(4));
  EXPECT_EQ(line("H55.40").latest->version, 1);
  EXPECT_EQ(line("H55.30.06").state, ReportState::Missing);  // reported the year before only
  EXPECT_EQ(line("H55.30.07").state, ReportState::Missing);
  // One report in full: the damaged one says which it is, another reads as it was sent.
  const auto damaged = reports.report(kYear, "H55.12");
  ASSERT_FALSE(damaged);
  EXPECT_NE(damaged.error().message.find("report H55.12 version 2"), std::string::npos)
      << damaged.error().message;
  const auto hospital = reports.report(kYear, "H55.40");
  ASSERT_TRUE(hospital) << hospital.error().message;
  ASSERT_TRUE(*hospital);
  EXPECT_EQ((*hospital)->report.officer.difficulties, "Máy trạm cũ");
  const auto none = reports.report(kYear, "H55.30.07");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubReportFiguresTest, test::kStoreBackends,
                         test::storeBackendName);

}  // namespace
}  // namespace cks::hub
