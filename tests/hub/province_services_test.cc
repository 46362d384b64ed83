// The province services (hub/province/): typed arguments in, typed views out, on a real SQLite
// hub store. Each domain rule the admin commands and the console share is checked here once: a
// rejection needs a reason, a snooze that has run out is open again, the sighting of an expiring
// certificate shown, the report state, and national totals summed from the typed aggregates.
#include <gtest/gtest.h>

#include "core/alert.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/inventory_change.h"
#include "hub/province/agency_service.h"
#include "hub/province/alert_service.h"
#include "hub/province/enrolment_service.h"
#include "hub/province/inventory_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/view_json.h"
#include "sync/protocol/codec.h"
#include "sync/protocol/inventory_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;
using test::entryJson;
using test::pushJson;

const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");
const std::string kCommune = "H21.09";
const std::string kCommuneName = "UBND xã Bình Chương";

class ProvinceServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openSqliteHubStore(dir_.file("hub.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  ProvinceContext context() { return provinceContext(*store_, clock_, Language::English); }

  // An agency with one enrolled agent on PC `host`; returns the agent id.
  std::string enrolled(const std::string& agency, const std::string& name,
                       const std::string& host) {
    return test::enrollAgent(*store_, agency, name, host, kNow);
  }

  void push(const std::string& agent, const std::string& json) {
    const PushBatch batch = test::pushBatchOf(json);
    auto outcome = store_->ingest().push(agent, batch, kNow);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->kind, PushOutcome::Kind::Acked) << outcome->message;
  }

  test::TempDir dir_;
  FixedClock clock_{kNow};
  std::unique_ptr<HubStore> store_;
};

TEST(AlertStateTest, ASnoozeThatHasRunOutIsOpenAgain) {
  EXPECT_EQ(alertStateAt(AlertState::Snoozed, kNow + 1h, kNow), AlertState::Snoozed);
  EXPECT_EQ(alertStateAt(AlertState::Snoozed, kNow, kNow), AlertState::Open);
  EXPECT_EQ(alertStateAt(AlertState::Snoozed, std::nullopt, kNow), AlertState::Snoozed);
  EXPECT_EQ(alertStateAt(AlertState::Acknowledged, kNow - 1h, kNow), AlertState::Acknowledged);
}

TEST_F(ProvinceServicesTest, AnAgencyIsNamedByAWellFormedCodeTheHubKnows) {
  enrolled(kCommune, kCommuneName, "PC-1");
  const AgencyService agencies(context());
  auto known = agencies.known(kCommune);
  ASSERT_TRUE(known) << known.error().message;
  EXPECT_EQ(known->name, kCommuneName);
  EXPECT_EQ(agencies.known("not a code").error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(agencies.known("H21.99").error().code, ErrorCode::NotFound);
  auto none = agencies.knownIfGiven(std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(ProvinceServicesTest, ACodeIsIssuedListedAndWithdrawnOnce) {
  const EnrolmentService enrolment(context());
  // A new agency needs a name; a name that differs from the directory's needs --rename.
  EXPECT_EQ(enrolment.issueCode({.agency_code = kCommune}).error().code,
            ErrorCode::InvalidArgument);
  auto issued = enrolment.issueCode({.agency_code = kCommune, .name = kCommuneName});
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_TRUE(issued->type_unknown);
  EXPECT_EQ(issued->expires_at, kNow + kDefaultCodeTtl);
  EXPECT_EQ(
      enrolment.issueCode({.agency_code = kCommune, .name = "UBND xa Binh Chuong"}).error().code,
      ErrorCode::InvalidArgument);
  EXPECT_FALSE(EnrolmentService::validTtl(kLongestCodeTtl + 1s));
  EXPECT_TRUE(EnrolmentService::validTtl(1s));

  auto codes = enrolment.codes();
  ASSERT_TRUE(codes);
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->front().state, "active");
  EXPECT_EQ(codeJson(codes->front())->getValue<std::string>("state"), "active");

  auto revoked = enrolment.revokeCode(" " + codes->front().id + " ");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_FALSE(revoked->already_revoked);
  auto again = enrolment.revokeCode(issued->code);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->already_revoked);
  EXPECT_EQ(enrolment.revokeCode("ffffffffffff").error().code, ErrorCode::NotFound);
  EXPECT_EQ((*enrolment.codes()).front().state, "revoked");
  EXPECT_EQ(enrolment.revokeAgent("no-such-agent").error().code, ErrorCode::NotFound);
}

TEST_F(ProvinceServicesTest, ASnoozedAlertWhoseDayHasPassedIsListedOpen) {
  const std::string agent = enrolled(kCommune, kCommuneName, "PC-1");
  test::AlertSpec spec{.uuid = "a-1",
                       .kind = "token_pin_locked",
                       .severity = "critical",
                       .state = "snoozed",
                       .token_serial = "T1",
                       .snoozed_until = "2026-11-23T00:00:00Z",
                       .params = {{"token", "T1"}}};
  push(agent, pushJson({entryJson(1, "e1", "alert_changed", test::alertBody(spec))}));
  const AlertService alerts(context());
  auto before = alerts.list(kCommune, false);
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(before->alerts.size(), 1u);
  EXPECT_EQ(before->alerts[0].state, AlertState::Snoozed);
  EXPECT_EQ(before->alerts[0].host, "PC-1");

  clock_.advance(std::chrono::days(2));
  auto after = alerts.list(std::nullopt, false);
  ASSERT_TRUE(after) << after.error().message;
  ASSERT_EQ(after->alerts.size(), 1u);
  EXPECT_EQ(after->alerts[0].state, AlertState::Open);
  const auto json = alertJson(after->alerts[0], Language::English, after->at);
  EXPECT_EQ(json->getValue<std::string>("state"), "open");
  EXPECT_TRUE(json->isNull("snoozed_until"));
}

TEST_F(ProvinceServicesTest, ARejectionNeedsAReasonAndAnUnknownRequestIsNotFound) {
  const RequestService requests(context());
  auto blank = requests.move({"0123456789abcdef", RequestState::Rejected, "admin", " \t", ""});
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().code, ErrorCode::InvalidArgument);
  auto unknown = requests.move({"0123456789abcdef", RequestState::Rejected, "admin", "why", ""});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  auto none = requests.list(std::nullopt, std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->requests.empty());
}

TEST_F(ProvinceServicesTest, AnExpiringCertificateIsShownOncePerAgencyFromThePcItIsPluggedInto) {
  const std::string first = enrolled(kCommune, kCommuneName, "PC-1");
  const std::string second = enrolled(kCommune, kCommuneName, "PC-2");
  test::TestCa ca;
  const auto der =
      ca.issue(test::individualSpec("Nguyễn Văn An", kNow - 24h * 300, kNow + 24h * 20));
  // Both PCs saw the token; it was taken out of the first.
  push(first,
       pushJson({entryJson(1, "e1", "token_inserted", test::tokenBody("T1")),
                 entryJson(2, "e2", "certificate_appeared", test::certificateBody("T1", der)),
                 entryJson(3, "e3", "token_removed", test::tokenBody("T1"))}));
  push(second,
       pushJson({entryJson(1, "f1", "token_inserted", test::tokenBody("T1")),
                 entryJson(2, "f2", "certificate_appeared", test::certificateBody("T1", der))}));
  const InventoryService inventory(context());
  auto within = inventory.expiring(30, std::nullopt);
  ASSERT_TRUE(within) << within.error().message;
  ASSERT_EQ(within->certificates.size(), 1u);
  EXPECT_EQ(within->certificates[0].host, "PC-2");
  EXPECT_TRUE(within->certificates[0].certificate.present);
  EXPECT_EQ(expiringJson(within->certificates[0], kNow)->getValue<int>("days_left"), 20);
  auto later = inventory.expiring(10, kCommune);
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_TRUE(later->certificates.empty());
  EXPECT_EQ(inventory.expiring(kMostExpiringDays + 1, std::nullopt).error().code,
            ErrorCode::InvalidArgument);
  EXPECT_EQ(inventory.certificates("H21.99").error().code, ErrorCode::NotFound);
}

TEST_F(ProvinceServicesTest, AnAgencyWithoutAReportIsMissingAndADraftIsADraft) {
  enrolled(kCommune, kCommuneName, "PC-1");
  const std::string drafting = enrolled("H21.10", "UBND xã Bình Hải", "PC-2");
  push(drafting, pushJson({entryJson(1, "d1", "report_draft_saved",
                                     R"({"year": 2026, "saved_at": "2026-11-20T03:00:00Z"})")}));
  const ReportService reports(context());
  EXPECT_EQ(reports.checkYear(1999).error().code, ErrorCode::InvalidArgument);
  auto status = reports.status(2026);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(status->agencies.size(), 2u);
  EXPECT_EQ(status->agencies[0].state, ReportState::Missing);
  EXPECT_EQ(status->agencies[1].state, ReportState::Draft);
  EXPECT_EQ(status->agencies[1].draft_saved_at, *parseIsoUtc("2026-11-20T03:00:00Z"));
  EXPECT_EQ(status->submitted, 0);
  EXPECT_EQ(reportStatusJson(status->agencies[1], 2026)->getValue<std::string>("state"), "draft");
}

TEST_F(ProvinceServicesTest, NationalTotalsAreSummedFromTheProvincesTypedAggregates) {
  const std::string quang_ngai = enrolled("H55", "Sở KH&CN tỉnh Quảng Ngãi", "HUB-55");
  const std::string binh_dinh = enrolled("H56", "Sở KH&CN tỉnh Bình Định", "HUB-56");
  auto upward = [](const std::string& province, int valid, int locked) {
    return R"({"version": 1, "submitted_at": "2027-01-20T02:00:00Z", "province": ")" + province +
           R"(", "report": {"year": 2026, "generated_at": "2027-01-20T01:00:00Z",
           "agencies_expected": 2, "agencies_reported": 1, "missing": [")" +
           province + R"(.1"], "totals": {"certificates_valid": )" + std::to_string(valid) +
           R"(, "certificates_expired": 1, "tokens": 4, "tokens_locked": )" +
           std::to_string(locked) + R"(, "renewals_due_next_year": 2}, "by_agency": []}})";
  };
  push(quang_ngai,
       pushJson({entryJson(1, "q1", "province_report_submitted", upward("H55", 30, 1))}));
  push(binh_dinh,
       pushJson({entryJson(1, "b1", "province_report_submitted", upward("H56", 12, 2))}));
  auto national = ReportService(context()).national(2026);
  ASSERT_TRUE(national) << national.error().message;
  ASSERT_EQ(national->provinces.size(), 2u);
  EXPECT_EQ(national->totals.certificates_valid, 42);
  EXPECT_EQ(national->totals.certificates_expired, 2);
  EXPECT_EQ(national->totals.tokens, 8);
  EXPECT_EQ(national->totals.tokens_locked, 3);
  EXPECT_EQ(national->totals.renewals_due_next_year, 4);
  EXPECT_EQ(national->provinces[0].aggregate.missing, std::vector<std::string>{"H55.1"});
  EXPECT_EQ(sync::stringify(nationalJson(*national)->getObject("totals")),
            R"({"certificates_valid":42,"certificates_expired":2,"tokens":8,"tokens_locked":3,)"
            R"("renewals_due_next_year":4})");
}

}  // namespace
}  // namespace cks::hub
