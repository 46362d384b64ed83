// What the hub reads from request entries and decides on receipt, in-process: every field of a
// request_filed body checked with its path, the working-day deadline (a Friday filing is due the
// next Wednesday in 3 working days, the next Monday in 1 for a token recovery, Tết skipped),
// routing by the province's delegations, and the [requests] section of hub.ini.
#include "hub/request_change.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <fstream>

#include "core/time_format.h"
#include "hub/hub_config.h"
#include "tests/support/temp_dir.h"

namespace cks::hub {
namespace {

const std::string kFingerprint(64, 'a');

Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A renewal body with `extra` members replacing or adding to the request's.
std::string renewal(const std::string& extra = "") {
  return R"({"request": {"id": "r-1", "kind": "renewal", "state": "submitted", "form": "04", )"
         R"("subscriber": null, "fingerprint_sha256": ")" +
         kFingerprint +
         R"(", "token_serial": null, "change_case": null, "revocation_reason": null, )"
         R"("fields": {}, "handled_by": "provider", "created_at": "2026-03-05T02:00:00Z", )"
         R"("supersedes": [])" +
         extra + "}}";
}

TimePoint at(const std::string& iso) { return *parseIsoUtc(iso); }

TEST(RequestChangeTest, AFiledRequestIsReadWithEveryField) {
  auto filed = readRequestFiled(
      parse(R"({"request": {"id": "r-2", "kind": "revocation", "state": "submitted", )"
            R"("form": "05", "fingerprint_sha256": ")" +
            kFingerprint +
            R"(", "revocation_reason": "device_lost", "fields": {"note": "mất"}, )"
            R"("handled_by": "provider", "created_at": "2026-03-05T02:00:00Z", )"
            R"("supersedes": ["r-1"]}})"),
      "entries[0].body");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->request.id, "r-2");
  EXPECT_EQ(filed->request.kind, RequestKind::Revocation);
  EXPECT_EQ(filed->form, Form::Revocation);
  EXPECT_EQ(filed->request.revocation_reason, RevocationReason::DeviceLost);
  EXPECT_EQ(filed->request.fields.at("note"), "mất");
  EXPECT_EQ(filed->supersedes, std::vector<std::string>{"r-1"});
  EXPECT_EQ(filed->request.created_at, at("2026-03-05T02:00:00Z"));
  EXPECT_TRUE(readRequestFiled(parse(renewal()), "b"));
}

TEST(RequestChangeTest, BadBodiesNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"x": 1})", "entries[2].body.request: missing"},
      {renewal(R"(, "kind": "renew")"), "entries[2].body.request.kind: unknown request kind"},
      {renewal(R"(, "state": "completed")"), "entries[2].body.request.state: expected"},
      {renewal(R"(, "form": "05")"), "entries[2].body.request.form: \"05\" is not the form"},
      {renewal(R"(, "fingerprint_sha256": "ABC")"),
       "entries[2].body.request.fingerprint_sha256: expected 64 lowercase hex digits"},
      {renewal(R"(, "fingerprint_sha256": null)"),
       "entries[2].body.request.fingerprint_sha256: missing"},
      {renewal(R"(, "handled_by": "cuc")"), "entries[2].body.request.handled_by: expected"},
      {renewal(R"(, "created_at": "hôm qua")"), "entries[2].body.request.created_at: expected"},
      {renewal(R"(, "fields": {"email": 5})"),
       "entries[2].body.request.fields.email: expected a string"},
      {renewal(R"(, "supersedes": "r-0")"), "entries[2].body.request.supersedes: expected"},
      {renewal(R"(, "id": "")"), "entries[2].body.request.id: must not be empty"},
      {renewal(R"(, "kind": "change_of_information")"),
       "entries[2].body.request.change_case: missing"},
      {renewal(R"(, "kind": "revocation", "form": "05")"),
       "entries[2].body.request.revocation_reason: missing"},
      {renewal(R"(, "kind": "device_recovery", "form": "06")"),
       "entries[2].body.request.token_serial: missing"},
      {renewal(R"(, "kind": "new_certificate", "form": "01")"),
       "entries[2].body.request.subscriber: missing"},
  };
  for (const auto& [body, expected] : cases) {
    auto filed = readRequestFiled(parse(body), "entries[2].body");
    ASSERT_FALSE(filed) << body;
    EXPECT_NE(filed.error().message.find(expected), std::string::npos)
        << filed.error().message << "\n"
        << expected;
  }
  auto cancelled = readRequestCancelled(parse(R"({"at": "2026-03-05T02:00:00Z"})"), "e.body");
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().message, "e.body.request_id: missing");
  cancelled = readRequestCancelled(
      parse(R"({"request_id": "r-1", "at": "2026-03-05T02:00:00Z", "reason": "nhầm"})"), "e.body");
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->reason, "nhầm");
}

TEST(RequestChangeTest, DueInWorkingDaysFromTheHubsReceipt) {
  RequestSettings settings;
  const auto calendar = settings.calendar();
  Request renewal{.id = "r", .kind = RequestKind::Renewal};
  Request recovery{.id = "t", .kind = RequestKind::DeviceRecovery, .token_serial = "54030A1B"};
  // Friday 6/3/2026, 10:00 in Vietnam.
  const TimePoint friday = at("2026-03-06T03:00:00Z");
  auto receipt = receiveRequest(renewal, settings, calendar, friday);
  EXPECT_EQ(formatDate(receipt.due_date), "2026-03-11");  // Wednesday
  EXPECT_EQ(receipt.working_days, 3);
  EXPECT_EQ(receipt.received_at, friday);
  receipt = receiveRequest(recovery, settings, calendar, friday);
  EXPECT_EQ(formatDate(receipt.due_date), "2026-03-09");  // Monday
  EXPECT_EQ(receipt.working_days, 1);
  // Friday 13/2/2026 before Tết (14–22/2): Monday 23/2 and Wednesday 25/2.
  EXPECT_EQ(
      formatDate(receiveRequest(recovery, settings, calendar, at("2026-02-13T03:00:00Z")).due_date),
      "2026-02-23");
  EXPECT_EQ(
      formatDate(receiveRequest(renewal, settings, calendar, at("2026-02-13T03:00:00Z")).due_date),
      "2026-02-25");
  // After 17:00 it counts from the next working day.
  EXPECT_EQ(
      formatDate(receiveRequest(renewal, settings, calendar, at("2026-03-06T10:30:00Z")).due_date),
      "2026-03-12");
  // A province holiday on Monday 9/3 moves it on.
  settings.holidays.days_off.push_back({*parseDate("2026-03-09"), "Ngày nghỉ của tỉnh"});
  EXPECT_EQ(formatDate(receiveRequest(renewal, settings, settings.calendar(), friday).due_date),
            "2026-03-12");
}

TEST(RequestChangeTest, RoutedByTheDelegationInForceOnTheDayOfReceipt) {
  RequestSettings settings;
  settings.delegations.clear();
  settings.delegations.push_back(
      *parseDelegation("renewal,device_recovery 2025-07-01..2026-03-06 QĐ 512"));
  const auto calendar = settings.calendar();
  Request renewal{.id = "r", .kind = RequestKind::Renewal};
  Request revocation{.id = "v", .kind = RequestKind::Revocation};
  EXPECT_EQ(receiveRequest(renewal, settings, calendar, at("2026-03-06T03:00:00Z")).handled_by,
            HandledBy::Province);
  EXPECT_EQ(receiveRequest(revocation, settings, calendar, at("2026-03-06T03:00:00Z")).handled_by,
            HandledBy::Provider);
  // Lapsed the next Vietnam day (7/3 00:30 local is still 6/3 in UTC).
  EXPECT_EQ(receiveRequest(renewal, settings, calendar, at("2026-03-06T17:30:00Z")).handled_by,
            HandledBy::Provider);
}

TEST(RequestChangeTest, HubIniRequestsSection) {
  test::TempDir dir;
  {
    std::ofstream(dir.file("holidays.txt")) << "# tỉnh\n2026-03-09 Ngày của tỉnh\n";
    std::ofstream(dir.file("hub.ini"))
        << "[requests]\n"
           "delegation = renewal,change_of_information 2025-07-01..2025-12-31 QĐ 512/QĐ-UBND\n"
           "delegation.2 = device_recovery 2026-01-01..\n"
           "holiday.bu = 2026-03-10 Nghỉ bù\n"
           "holidays_file = holidays.txt\n"
           "use_default_holidays = false\n"
           "cutoff = 16:30\n"
           "recovery_working_days = 2\n"
           "processing_working_days = 5\n";
  }
  auto config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  const RequestSettings& r = config->requests;
  ASSERT_EQ(r.delegations.size(), 2u);
  EXPECT_FALSE(r.delegations[1].until.has_value());
  EXPECT_EQ(r.holidays.days_off.size(), 2u);
  EXPECT_FALSE(r.use_default_holidays);
  EXPECT_EQ(r.cutoff, std::chrono::minutes(16 * 60 + 30));
  EXPECT_EQ(r.policy.recovery_working_days, 2);
  EXPECT_EQ(r.policy.processing_working_days, 5);
  EXPECT_FALSE(r.calendar().isWorkingDay(*parseDate("2026-03-10")));
  EXPECT_FALSE(r.calendar().coversYear(2027));

  // Without the section: seed 000's delegation, the built-in holidays, 17:00, 1 and 3 days.
  std::ofstream(dir.file("hub.ini")) << "[requests]\n";
  config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->requests.delegations.size(), 1u);
  EXPECT_EQ(formatDate(*config->requests.delegations[0].until), "2030-06-30");
  EXPECT_TRUE(config->requests.use_default_holidays);
  EXPECT_EQ(config->requests.cutoff, std::chrono::minutes(17 * 60));
  EXPECT_EQ(config->requests.policy.recovery_working_days, 1);
  EXPECT_EQ(config->requests.policy.processing_working_days, 3);
  std::ofstream(dir.file("hub.ini")) << "[requests]\ndelegation = none\n";
  config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->requests.delegations.empty());

  for (const auto& [line, expected] : std::vector<std::pair<std::string, std::string>>{
           {"delegation = renew 2025-07-01..", "hub.ini:2: [requests] delegation: bad value"},
           {"holiday = 2026-02-30 Sai", "hub.ini:2: [requests] holiday: bad value"},
           {"holidays_file = nowhere.txt", "[requests] holidays_file: bad value"},
           {"cutoff = 25:00", "hub.ini:2: [requests] cutoff: bad value"},
           {"recovery_working_days = 0", "[requests] recovery_working_days: bad value"}}) {
    std::ofstream(dir.file("hub.ini")) << "[requests]\n" << line << "\n";
    auto bad = loadHubConfig(dir.file("hub.ini"), Language::English);
    ASSERT_FALSE(bad) << line;
    EXPECT_NE(bad.error().message.find(expected), std::string::npos) << bad.error().message;
  }
}

}  // namespace
}  // namespace cks::hub
