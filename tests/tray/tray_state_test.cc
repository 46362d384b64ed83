#include "tray/core/tray_state.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"
#include "tests/tray/api_samples.h"

namespace cks::tray {
namespace {

using samples::alertJson;

TrayAlert alert(std::int64_t id, const std::string& uuid, const std::string& severity,
                const std::string& state = "open",
                const std::string& raised_at = "2025-03-01T08:00:00Z") {
  auto parsed =
      parseAlert(alertJson(id, uuid, severity, state, "m" + std::to_string(id), raised_at));
  EXPECT_TRUE(parsed) << parsed.error().message;
  return *parsed;
}

AlertEvent event(std::int64_t seq, const TrayAlert& a) {
  return AlertEvent{seq, "alert_changed", a};
}

TEST(TrayStateTest, IconIsGreyUntilConnectedThenFollowsTheWorstOpenAlert) {
  TrayState state;
  EXPECT_EQ(state.colour(), IconColour::Grey);
  state.setConnected(true);
  EXPECT_EQ(state.colour(), IconColour::Green);
  (void)state.replaceAlerts({alert(1, "a", "info")});
  EXPECT_EQ(state.colour(), IconColour::Amber);
  (void)state.replaceAlerts({alert(1, "a", "info"), alert(2, "b", "warning")});
  EXPECT_EQ(state.colour(), IconColour::Amber);
  (void)state.replaceAlerts({alert(1, "a", "info"), alert(3, "c", "critical")});
  EXPECT_EQ(state.colour(), IconColour::Red);
  // Acknowledged: someone has seen it; the icon shows what is still open.
  (void)state.replaceAlerts({alert(3, "c", "critical", "acknowledged"), alert(2, "b", "warning")});
  EXPECT_EQ(state.colour(), IconColour::Amber);
  (void)state.replaceAlerts({alert(3, "c", "critical", "snoozed")});
  EXPECT_EQ(state.colour(), IconColour::Green);
  state.setConnected(false, "connection refused");
  EXPECT_EQ(state.colour(), IconColour::Grey);
  EXPECT_EQ(state.snapshot().problem, "connection refused");
}

TEST(TrayStateTest, ListsWorstFirstThenNewestAndDropsResolved) {
  TrayState state;
  state.setConnected(true);
  (void)state.replaceAlerts({alert(1, "a", "info", "open", "2025-03-01T08:00:00Z"),
                             alert(2, "b", "critical", "open", "2025-02-01T08:00:00Z"),
                             alert(3, "c", "info", "open", "2025-03-05T08:00:00Z"),
                             alert(4, "d", "critical", "resolved")});
  const auto snapshot = state.snapshot();
  ASSERT_EQ(snapshot.alerts.size(), 3u);
  EXPECT_EQ(snapshot.alerts[0].uuid, "b");
  EXPECT_EQ(snapshot.alerts[1].uuid, "c");
  EXPECT_EQ(snapshot.alerts[2].uuid, "a");
  EXPECT_EQ(snapshot.open_count, 3);
}

TEST(TrayStateTest, PopsUpEachOpenAlertOnceWhateverWayItArrives) {
  TrayState state;
  auto first =
      state.replaceAlerts({alert(1, "a", "warning"), alert(2, "b", "info", "acknowledged")});
  ASSERT_EQ(first.size(), 1u);  // an acknowledged alert has been seen already
  EXPECT_EQ(first[0].uuid, "a");
  EXPECT_TRUE(state.replaceAlerts({alert(1, "a", "warning")}).empty());
  EXPECT_TRUE(state.applyEvents({event(5, alert(1, "a", "warning"))}).empty());
  // Snoozed, then open again when the snooze ends: the same alert, not shown again.
  EXPECT_TRUE(state.applyEvents({event(6, alert(1, "a", "warning", "snoozed"))}).empty());
  EXPECT_TRUE(state.applyEvents({event(7, alert(1, "a", "warning", "open"))}).empty());
  auto raised = state.applyEvents({event(8, alert(9, "z", "critical"))});
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].uuid, "z");
  EXPECT_TRUE(state.wasPoppedUp("z"));
}

TEST(TrayStateTest, EventsUpdateAndRemoveAlerts) {
  TrayState state;
  state.setConnected(true);
  (void)state.replaceAlerts({alert(1, "a", "critical")});
  EXPECT_EQ(state.colour(), IconColour::Red);
  (void)state.applyEvents({event(2, alert(1, "a", "critical", "acknowledged"))});
  EXPECT_EQ(state.colour(), IconColour::Green);
  EXPECT_EQ(state.snapshot().alerts.size(), 1u);
  (void)state.applyEvents({event(3, alert(1, "a", "critical", "resolved"))});
  EXPECT_TRUE(state.snapshot().alerts.empty());
  // A raised event for an alert already resolved (read later): not shown, not listed.
  EXPECT_TRUE(state.applyEvents({event(4, alert(5, "e", "warning", "resolved"))}).empty());
  EXPECT_TRUE(state.snapshot().alerts.empty());
}

TEST(TrayStateTest, RemembersPoppedAlertsAndTheCursorAcrossARestart) {
  test::TempDir dir;
  const std::string file = dir.file("nested/folder/state");
  {
    TrayState state(file);
    ASSERT_TRUE(state.load());  // no file yet: empty
    EXPECT_EQ(state.replaceAlerts({alert(1, "a", "warning")}).size(), 1u);
    state.setCursor(42);
    ASSERT_TRUE(state.save());
  }
  TrayState restarted(file);
  ASSERT_TRUE(restarted.load());
  EXPECT_EQ(restarted.cursor(), 42);
  EXPECT_TRUE(restarted.wasPoppedUp("a"));
  EXPECT_TRUE(restarted.replaceAlerts({alert(1, "a", "warning")}).empty());
  EXPECT_EQ(restarted.replaceAlerts({alert(1, "a", "warning"), alert(2, "b", "info")}).size(), 1u);
  ASSERT_TRUE(restarted.save());  // replaces the existing file
  TrayState again(file);
  ASSERT_TRUE(again.load());
  EXPECT_TRUE(again.wasPoppedUp("b"));
}

TEST(TrayStateTest, RefusesAFileThatIsNotItsOwn) {
  test::TempDir dir;
  test::writeFile(dir.file("state"), "[agent]\nlanguage = vi\n");
  TrayState state(dir.file("state"));
  auto loaded = state.load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("not a cks-tray state file"), std::string::npos);
}

TEST(TrayStateTest, AReplacedStoreForgetsCursorAndAlertsButNotWhatWasShown) {
  TrayState state;
  state.setConnected(true);
  (void)state.replaceAlerts({alert(1, "a", "critical")});
  state.setCursor(100);
  state.resetForReplacedStore();
  EXPECT_FALSE(state.cursor());
  EXPECT_TRUE(state.snapshot().alerts.empty());
  EXPECT_TRUE(state.wasPoppedUp("a"));
}

TEST(TrayStateTest, ForgetsTheOldestPoppedAlertsBeyondItsLimit) {
  TrayState state;
  std::vector<TrayAlert> many;
  for (size_t i = 0; i <= TrayState::kMaxRemembered; ++i) {
    TrayAlert a;
    a.id = std::int64_t(i);
    a.uuid = "u" + std::to_string(i);
    many.push_back(a);
  }
  const auto shown = state.replaceAlerts(many);  // newest (highest id) first
  ASSERT_EQ(shown.size(), TrayState::kMaxRemembered + 1);
  EXPECT_FALSE(state.wasPoppedUp(shown.front().uuid));
  EXPECT_TRUE(state.wasPoppedUp(shown[1].uuid));
  EXPECT_TRUE(state.wasPoppedUp(shown.back().uuid));
}

}  // namespace
}  // namespace cks::tray
