// The province's dashboard on SQLite and on PostgreSQL, at a FixedClock: each figure equals the
// truth the test builds (agencies, agents and their contacts, certificates once per agency,
// locked tokens, open and overdue requests as the request list judges them, the year's reports
// as the report status lists them), a revoked agent no longer counts, and GET /api/v1/dashboard
// renders it with each figure's list link and refuses a bad ?stale_days.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "hub/console/console_api.h"
#include "hub/console/session_table.h"
#include "hub/enroll_code.h"
#include "hub/province/dashboard_service.h"
#include "hub/province/report_service.h"
#include "hub/province/request_service.h"
#include "hub/province/staff_service.h"
#include "hub/request_change.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;
using test::certificateBody;
using test::entryJson;
using test::pushJson;
using test::tokenBody;

// 12:00 on 22/11/2026 in Vietnam.
const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");

class DashboardTest : public test::StoreTest {
 protected:
  std::string enrolled(const std::string& agency) {
    return test::enrollAgent(*store_, agency, "UBND " + agency, "PC-" + agency, kNow - 24h * 60);
  }

  // Pushes `entries` as the agent's next ones, received at `at` (its last contact).
  void push(const std::string& agent, const std::vector<std::string>& entries, TimePoint at) {
    PushBatch batch = test::pushBatchOf(pushJson(entries));
    // A filed request received as the sync API receives it.
    const RequestSettings settings;
    for (auto& entry : batch.entries) {
      if (entry.request_filed) {
        entry.request_filed->receipt =
            receiveRequest(entry.request_filed->request, settings, settings.calendar(), at);
      }
    }
    auto outcome = store_->ingest().push(agent, batch, at);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->kind, PushOutcome::Kind::Acked) << outcome->message;
  }

  std::vector<std::uint8_t> issued(const std::string& name, TimePoint not_before,
                                   TimePoint not_after) {
    auto spec = test::individualSpec(name, not_before, not_after);
    spec.serial_hex = "6B" + std::to_string(100 + ++serials_);
    return ca_.issue(spec);
  }

  std::string filedBody(const std::string& id) {
    return R"({"request": {"id": ")" + id +
           R"(", "kind": "renewal", "state": "submitted", "form": "04", "fingerprint_sha256": ")" +
           std::string(64, 'a') +
           R"(", "fields": {}, "handled_by": "provider", "created_at": "2026-03-05T02:00:00Z", )"
           R"("supersedes": []}})";
  }

  Dashboard dashboard(int stale_days, std::optional<int> year = std::nullopt) {
    auto got = DashboardService(provinceContext(*store_, clock_, Language::English))
                   .dashboard(stale_days, year);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : Dashboard{};
  }

  // Four agencies: H21.09 with two PCs (one heard from now, one 10 days ago), H21.10 whose only
  // PC is revoked, H21.11 without any, H21.12 with one PC heard from 3 days ago.
  void province() {
    a1_ = enrolled("H21.09");
    a2_ = enrolled("H21.09");
    b1_ = enrolled("H21.10");
    ASSERT_TRUE(store_->registry().saveAgency({"H21.11", "UBND H21.11", std::nullopt, ""}, kNow));
    c1_ = enrolled("H21.12");
    const auto soon = issued("Sắp hết hạn", kNow - 24h * 300, kNow + 24h * 20);
    const auto later = issued("Còn hai tháng", kNow - 24h * 300, kNow + 24h * 60);
    const auto expired = issued("Đã hết hạn", kNow - 24h * 400, kNow - 24h * 5);
    const auto taken_off = issued("Đã gỡ", kNow - 24h * 400, kNow - 24h * 8);
    const auto far = issued("Còn lâu", kNow - 24h * 10, kNow + 24h * 100);
    const auto revoked_pc = issued("Máy đã thu hồi", kNow - 24h * 10, kNow + 24h * 10);
    const std::string at = formatIsoUtc(kNow - 1h);
    // H21.09: both PCs see `soon` (once in the agency's view); T1 holds the expired one.
    push(a1_,
         {entryJson(1, newUuid(), "token_inserted", tokenBody("T1"), at),
          entryJson(2, newUuid(), "certificate_appeared", certificateBody("T1", soon), at),
          entryJson(3, newUuid(), "certificate_appeared", certificateBody("T1", later), at),
          entryJson(4, newUuid(), "certificate_appeared", certificateBody("T1", expired), at)},
         kNow);
    push(a2_,
         {entryJson(1, newUuid(), "token_inserted", tokenBody("T2"), at),
          entryJson(2, newUuid(), "certificate_appeared", certificateBody("T2", soon), at),
          entryJson(3, newUuid(), "token_pin_state_changed",
                    R"({"token": {"serial": "T2", "manufacturer": "Viettel-CA", )"
                    R"("pin_state": "locked"}})",
                    at)},
         kNow - 24h * 10);
    // H21.10: its PC saw one and a locked token, then was revoked: neither counts.
    push(b1_,
         {entryJson(1, newUuid(), "token_inserted", tokenBody("T3"), at),
          entryJson(2, newUuid(), "certificate_appeared", certificateBody("T3", revoked_pc), at),
          entryJson(3, newUuid(), "token_pin_state_changed",
                    R"({"token": {"serial": "T3", "manufacturer": "Viettel-CA", )"
                    R"("pin_state": "locked"}})",
                    at)},
         kNow - 24h * 1);
    ASSERT_TRUE(*store_->registry().revokeAgent(b1_));
    // H21.12: an expired certificate taken off its token, one far from expiry, two requests
    // received 30 days ago (overdue unless finished) and one now, and a report draft of 2026.
    push(c1_,
         {entryJson(1, newUuid(), "token_inserted", tokenBody("T4"), at),
          entryJson(2, newUuid(), "certificate_appeared", certificateBody("T4", taken_off), at),
          entryJson(3, newUuid(), "certificate_disappeared", certificateBody("T4", taken_off), at),
          entryJson(4, newUuid(), "certificate_appeared", certificateBody("T4", far), at),
          entryJson(5, newUuid(), "request_filed", filedBody("r-1"), at),
          entryJson(6, newUuid(), "request_filed", filedBody("r-2"), at)},
         kNow - 24h * 30);
    push(c1_,
         {entryJson(7, newUuid(), "request_filed", filedBody("r-3"), at),
          entryJson(8, newUuid(), "report_draft_saved",
                    R"({"year": 2026, "saved_at": "2026-11-20T03:00:00Z"})", at)},
         kNow - 24h * 3);
    // r-2 is finished: no longer open.
    auto moved = RequestService(provinceContext(*store_, clock_, Language::English, "canbo"))
                     .move({"r-2", RequestState::Rejected, "canbo", "thiếu hồ sơ", ""});
    ASSERT_TRUE(moved) << moved.error().message;
  }

  FixedClock clock_{kNow};
  test::TestCa ca_;
  int serials_ = 0;
  std::string a1_, a2_, b1_, c1_;
};

TEST_P(DashboardTest, EachFigureIsTheStoresTruth) {
  province();
  const Dashboard d = dashboard(DashboardService::kDefaultStaleDays);
  EXPECT_EQ(d.year, 2026);
  EXPECT_EQ(d.coverage.agencies, 4);
  EXPECT_EQ(d.coverage.with_agent, 2);               // H21.10's only PC is revoked
  EXPECT_EQ(d.coverage.stale_agents, 1);             // a2, 10 days
  EXPECT_EQ(dashboard(2).coverage.stale_agents, 2);  // and c1, 3 days
  ASSERT_TRUE(d.coverage.oldest_contact && d.coverage.newest_contact);
  EXPECT_EQ(*d.coverage.oldest_contact, kNow - 24h * 3);  // H21.12's latest
  EXPECT_EQ(*d.coverage.newest_contact, kNow);

  // Certificates as the list shows them (once per agency, revoked PCs left out).
  ProvinceContext context = provinceContext(*store_, clock_, Language::English);
  const auto listed = [&](std::optional<int> days) {
    CertificateQuery query;
    query.now = kNow;
    query.expiring_within_days = days;
    auto page = store_->views().certificates(query);
    EXPECT_TRUE(page) << page.error().message;
    return page ? std::int64_t(page->items.size()) : -1;
  };
  EXPECT_EQ(d.inventory.expiring_30, listed(30));
  EXPECT_EQ(d.inventory.expiring_30, 1);
  EXPECT_EQ(d.inventory.expiring_90, listed(90));
  EXPECT_EQ(d.inventory.expiring_90, 2);
  EXPECT_EQ(d.inventory.expired_on_token, 1);  // not the one taken off its token
  EXPECT_EQ(d.inventory.locked_tokens, 1);     // not the revoked PC's

  // Requests as the request list judges them.
  auto requests = RequestService(context).list(std::nullopt, std::nullopt);
  ASSERT_TRUE(requests) << requests.error().message;
  std::int64_t open = 0;
  std::int64_t late = 0;
  for (const auto& line : requests->requests) {
    if (isTerminal(line.held.request.state)) continue;
    ++open;
    if (line.overdue) ++late;
  }
  EXPECT_EQ(d.open_requests, open);
  EXPECT_EQ(d.open_requests, 2);
  EXPECT_EQ(d.overdue_requests, late);
  EXPECT_EQ(d.overdue_requests, 1);
  std::int64_t by_state = 0;
  for (const auto& line : d.requests) {
    EXPECT_FALSE(isTerminal(line.state));
    by_state += line.count;
  }
  EXPECT_EQ(by_state, open);

  // Reports as the report status lists them.
  auto status = ReportService(context).status(2026);
  ASSERT_TRUE(status) << status.error().message;
  std::int64_t drafts = 0;
  std::int64_t missing = 0;
  for (const auto& line : status->agencies) {
    if (line.state == ReportState::Draft) ++drafts;
    if (line.state == ReportState::Missing) ++missing;
  }
  EXPECT_EQ(d.reports.submitted, status->submitted);
  EXPECT_EQ(d.reports.draft_only, drafts);
  EXPECT_EQ(d.reports.draft_only, 1);
  EXPECT_EQ(d.reports_missing, missing);
  EXPECT_EQ(d.reports_missing, 3);
  EXPECT_EQ(dashboard(7, 2025).reports_missing, 4);
}

TEST_P(DashboardTest, TheConsoleRendersEachFigureWithItsListLink) {
  province();
  StaffService staff(provinceContext(*store_, clock_, Language::English, "cli:test"));
  auto issued_account = staff.addUser("lanhdao", StaffRole::Viewer);
  ASSERT_TRUE(issued_account) << issued_account.error().message;
  ASSERT_TRUE(staff.changePassword("lanhdao", issued_account->password, "Mật-khẩu-mới-2026"));
  auto account = staff.user("lanhdao");
  ASSERT_TRUE(account) << account.error().message;
  SessionTable sessions(clock_, 1h, 8h);
  const std::string token = sessions.open(*account);
  const ConsoleApi api(*store_, clock_, sessions, 30);
  const auto get = [&](std::map<std::string, std::string> query) {
    return api.handle({"GET", "/api/v1/dashboard", std::move(query), "", token, ""});
  };
  const auto answer = get({{"stale_days", "2"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  const auto figure = [&](const std::string& group, const std::string& name) {
    return body->getObject(group)->getObject(name);
  };
  EXPECT_EQ(figure("certificates", "expiring_30")->getValue<int>("count"), 1);
  EXPECT_EQ(figure("certificates", "expiring_30")->getValue<std::string>("link"),
            "/api/v1/certificates?days=30");
  EXPECT_EQ(figure("certificates", "expiring_90")->getValue<int>("count"), 2);
  EXPECT_EQ(figure("tokens", "locked")->getValue<int>("count"), 1);
  EXPECT_EQ(figure("tokens", "locked")->getValue<std::string>("link"),
            "/api/v1/tokens?pin_state=locked");
  EXPECT_EQ(figure("certificates", "expired_on_token")->getValue<std::string>("link"),
            "/api/v1/certificates?status=expired");
  EXPECT_EQ(figure("agencies", "without_agent")->getValue<int>("count"), 2);
  EXPECT_EQ(body->getObject("stale_agents")->getValue<int>("count"), 2);
  EXPECT_EQ(body->getObject("stale_agents")->getValue<int>("days"), 2);
  EXPECT_EQ(figure("requests", "overdue")->getValue<int>("count"), 1);
  EXPECT_EQ(figure("requests", "overdue")->getValue<std::string>("link"),
            "/api/v1/requests?overdue=true");
  EXPECT_EQ(body->getObject("requests")
                ->getObject("by_state")
                ->getObject("received")
                ->getValue<std::string>("link"),
            "/api/v1/requests?state=received");
  EXPECT_EQ(body->getObject("reports")->getValue<int>("year"), 2026);
  EXPECT_EQ(figure("reports", "missing")->getValue<std::string>("link"), "/api/v1/reports/2026");
  EXPECT_EQ(body->getObject("as_of")->getValue<std::string>("newest"), formatIsoUtc(kNow));

  for (const char* bad : {"0", "x", "3651"}) {
    const auto refused = get({{"stale_days", bad}});
    EXPECT_EQ(refused.status, 400) << bad << ": " << refused.body;
  }
  EXPECT_EQ(get({{"year", "1999"}}).status, 400);
  EXPECT_EQ(api.handle({"GET", "/api/v1/dashboard", {}, "", "", ""}).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardTest, test::kStoreBackends, test::storeBackendName);

}  // namespace
}  // namespace cks::hub
