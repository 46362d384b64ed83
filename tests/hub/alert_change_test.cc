// Alert entries (alert_raised, alert_changed) are read field by field before anything is
// stored: a complete body gives the alert's typed state; a missing, mistyped or unknown field
// is refused with its path, as the agent's log and the hub's 400 answer show it.
#include "hub/alert_change.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "hub/inventory_change.h"
#include "sync/protocol/codec.h"
#include "tests/hub/hub_under_test.h"

namespace cks::hub {
namespace {

const std::string kFingerprint(64, 'a');

Result<InventoryChange> read(const std::string& kind, const std::string& body) {
  auto request = sync::decodePushRequest(test::pushJson({test::entryJson(4, "e4", kind, body)}));
  CKS_CHECK(request.has_value());
  return readInventoryChange(request->entries[0], "entries[3]", SubscriberKindRules{});
}

TEST(HubAlertChangeTest, AWholeAlertIsReadWithItsTypedState) {
  const auto change =
      read("alert_changed", test::alertBody({.uuid = "9b2f7c1e-5d43-4a8e-9f61-0c2d3e4f5a6b",
                                             .kind = "certificate_expiring",
                                             .severity = "critical",
                                             .state = "snoozed",
                                             .fingerprint = kFingerprint,
                                             .token_serial = "54030A1B",
                                             .threshold_days = 7,
                                             .raised_at = "2026-11-20T01:00:00Z",
                                             .changed_at = "2026-11-22T04:50:38Z",
                                             .snoozed_until = "2026-11-25T00:00:00Z",
                                             .params = {{"name", "Nguyễn Văn A"},
                                                        {"not_after", "2026-11-29T00:00:00Z"}}}));
  ASSERT_TRUE(change) << change.error().message;
  ASSERT_TRUE(change->alert.has_value());
  const AlertChange& alert = *change->alert;
  EXPECT_EQ(alert.uuid, "9b2f7c1e-5d43-4a8e-9f61-0c2d3e4f5a6b");
  EXPECT_EQ(alert.kind, AlertKind::CertificateExpiring);
  EXPECT_EQ(alert.severity, Severity::Critical);
  EXPECT_EQ(alert.state, AlertState::Snoozed);
  EXPECT_EQ(alert.fingerprint, kFingerprint);
  EXPECT_EQ(alert.token_serial, "54030A1B");
  EXPECT_FALSE(alert.module.has_value());
  EXPECT_EQ(alert.threshold_days, 7);
  EXPECT_EQ(alert.raised_at, *parseIsoUtc("2026-11-20T01:00:00Z"));
  EXPECT_EQ(alert.changed_at, *parseIsoUtc("2026-11-22T04:50:38Z"));
  EXPECT_EQ(alert.snoozed_until, parseIsoUtc("2026-11-25T00:00:00Z"));
  EXPECT_FALSE(alert.resolution.has_value());
  EXPECT_EQ(alert.params.at("name"), "Nguyễn Văn A");
  EXPECT_EQ(change->token.serial, "");  // an alert entry touches no token
}

TEST(HubAlertChangeTest, NullMeansTheFieldDoesNotApply) {
  const auto change =
      read("alert_raised", R"({"alert": {"uuid": "u1", "kind": "clock_offset", "severity": )"
                           R"("warning", "state": "open", "fingerprint_sha256": null, )"
                           R"("token_serial": null, "module": null, "threshold_days": null, )"
                           R"("raised_at": "2026-11-22T04:50:38Z", "changed_at": )"
                           R"("2026-11-22T04:50:38Z", "snoozed_until": null, "resolution": null, )"
                           R"("params": {"offset_seconds": "-420"}}})");
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->alert->kind, AlertKind::ClockOffset);
  EXPECT_FALSE(change->alert->fingerprint || change->alert->token_serial ||
               change->alert->threshold_days || change->alert->snoozed_until);
  // params may be left out too.
  const auto bare =
      read("alert_raised", test::alertBody({.uuid = "u2", .kind = "hub_unreachable"}));
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->alert->kind, AlertKind::HubUnreachable);
}

TEST(HubAlertChangeTest, RefusalsNameTheField) {
  const auto good = test::AlertSpec{.uuid = "u1", .fingerprint = kFingerprint};
  auto with = [&](auto change) {
    test::AlertSpec spec = good;
    change(spec);
    return test::alertBody(spec);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{}", "entries[3].body.alert: missing"},
      {R"({"alert": [1]})", "entries[3].body.alert: expected an object"},
      {with([](auto& a) { a.uuid = ""; }), "entries[3].body.alert.uuid: missing"},
      {with([](auto& a) { a.kind = "x"; }), "entries[3].body.alert.kind: unknown alert kind \"x\""},
      {with([](auto& a) { a.kind = ""; }), "entries[3].body.alert.kind: missing"},
      {with([](auto& a) { a.severity = "panic"; }),
       "entries[3].body.alert.severity: unknown severity \"panic\""},
      {with([](auto& a) { a.state = "closed"; }),
       "entries[3].body.alert.state: unknown alert state \"closed\""},
      {with([](auto& a) { a.fingerprint = "ABCD"; }),
       "entries[3].body.alert.fingerprint_sha256: expected 64 lowercase hex digits"},
      {with([](auto& a) { a.raised_at = ""; }), "entries[3].body.alert.raised_at: missing"},
      {with([](auto& a) { a.raised_at = "22/11/2026"; }),
       "entries[3].body.alert.raised_at: expected an ISO 8601 UTC time"},
      {with([](auto& a) { a.snoozed_until = "tomorrow"; }),
       "entries[3].body.alert.snoozed_until: expected an ISO 8601 UTC time"},
      {with([](auto& a) {
         a.params = {{"name", "A"}};
       }),
       ""},  // fine: the control case
  };
  for (const auto& [body, field] : cases) {
    const auto change = read("alert_raised", body);
    if (field.empty()) {
      EXPECT_TRUE(change) << change.error().message;
      continue;
    }
    ASSERT_FALSE(change) << body;
    EXPECT_EQ(change.error().message.rfind(field, 0), 0u) << change.error().message;
  }
  const std::vector<std::pair<std::string, std::string>> typed = {
      {R"({"alert": {"uuid": 7}})", "entries[3].body.alert.uuid: expected a string"},
      {R"({"alert": {"uuid": "u", "kind": "clock_offset", "severity": "info", "state": "open", )"
       R"("threshold_days": "30"}})",
       "entries[3].body.alert.threshold_days: expected an integer"},
      {R"({"alert": {"uuid": "u", "kind": "clock_offset", "severity": "info", "state": "open", )"
       R"("threshold_days": true}})",
       "entries[3].body.alert.threshold_days: expected an integer"},
      {R"({"alert": {"uuid": "u", "kind": "clock_offset", "severity": "info", "state": "open", )"
       R"("raised_at": "2026-11-22T04:50:38Z", "changed_at": "2026-11-22T04:50:38Z", )"
       R"("params": {"name": 5}}})",
       "entries[3].body.alert.params.name: expected a string"},
      {R"({"alert": {"uuid": "u", "kind": "clock_offset", "severity": "info", "state": "open", )"
       R"("raised_at": "2026-11-22T04:50:38Z", "changed_at": "2026-11-22T04:50:38Z", )"
       R"("params": ["name"]}})",
       "entries[3].body.alert.params: expected an object"},
  };
  for (const auto& [body, field] : typed) {
    const auto change = read("alert_changed", body);
    ASSERT_FALSE(change) << body;
    EXPECT_EQ(change.error().message, field);
  }
}

}  // namespace
}  // namespace cks::hub
