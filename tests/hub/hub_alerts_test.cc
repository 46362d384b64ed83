// Every agency's alerts at the hub, through the real cks-hub over real mutual TLS and its admin
// commands: pushed alert entries are kept per agency and uuid with their latest state, a replay
// changes nothing, one agency cannot touch another's alerts, a bad body is a 400 naming the
// field with nothing stored; `admin alerts` and `admin expiring` print the contract fields,
// filter as asked, and speak Vietnamese unless told otherwise. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "core/alert.h"
#include "core/text_table.h"
#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::test {
namespace {

using namespace std::chrono_literals;

TimePoint now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}
using Poco::JSON::Array;
using Poco::JSON::Object;

const std::string kAgency = "H21.09";
const std::string kAgencyName = "UBND xã Bình Chương";
const std::string kOtherAgency = "H21.10";
const std::string kOtherAgencyName = "UBND xã Bình Hải";
const std::string kFingerprint(64, 'c');

std::vector<std::string> namesOf(const Object::Ptr& object) {
  std::vector<std::string> names;
  object->getNames(names);
  std::sort(names.begin(), names.end());
  return names;
}

// A certificate_expiring alert about kFingerprint held by Nguyễn Văn A of the agency.
AlertSpec expiring(const std::string& uuid, TimePoint not_after) {
  return {.uuid = uuid,
          .kind = "certificate_expiring",
          .severity = "warning",
          .fingerprint = kFingerprint,
          .token_serial = "54030A1B",
          .threshold_days = 30,
          .raised_at = "2026-11-20T01:00:00Z",
          .params = {{"name", "Nguyễn Văn A"},
                     {"agency", kAgencyName},
                     {"not_after", formatIsoUtc(not_after)}}};
}

class HubAlertsTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
  }

  // The reply of a push that must succeed, with its acked.
  long push(const EnrolledAgent& agent, const std::vector<std::string>& entries) {
    const auto reply = hub_.post(agent, "/v1/push", pushJson(entries));
    EXPECT_EQ(reply.status, 200) << reply.body << reply.tls_error;
    return reply.status == 200 ? reply.json()->getValue<long>("acked") : -1;
  }

  Array::Ptr adminJson(const std::vector<std::string>& args) {
    const auto result = hub_.admin(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    Poco::JSON::Parser parser;
    return parser.parse(result.out).extract<Array::Ptr>();
  }

  // The alerts --json element with `id`, or nullptr.
  Object::Ptr alertWithId(const Array::Ptr& alerts, const std::string& id) {
    for (unsigned i = 0; i < alerts->size(); ++i) {
      if (alerts->getObject(i)->getValue<std::string>("id") == id) return alerts->getObject(i);
    }
    return nullptr;
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
};

TEST_P(HubAlertsTest, PushedAlertsAreStoredWithTheContractFieldsAndTheirMessage) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const TimePoint not_after = vietnamNoonIn(30, now());
  const AlertSpec spec = expiring("a-1", not_after);
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "alert_raised", alertBody(spec))}), 1);

  const auto alerts = adminJson({"alerts", "--json"});
  ASSERT_EQ(alerts->size(), 1u);
  const auto alert = alerts->getObject(0);
  EXPECT_EQ(namesOf(alert),
            (std::vector<std::string>{"agency", "agency_name", "agent_id", "changed_at",
                                      "fingerprint_sha256", "id", "kind", "message", "module",
                                      "raised_at", "resolution", "severity", "snoozed_until",
                                      "state", "threshold_days", "token_serial"}));
  EXPECT_EQ(alert->getValue<std::string>("agency"), kAgency);
  EXPECT_EQ(alert->getValue<std::string>("agency_name"), kAgencyName);
  EXPECT_EQ(alert->getValue<std::string>("agent_id"), agent.agent_id);
  EXPECT_EQ(alert->getValue<std::string>("id"), "a-1");
  EXPECT_EQ(alert->getValue<std::string>("kind"), "certificate_expiring");
  EXPECT_EQ(alert->getValue<std::string>("severity"), "warning");
  EXPECT_EQ(alert->getValue<std::string>("fingerprint_sha256"), kFingerprint);
  EXPECT_EQ(alert->getValue<std::string>("token_serial"), "54030A1B");
  EXPECT_TRUE(alert->isNull("module"));
  EXPECT_EQ(alert->getValue<int>("threshold_days"), 30);
  EXPECT_EQ(alert->getValue<std::string>("raised_at"), "2026-11-20T01:00:00Z");
  EXPECT_EQ(alert->getValue<std::string>("changed_at"), "2026-11-20T01:00:00Z");
  EXPECT_EQ(alert->getValue<std::string>("state"), "open");
  EXPECT_TRUE(alert->isNull("resolution"));
  EXPECT_TRUE(alert->isNull("snoozed_until"));
  // The hub says it in the same words as the agent, in Vietnamese by default.
  const AlertText text{AlertKind::CertificateExpiring, 30, spec.params};
  EXPECT_EQ(alert->getValue<std::string>("message"),
            alertMessage(Language::Vietnamese, text, now()));
  EXPECT_NE(alert->getValue<std::string>("message").find("Nguyễn Văn A (UBND xã Bình Chương)"),
            std::string::npos);
  const auto english = runCommand(
      {hubBinary(), "--lang", "en", "--config", hub_.config(), "admin", "alerts", "--json"});
  ASSERT_EQ(english.exit_code, 0) << english.err;
  Poco::JSON::Parser parser;
  EXPECT_EQ(parser.parse(english.out)
                .extract<Array::Ptr>()
                ->getObject(0)
                ->getValue<std::string>("message"),
            alertMessage(Language::English, text, now()));
}

TEST_P(HubAlertsTest, AReplayChangesNothingAndAlertChangedMovesTheState) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const AlertSpec raised = expiring("a-1", *parseIsoUtc("2027-01-01T00:00:00Z"));
  const std::string first = entryJson(1, "e1", "alert_raised", alertBody(raised));
  EXPECT_EQ(push(agent, {first}), 1);
  // The same seq and entry uuid again, even with another body: a replay, ignored.
  AlertSpec tampered = raised;
  tampered.state = "resolved";
  tampered.resolution = "cleared";
  EXPECT_EQ(push(agent, {entryJson(1, "e1", "alert_raised", alertBody(tampered))}), 1);
  EXPECT_EQ(push(agent, {first}), 1);
  auto alerts = adminJson({"alerts", "--all", "--json"});
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("state"), "open");

  AlertSpec acknowledged = raised;
  acknowledged.state = "acknowledged";
  acknowledged.changed_at = "2026-11-21T08:00:00Z";
  EXPECT_EQ(push(agent, {first, entryJson(2, "e2", "alert_changed", alertBody(acknowledged))}), 2);
  alerts = adminJson({"alerts", "--json"});
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("state"), "acknowledged");
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("changed_at"), "2026-11-21T08:00:00Z");
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("raised_at"), "2026-11-20T01:00:00Z");

  // Resolved: gone from the default list, shown with --all and how it resolved.
  AlertSpec resolved = raised;
  resolved.state = "resolved";
  resolved.resolution = "renewed";
  resolved.changed_at = "2026-11-22T08:00:00Z";
  EXPECT_EQ(push(agent, {entryJson(3, "e3", "alert_changed", alertBody(resolved))}), 3);
  EXPECT_EQ(adminJson({"alerts", "--json"})->size(), 0u);
  alerts = adminJson({"alerts", "--all", "--json"});
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("state"), "resolved");
  EXPECT_EQ(alerts->getObject(0)->getValue<std::string>("resolution"), "renewed");
  // Replaying the older entries now changes nothing either.
  EXPECT_EQ(push(agent, {first, entryJson(2, "e2", "alert_changed", alertBody(acknowledged))}), 3);
  EXPECT_EQ(adminJson({"alerts", "--all", "--json"})->getObject(0)->getValue<std::string>("state"),
            "resolved");
}

TEST_P(HubAlertsTest, AnAgencyCannotTouchAnotherAgencysAlerts) {
  const auto mine = hub_.enroll(kAgency, kAgencyName);
  const auto theirs = hub_.enroll(kOtherAgency, kOtherAgencyName);
  const AlertSpec raised = expiring("a-1", *parseIsoUtc("2027-01-01T00:00:00Z"));
  EXPECT_EQ(push(mine, {entryJson(1, "e1", "alert_raised", alertBody(raised))}), 1);
  // The other agency's agent names the same alert uuid and resolves it: that makes an alert of
  // its own agency, never a change to this one.
  AlertSpec resolved = raised;
  resolved.state = "resolved";
  resolved.resolution = "cleared";
  EXPECT_EQ(push(theirs, {entryJson(1, "x1", "alert_changed", alertBody(resolved))}), 1);

  const auto own = adminJson({"alerts", "--agency", kAgency, "--all", "--json"});
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(own->getObject(0)->getValue<std::string>("state"), "open");
  EXPECT_EQ(own->getObject(0)->getValue<std::string>("agent_id"), mine.agent_id);
  const auto other = adminJson({"alerts", "--agency", kOtherAgency, "--all", "--json"});
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ(other->getObject(0)->getValue<std::string>("agency"), kOtherAgency);
  EXPECT_EQ(other->getObject(0)->getValue<std::string>("state"), "resolved");
  EXPECT_EQ(adminJson({"alerts", "--agency", kOtherAgency, "--json"})->size(), 0u);
  EXPECT_EQ(adminJson({"alerts", "--all", "--json"})->size(), 2u);
}

TEST_P(HubAlertsTest, BadAlertBodiesAre400NamingTheFieldAndNothingIsStored) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::string good = entryJson(
      1, "e1", "alert_raised", alertBody(expiring("a-1", *parseIsoUtc("2027-01-01T00:00:00Z"))));
  auto second = [](AlertSpec spec) { return entryJson(2, "e2", "alert_raised", alertBody(spec)); };
  AlertSpec unknown_kind{.uuid = "a-2", .kind = "x"};
  AlertSpec bad_state{.uuid = "a-2", .state = "closed"};
  AlertSpec bad_params{.uuid = "a-2"};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {second(unknown_kind), "entries[1].body.alert.kind: unknown alert kind \"x\""},
      {second(bad_state), "entries[1].body.alert.state: unknown alert state \"closed\""},
      {entryJson(2, "e2", "alert_changed", "{\"token\": {}}"), "entries[1].body.alert: missing"},
      {entryJson(2, "e2", "alert_changed",
                 R"({"alert": {"uuid": "a-2", "kind": "clock_offset", "severity": "warning", )"
                 R"("state": "open", "raised_at": "2026-11-22T04:50:38Z", "changed_at": )"
                 R"("2026-11-22T04:50:38Z", "params": {"offset_seconds": -420}}})"),
       "entries[1].body.alert.params.offset_seconds: expected a string"},
  };
  for (const auto& [entry, field] : cases) {
    const auto reply = hub_.post(agent, "/v1/push", pushJson({good, entry}));
    ASSERT_TRUE(reply.answered) << reply.tls_error;
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.json()->getValue<std::string>("error"), "bad_request");
    EXPECT_NE(reply.json()->getValue<std::string>("message").find(field), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(adminJson({"alerts", "--all", "--json"})->size(), 0u);
  EXPECT_EQ(adminJson({"agents", "--json"})->getObject(0)->getValue<int>("last_seq"), 0);
}

TEST_P(HubAlertsTest, WorstFirstThenNewestAndASnoozeThatEndedIsOpenAgain) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const std::vector<AlertSpec> specs = {
      {.uuid = "info",
       .kind = "certificate_expiring",
       .severity = "info",
       .fingerprint = kFingerprint,
       .threshold_days = 90,
       .raised_at = "2026-11-22T00:00:00Z"},
      {.uuid = "warning-old",
       .kind = "token_not_seen",
       .severity = "warning",
       .token_serial = "T1",
       .threshold_days = 180,
       .raised_at = "2026-11-01T00:00:00Z"},
      {.uuid = "critical",
       .kind = "token_pin_locked",
       .severity = "critical",
       .token_serial = "T2",
       .raised_at = "2026-10-01T00:00:00Z"},
      {.uuid = "warning-new",
       .kind = "clock_offset",
       .severity = "warning",
       .raised_at = "2026-11-21T00:00:00Z",
       .params = {{"offset_seconds", "-420"}}},
      {.uuid = "snoozed-ended",
       .kind = "module_failing",
       .severity = "critical",
       .state = "snoozed",
       .module = "/usr/lib/libvnpt.so",
       .raised_at = "2026-09-01T00:00:00Z",
       .snoozed_until = formatIsoUtc(now() - 24h)},
      {.uuid = "snoozed",
       .kind = "hub_unreachable",
       .severity = "info",
       .state = "snoozed",
       .raised_at = "2026-09-01T00:00:00Z",
       .snoozed_until = "2099-01-01T00:00:00Z"},
  };
  std::vector<std::string> entries;
  for (const auto& spec : specs) {
    entries.push_back(
        entryJson(long(entries.size()) + 1, "e" + spec.uuid, "alert_raised", alertBody(spec)));
  }
  EXPECT_EQ(push(agent, entries), long(specs.size()));
  const auto alerts = adminJson({"alerts", "--json"});
  std::vector<std::string> order;
  for (unsigned i = 0; i < alerts->size(); ++i) {
    order.push_back(alerts->getObject(i)->getValue<std::string>("id"));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"critical", "snoozed-ended", "warning-new",
                                             "warning-old", "info", "snoozed"}));
  EXPECT_EQ(alertWithId(alerts, "snoozed-ended")->getValue<std::string>("state"), "open");
  EXPECT_EQ(alertWithId(alerts, "snoozed-ended")->getValue<std::string>("module"),
            "/usr/lib/libvnpt.so");
  EXPECT_EQ(alertWithId(alerts, "snoozed")->getValue<std::string>("state"), "snoozed");
  EXPECT_EQ(alertWithId(alerts, "snoozed")->getValue<std::string>("snoozed_until"),
            "2099-01-01T00:00:00Z");
  EXPECT_TRUE(alertWithId(alerts, "critical")->isNull("threshold_days"));
  EXPECT_TRUE(alertWithId(alerts, "critical")->isNull("fingerprint_sha256"));
}

TEST_P(HubAlertsTest, AlertsTextIsVietnameseByDefaultAndEnglishOnRequest) {
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  EXPECT_EQ(adminJson({"alerts", "--json"})->size(), 0u);
  const auto none = hub_.admin({"alerts"});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("Không có cảnh báo nào cần xử lý."), std::string::npos) << none.out;
  push(agent, {entryJson(1, "e1", "alert_raised",
                         alertBody({.uuid = "locked",
                                    .kind = "token_pin_locked",
                                    .severity = "critical",
                                    .token_serial = "54030A1B",
                                    .params = {{"token", "54030A1B"}, {"label", "Văn thư"}}})),
               entryJson(2, "e2", "alert_raised",
                         alertBody({.uuid = "snoozed",
                                    .kind = "clock_offset",
                                    .severity = "warning",
                                    .state = "snoozed",
                                    .snoozed_until = "2099-01-02T00:00:00Z",
                                    .params = {{"offset_seconds", "-420"}}})),
               entryJson(3, "e3", "alert_raised",
                         alertBody({.uuid = "renewed",
                                    .kind = "certificate_expiring",
                                    .severity = "info",
                                    .state = "resolved",
                                    .fingerprint = kFingerprint,
                                    .threshold_days = 90,
                                    .resolution = "renewed",
                                    .params = {{"name", "Nguyễn Văn A"}}}))});
  const auto vi = hub_.admin({"alerts", "--wide"});  // every cell whole
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  const std::string locked_message = alertMessage(
      Language::Vietnamese,
      {AlertKind::TokenPinLocked, std::nullopt, {{"token", "54030A1B"}, {"label", "Văn thư"}}},
      now());
  for (const std::string& expected :
       std::vector<std::string>{"Cảnh báo của các cơ quan trong tỉnh", "Mức độ", "Nghiêm trọng",
                                "Cần chú ý", "Chưa xử lý", "Tạm hoãn đến 02/01/2099",
                                "Tổng cộng 2 cảnh báo.", "PC-H21.09", kAgency, locked_message}) {
    EXPECT_NE(vi.out.find(expected), std::string::npos) << expected << "\n" << vi.out;
  }
  // One agency's title names it.
  const auto agency = hub_.admin({"alerts", "--agency", kAgency});
  EXPECT_NE(agency.out.find("Cảnh báo của UBND xã Bình Chương (H21.09)"), std::string::npos)
      << agency.out;
  const auto en = runCommand({hubBinary(), "--config", hub_.config(), "--lang", "en", "admin",
                              "alerts", "--all", "--wide"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const std::string expected :
       {"Alerts of the province's agencies", "Severity", "Critical", "Open",
        "Snoozed until 02/01/2099", "Resolved (renewed)", "3 alert(s) in total."}) {
    EXPECT_NE(en.out.find(expected), std::string::npos) << expected << "\n" << en.out;
  }
  EXPECT_EQ(en.out.find("Nghiêm trọng"), std::string::npos) << en.out;
  EXPECT_EQ(vi.out.find("Đã giải quyết"), std::string::npos) << vi.out;  // resolved: --all only
  const auto all = hub_.admin({"alerts", "--all", "--wide"});
  EXPECT_NE(all.out.find("Đã giải quyết (đã gia hạn)"), std::string::npos) << all.out;
  // An agency the hub does not know, or a malformed code.
  EXPECT_EQ(hub_.admin({"alerts", "--agency", "H99"}).exit_code, 1);
  EXPECT_EQ(hub_.admin({"alerts", "--agency", "h21"}).exit_code, 2);
}

// A certificate of `holder` on token `serial`, valid from `not_before` to `not_after`.
std::string certificateEntry(const TestCa& ca, long seq, const std::string& serial,
                             const std::string& holder, TimePoint not_before, TimePoint not_after) {
  const auto der = ca.issue(individualSpec(holder, not_before, not_after));
  // The uuid is unique across agencies, as an agent's are (docs/sync-protocol.md, POST /v1/push).
  return entryJson(seq, serial + "-c" + std::to_string(seq), "certificate_appeared",
                   certificateBody(serial, der));
}

TEST_P(HubAlertsTest, ExpiringListsValidCertificatesOfTheProvinceBySoonestExpiry) {
  TestCa ca;
  const auto mine = hub_.enroll(kAgency, kAgencyName);
  const auto theirs = hub_.enroll(kOtherAgency, kOtherAgencyName);
  const TimePoint now = test::now();
  const TimePoint past = now - 24h * 300;
  EXPECT_EQ(
      push(mine, {certificateEntry(ca, 1, "T1", "Trần Thị Mười", past, vietnamNoonIn(10, now)),
                  certificateEntry(ca, 2, "T1", "Lê Văn Bốn Mươi", past, vietnamNoonIn(40, now)),
                  certificateEntry(ca, 3, "T1", "Đã Hết Hạn", past, now - 24h),
                  certificateEntry(ca, 4, "T1", "Chưa Hiệu Lực", now + 24h, now + 24h * 5)}),
      4);
  EXPECT_EQ(push(theirs,
                 {certificateEntry(ca, 1, "T9", "Phạm Văn Hai Mươi", past, vietnamNoonIn(20, now)),
                  entryJson(2, "r2", "token_removed", tokenBody("T9"))}),
            2);

  const auto list = adminJson({"expiring", "--days", "30", "--json"});
  ASSERT_EQ(list->size(), 2u);
  const auto first = list->getObject(0);
  EXPECT_EQ(namesOf(first),
            (std::vector<std::string>{"agency", "agency_name", "common_name", "days_left",
                                      "fingerprint_sha256", "kind", "not_after", "organization",
                                      "present", "token_serial"}));
  EXPECT_EQ(first->getValue<std::string>("agency"), kAgency);
  EXPECT_EQ(first->getValue<std::string>("agency_name"), kAgencyName);
  EXPECT_EQ(first->getValue<std::string>("common_name"), "Trần Thị Mười");
  EXPECT_EQ(first->getValue<std::string>("organization"), "UBND tỉnh Quảng Ngãi");
  EXPECT_EQ(first->getValue<std::string>("kind"), "individual");
  EXPECT_EQ(first->getValue<std::string>("not_after"), formatIsoUtc(vietnamNoonIn(10, now)));
  EXPECT_EQ(first->getValue<int>("days_left"), 10);
  EXPECT_EQ(first->getValue<std::string>("token_serial"), "T1");
  EXPECT_EQ(first->getValue<std::string>("fingerprint_sha256").size(), 64u);
  EXPECT_TRUE(first->getValue<bool>("present"));
  const auto second = list->getObject(1);
  EXPECT_EQ(second->getValue<std::string>("agency"), kOtherAgency);
  EXPECT_EQ(second->getValue<std::string>("common_name"), "Phạm Văn Hai Mươi");
  EXPECT_EQ(second->getValue<int>("days_left"), 20);
  EXPECT_FALSE(second->getValue<bool>("present"));  // its token was unplugged

  EXPECT_EQ(adminJson({"expiring", "--days", "45", "--json"})->size(), 3u);
  EXPECT_EQ(adminJson({"expiring", "--days", "9", "--json"})->size(), 0u);
  const auto other = adminJson({"expiring", "--days", "30", "--agency", kOtherAgency, "--json"});
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ(other->getObject(0)->getValue<std::string>("agency"), kOtherAgency);

  const auto vi = hub_.admin({"expiring", "--days", "30", "--wide"});
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  for (const std::string expected :
       {"Chứng thư số hết hạn trong 30 ngày tới — toàn tỉnh", "Trần Thị Mười", "Phạm Văn Hai Mươi",
        "Tổng cộng 2 chứng thư số.", "Đang cắm", "Cá nhân"}) {
    EXPECT_NE(vi.out.find(expected), std::string::npos) << expected << "\n" << vi.out;
  }
  EXPECT_EQ(vi.out.find("Đã Hết Hạn"), std::string::npos) << vi.out;
  const auto en = runCommand(
      {hubBinary(), "--lang", "en", "--config", hub_.config(), "admin", "expiring", "--days", "5"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("No certificate expires within the next 5 days."), std::string::npos)
      << en.out;
}

TEST_P(HubAlertsTest, ExpiringNeedsAWholeNumberOfDays) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"expiring"},
                                                                {"expiring", "--days"},
                                                                {"expiring", "--days", "-1"},
                                                                {"expiring", "--days", "30d"},
                                                                {"expiring", "--days", "99999"},
                                                                {"alerts", "--days"}}) {
    const auto result = hub_.admin(args);
    EXPECT_EQ(result.exit_code, 2) << args.back() << result.out << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
  EXPECT_EQ(hub_.admin({"expiring", "--days", "0"}).exit_code, 0);
  const auto help = runCommand({hubBinary(), "admin", "--help"});
  EXPECT_NE(help.out.find("expiring --days N [--agency MÃ] [--json]"), std::string::npos);
  EXPECT_NE(help.out.find("alerts [--agency MÃ] [--all] [--json]"), std::string::npos);
  EXPECT_EQ(hub_.admin({"expiring", "--days", "30", "--agency", "H99"}).exit_code, 1);
}

// `cks-hub --config … admin ARGS…` with COLUMNS=`columns`.
CommandResult adminIn(HubUnderTest& hub, const std::string& columns,
                      const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "COLUMNS=" + columns, hubBinary(),
                                   "--config",     hub.config(),         "admin"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv);
}

size_t widestLine(const std::string& text) {
  size_t widest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) widest = std::max(widest, displayWidth(line));
  return widest;
}

TEST_P(HubAlertsTest, AdminTablesFitTheTerminalAndShowVietnamTime) {
  TestCa ca;
  const auto agent = hub_.enroll(kAgency, kAgencyName);
  const TimePoint now = test::now();
  push(agent,
       {certificateEntry(ca, 1, "T1", "Nguyễn Thị Ánh Tuyết Phòng Văn hóa - Xã hội",
                         now - 24h * 300, vietnamNoonIn(20, now)),
        entryJson(2, "e2", "alert_raised",
                  alertBody({.uuid = "expiring",
                             .kind = "certificate_expiring",
                             .severity = "warning",
                             .threshold_days = 30,
                             .params = {{"name", "Nguyễn Thị Ánh Tuyết Phòng Văn hóa - Xã hội"},
                                        {"agency", "Ủy ban nhân dân xã Bình Chương"},
                                        {"not_after", formatIsoUtc(vietnamNoonIn(20, now))}}})),
        entryJson(3, "e3", "alert_raised",
                  alertBody({.uuid = "locked",
                             .kind = "token_pin_locked",
                             .severity = "critical",
                             .token_serial = "54030A1B",
                             .params = {{"token", "54030A1B"}, {"label", "Văn thư"}}}))});
  for (const auto& args : std::vector<std::vector<std::string>>{{"agents"},
                                                                {"alerts"},
                                                                {"alerts", "--all"},
                                                                {"expiring", "--days", "30"},
                                                                {"inventory", "--agency", kAgency},
                                                                {"tokens", "--agency", kAgency}}) {
    const auto fitted = adminIn(hub_, "80", args);
    ASSERT_EQ(fitted.exit_code, 0) << args[0] << fitted.err;
    EXPECT_LE(widestLine(fitted.out), 80u) << args[0] << "\n" << fitted.out;
  }
  // --wide: each alert's message whole on its line.
  const auto wide = adminIn(hub_, "80", {"alerts", "--wide"});
  const auto alerts = adminJson({"alerts", "--json"});
  ASSERT_EQ(alerts->size(), 2u);
  for (unsigned i = 0; i < alerts->size(); ++i) {
    const std::string message = alerts->getObject(i)->getValue<std::string>("message");
    EXPECT_NE(wide.out.find(message), std::string::npos) << message << "\n" << wide.out;
  }
  // Times are Vietnam time, dd/mm/yyyy HH:MM: raised at 04:50 UTC is 11:50 in Hà Nội.
  EXPECT_NE(wide.out.find("22/11/2026 11:50"), std::string::npos) << wide.out;
  const auto agents = adminIn(hub_, "200", {"agents"});
  EXPECT_FALSE(std::regex_search(agents.out, std::regex(R"(\d{4}-\d\d-\d\dT)"))) << agents.out;
  EXPECT_TRUE(std::regex_search(agents.out, std::regex(R"(\d\d/\d\d/\d{4} \d\d:\d\d)")))
      << agents.out;
  // Days left are calendar days in Vietnam.
  const auto expiring = adminJson({"expiring", "--days", "30", "--json"});
  ASSERT_EQ(expiring->size(), 1u);
  EXPECT_EQ(expiring->getObject(0)->getValue<int>("days_left"), 20);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubAlertsTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
