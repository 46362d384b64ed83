// Alerts fire once per threshold crossing and resolve themselves (docs/alerts.md), judged with a
// fixed clock on a real store file: crossing 30 days left fires once; re-evaluating, reopening
// the store (an agent restart) and moving the clock back and forth never fire it again; the
// renewed certificate on the same token resolves it. Every change is an event and an outbox
// entry in the same transaction.
#include "store/alerts.h"

#include <gtest/gtest.h>

#include "core/alert_rules.h"
#include "store/outbox.h"
#include "tests/store/scan_fixtures.h"
#include "tests/support/temp_dir.h"

namespace cks::store {
namespace {

constexpr auto kDay = std::chrono::hours(24);

// The inputs the agent's monitor hands the rules, read from the store.
AlertInputs inputsFrom(Inventory& inventory) {
  AlertInputs inputs;
  inputs.certificates = *inventory.certificates();
  inputs.tokens = *inventory.tokens();
  const auto modules = inventory.modules();
  for (const auto& module : *modules) {
    inputs.modules.push_back({module.path, module.outcome, module.detail, module.since});
  }
  return inputs;
}

class AlertsTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  // Closes and opens the store file again, as an agent restart does.
  void reopen() {
    alerts_.reset();
    inventory_.reset();
    auto opened = Inventory::open(path_);
    ASSERT_TRUE(opened) << opened.error().message;
    inventory_ = std::move(*opened);
    alerts_ = std::make_unique<Alerts>(*inventory_);
  }

  AlertChanges evaluate(TimePoint now, AlertInputs inputs) {
    auto changes = alerts_->reconcile(evaluateAlerts(inputs, AlertPolicy{}, now), now);
    EXPECT_TRUE(changes) << changes.error().message;
    return changes ? *changes : AlertChanges{};
  }
  AlertChanges evaluate(TimePoint now) { return evaluate(now, inputsFrom(*inventory_)); }

  void record(const ScanObservation& observation) {
    auto recorded = inventory_->recordScan(observation);
    ASSERT_TRUE(recorded) << recorded.error().message;
  }

  std::vector<AlertRecord> open(TimePoint now) { return *alerts_->list(false, now); }

  std::vector<std::string> outboxKinds() {
    std::vector<std::string> kinds;
    const auto rows = Outbox(*inventory_).pending("normal", 1000);
    for (const auto& row : *rows) {
      if (row.kind.rfind("alert_", 0) == 0) kinds.push_back(row.kind);
    }
    return kinds;
  }

  test::TempDir dir_;
  std::string path_ = (dir_.path() / "agent.db").string();
  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<Alerts> alerts_;
};

// A certificate of "Nguyễn Văn A" (OU=UBND xã Bình Chương) ending at `not_after`.
std::vector<std::uint8_t> certificateEnding(TimePoint not_after,
                                            TimePoint not_before = kNotBefore) {
  return ca().issue(test::individualSpec("Nguyễn Văn A", not_before, not_after));
}

TEST_F(AlertsTest, CrossingThirtyDaysFiresOnceAcrossRestartsAndClockJumps) {
  const TimePoint not_after = kT0 + 31 * kDay + 1h;
  const auto der = certificateEnding(not_after);
  record(scan(kT0, {seenToken(token("T1"), {seenCert(der, "01")})}));

  // 31 days left: the 60-day threshold was crossed long ago; only that one fires.
  auto first = evaluate(kT0);
  ASSERT_EQ(first.raised.size(), 1u);
  EXPECT_EQ(first.raised[0].kind, AlertKind::CertificateExpiring);
  EXPECT_EQ(first.raised[0].threshold_days, 60);
  EXPECT_EQ(first.raised[0].severity, Severity::Info);

  // 29 days left: the 30-day alert fires and replaces the 60-day one.
  const TimePoint at29 = kT0 + 2 * kDay;
  auto crossing = evaluate(at29);
  ASSERT_EQ(crossing.raised.size(), 1u);
  EXPECT_EQ(crossing.raised[0].threshold_days, 30);
  EXPECT_EQ(crossing.raised[0].severity, Severity::Warning);
  EXPECT_EQ(alertMessage(Language::Vietnamese, crossing.raised[0].text(), at29),
            "Chứng thư số của Nguyễn Văn A (UBND xã Bình Chương) hết hạn sau 29 ngày — cần lập "
            "đề nghị gia hạn");
  ASSERT_EQ(crossing.resolved.size(), 1u);
  EXPECT_EQ(crossing.resolved[0].threshold_days, 60);
  EXPECT_EQ(crossing.resolved[0].resolution, "superseded");

  // Every scan re-evaluates: nothing new.
  EXPECT_TRUE(evaluate(at29 + 5min).raised.empty());
  // An agent restart: nothing new.
  reopen();
  EXPECT_TRUE(evaluate(at29 + 10min).raised.empty());
  // The clock jumps back to 31 days left, then forward again: nothing fires, nothing resolves.
  auto back = evaluate(kT0);
  EXPECT_TRUE(back.raised.empty());
  EXPECT_TRUE(back.resolved.empty());
  EXPECT_TRUE(evaluate(at29 + 1h).raised.empty());

  const auto now_open = open(at29);
  ASSERT_EQ(now_open.size(), 1u);
  EXPECT_EQ(now_open[0].threshold_days, 30);
  EXPECT_EQ(outboxKinds(),
            (std::vector<std::string>{"alert_raised", "alert_changed", "alert_raised"}));
}

TEST_F(AlertsTest, TheRenewedCertificateOnTheSameTokenResolvesTheAlert) {
  const TimePoint not_after = kT0 + 20 * kDay;
  const auto der = certificateEnding(not_after);
  record(scan(kT0, {seenToken(token("T1"), {seenCert(der, "01")})}));
  // 20 days left: the 30-day alert (the last day to file a renewal has passed).
  ASSERT_EQ(evaluate(kT0).raised.size(), 1u);

  // The renewal writes the new certificate (same subject, later expiry) beside the old one.
  const auto renewed = certificateEnding(not_after + 3 * 365 * kDay, kT0);
  record(scan(kT1, {seenToken(token("T1"), {seenCert(der, "01"), seenCert(renewed, "02")})}));
  auto changes = evaluate(kT1);
  EXPECT_TRUE(changes.raised.empty());
  ASSERT_FALSE(changes.resolved.empty());
  for (const auto& alert : changes.resolved) EXPECT_EQ(alert.resolution, "renewed");
  EXPECT_TRUE(open(kT1).empty());

  // Still renewed after the old certificate is deleted from the token.
  record(scan(kT2, {seenToken(token("T1"), {seenCert(renewed, "02")})}));
  EXPECT_TRUE(evaluate(kT2).raised.empty());
}

TEST_F(AlertsTest, PinStatesRaiseTheirAlertAndClearWhenTheTokenIsUnlocked) {
  const auto der = certificateEnding(kT0 + 400 * kDay);
  record(scan(kT0, {seenToken(token("T1", PinState::CountLow), {seenCert(der, "01")})}));
  auto low = evaluate(kT0);
  ASSERT_EQ(low.raised.size(), 1u);
  EXPECT_EQ(low.raised[0].kind, AlertKind::TokenPinCountLow);
  EXPECT_EQ(low.raised[0].token_serial, "T1");

  record(scan(kT1, {seenToken(token("T1", PinState::Locked), {seenCert(der, "01")})}));
  auto locked = evaluate(kT1);
  ASSERT_EQ(locked.raised.size(), 1u);
  EXPECT_EQ(locked.raised[0].kind, AlertKind::TokenPinLocked);
  EXPECT_EQ(locked.raised[0].severity, Severity::Critical);
  EXPECT_EQ(alertMessage(Language::Vietnamese, locked.raised[0].text(), kT1),
            "Token T1 (Nguyễn Thị Ánh Tuyết) đã bị khóa mã PIN — cần lập đề nghị khôi phục thiết "
            "bị");
  ASSERT_EQ(locked.resolved.size(), 1u);
  EXPECT_EQ(locked.resolved[0].kind, AlertKind::TokenPinCountLow);
  EXPECT_EQ(locked.resolved[0].resolution, "cleared");

  record(scan(kT2, {seenToken(token("T1", PinState::Ok), {seenCert(der, "01")})}));
  auto unlocked = evaluate(kT2);
  EXPECT_TRUE(unlocked.raised.empty());
  ASSERT_EQ(unlocked.resolved.size(), 1u);
  EXPECT_EQ(unlocked.resolved[0].kind, AlertKind::TokenPinLocked);
  EXPECT_TRUE(open(kT2).empty());

  // Locked again later: a new alert (condition kinds follow the condition).
  record(scan(kT3, {seenToken(token("T1", PinState::Locked), {seenCert(der, "01")})}));
  EXPECT_EQ(evaluate(kT3).raised.size(), 1u);
}

TEST_F(AlertsTest, AcknowledgeAndSnoozeAreRecordedAndASnoozeEnds) {
  record(scan(kT0, {seenToken(token("T1", PinState::FinalTry), {})}));
  const auto raised = evaluate(kT0).raised;
  ASSERT_EQ(raised.size(), 1u);
  const auto id = raised[0].id;

  auto snoozed = alerts_->snooze(id, kT0 + 2 * kDay, kT1);
  ASSERT_TRUE(snoozed && *snoozed);
  EXPECT_EQ((*snoozed)->state, AlertState::Snoozed);
  EXPECT_EQ((*alerts_->find(id, kT0 + kDay))->state, AlertState::Snoozed);
  EXPECT_EQ((*alerts_->find(id, kT0 + 3 * kDay))->state, AlertState::Open);

  auto acked = alerts_->acknowledge(id, kT2);
  ASSERT_TRUE(acked && *acked);
  EXPECT_EQ((*acked)->state, AlertState::Acknowledged);
  // An acknowledged alert still resolves when the cause goes.
  record(scan(kT3, {seenToken(token("T1", PinState::Ok), {})}));
  ASSERT_EQ(evaluate(kT3).resolved.size(), 1u);
  auto again = alerts_->acknowledge(id, kT3);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("resolved"), std::string::npos);
  EXPECT_EQ(again.error().code, ErrorCode::FailedPrecondition);  // the local API's 409 "resolved"
  auto missing = alerts_->acknowledge(9999, kT3);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  // raised, snoozed, acknowledged, resolved: four events in order, cursors continue.
  auto events = alerts_->eventsAfter(0, 100, kT3);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].type, "alert_raised");
  EXPECT_EQ((*events)[3].type, "alert_changed");
  EXPECT_EQ((*events)[3].alert.state, AlertState::Resolved);
  EXPECT_EQ(*alerts_->lastEventSeq(), (*events)[3].seq);
  EXPECT_EQ(alerts_->eventsAfter((*events)[1].seq, 100, kT3)->size(), 2u);
}

TEST_F(AlertsTest, KindsNotEvaluatedAreLeftAlone) {
  AlertInputs inputs;
  inputs.clock_offset = std::chrono::seconds(-900);
  inputs.enrolled = true;
  inputs.last_hub_contact = kT0 - 4 * kDay;
  auto raised = evaluate(kT0, inputs).raised;
  ASSERT_EQ(raised.size(), 2u);
  // No offset known and not enrolled any more (e.g. after a restart before the first sync):
  // the clock and hub alerts stay as they are.
  EXPECT_TRUE(evaluate(kT1, AlertInputs{}).resolved.empty());
  // The clock fixed, the hub reached: both clear.
  inputs.clock_offset = std::chrono::seconds(2);
  inputs.last_hub_contact = kT2;
  EXPECT_EQ(evaluate(kT2, inputs).resolved.size(), 2u);
}

}  // namespace

// The province moves the report deadline after the reminder opened: the officer keeps one alert,
// now naming the new deadline, and the hub is told of the change (issue 12: the reminder kept
// the default deadline). A condition saying the same thing again changes nothing.
TEST_F(AlertsTest, AReportReminderIsRestatedWhenTheProvinceMovesTheDeadline) {
  const TimePoint now = sys_days{2026y / std::chrono::December / 5} + 8h;
  auto reminder = [&](const std::string& deadline) {
    AlertEvaluation evaluation;
    evaluation.evaluated.push_back(AlertKind::ReportDue);
    auto condition = AlertCondition::about(AlertKind::ReportDue, "", "");
    condition.threshold_days = 2026;
    condition.params = {{"year", "2026"}, {"deadline", deadline}};
    evaluation.conditions.push_back(condition);
    auto changes = alerts_->reconcile(evaluation, now);
    EXPECT_TRUE(changes) << changes.error().message;
    return changes ? *changes : AlertChanges{};
  };
  ASSERT_EQ(reminder("2026-12-31").raised.size(), 1u);
  const auto moved = reminder("2026-12-15");
  EXPECT_TRUE(moved.raised.empty());
  EXPECT_TRUE(moved.resolved.empty());
  ASSERT_EQ(moved.restated.size(), 1u);
  const auto alerts = open(now);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts.front().params.at("deadline"), "2026-12-15");
  EXPECT_NE(alertMessage(Language::Vietnamese, alerts.front().text(), now).find("15/12/2026"),
            std::string::npos)
      << alertMessage(Language::Vietnamese, alerts.front().text(), now);
  const auto again = reminder("2026-12-15");
  EXPECT_TRUE(again.raised.empty() && again.resolved.empty() && again.restated.empty());
  EXPECT_EQ(outboxKinds(), (std::vector<std::string>{"alert_raised", "alert_changed"}));
}

}  // namespace cks::store
