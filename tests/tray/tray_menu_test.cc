#include "tray/core/tray_menu.h"

#include <gtest/gtest.h>

#include "core/messages.h"
#include "tests/tray/api_samples.h"

namespace cks::tray {
namespace {

TraySnapshot snapshotWith(std::vector<std::pair<std::string, std::string>> severity_state) {
  TrayState state;
  state.setConnected(true);
  std::vector<TrayAlert> alerts;
  std::int64_t id = 0;
  for (const auto& [severity, status] : severity_state) {
    ++id;
    alerts.push_back(*parseAlert(samples::alertJson(id, "u" + std::to_string(id), severity, status,
                                                    samples::kExpiringMessage)));
  }
  (void)state.replaceAlerts(alerts);
  return state.snapshot();
}

TEST(TrayMenuTest, ShowsStatusAlertsAcknowledgeSyncAndQuitInVietnamese) {
  const auto menu = trayMenu(snapshotWith({{"warning", "open"}, {"critical", "acknowledged"}}),
                             Language::Vietnamese);
  ASSERT_GE(menu.size(), 8u);
  EXPECT_EQ(menu[0].label, "Có 1 cảnh báo chữ ký số cần xử lý");
  EXPECT_FALSE(menu[0].enabled);
  EXPECT_TRUE(menu[1].separator);
  // Worst first: the acknowledged critical one, then the open warning.
  EXPECT_EQ(menu[2].label.rfind("Nghiêm trọng: Chứng thư số của Nguyễn Văn A", 0), 0u)
      << menu[2].label;
  ASSERT_EQ(menu[2].submenu.size(), 1u);
  EXPECT_EQ(menu[2].submenu[0].label, "Đã ghi nhận");
  EXPECT_FALSE(menu[2].submenu[0].enabled);
  EXPECT_EQ(menu[3].label.rfind("Cần chú ý: ", 0), 0u);
  EXPECT_EQ(menu[3].submenu[0].action, MenuAction::Acknowledge);
  EXPECT_EQ(menu[3].submenu[0].alert_id, 1);
  EXPECT_EQ(menu[3].submenu[0].label, "Xác nhận đã xem");
  EXPECT_EQ(menu[menu.size() - 4].action, MenuAction::AcknowledgeAll);
  EXPECT_EQ(menu[menu.size() - 3].action, MenuAction::SyncNow);
  EXPECT_EQ(menu.back().action, MenuAction::Quit);
  EXPECT_EQ(menu.back().label, "Thoát");
}

TEST(TrayMenuTest, DisconnectedMenuSaysSoAndDisablesWhatNeedsTheAgent) {
  TrayState state;
  const auto menu = trayMenu(state.snapshot(), Language::English);
  EXPECT_EQ(menu[0].label, "Cannot reach the cks-agent service — retrying");
  for (const auto& entry : menu) {
    if (entry.action == MenuAction::SyncNow || entry.action == MenuAction::AcknowledgeAll) {
      EXPECT_FALSE(entry.enabled) << entry.label;
    }
  }
  EXPECT_TRUE(menu.back().enabled);  // Quit always works
}

TEST(TrayMenuTest, ListsAtMostTwelveAlertsAndCountsTheRest) {
  std::vector<std::pair<std::string, std::string>> many(15, {"info", "open"});
  const auto menu = trayMenu(snapshotWith(many), Language::English);
  size_t alert_entries = 0;
  for (const auto& entry : menu) alert_entries += entry.submenu.empty() ? 0 : 1;
  EXPECT_EQ(alert_entries, kMenuAlerts);
  bool counted = false;
  for (const auto& entry : menu)
    counted |= entry.label.find("and 3 more alert(s)") != std::string::npos;
  EXPECT_TRUE(counted);
}

TEST(TrayMenuTest, ShortensLongLabelsOnCharacterBoundaries) {
  EXPECT_EQ(shortenUtf8("Bình Chương", 4), "Bình…");
  EXPECT_EQ(shortenUtf8("Bình", 4), "Bình");
  EXPECT_EQ(shortenUtf8("", 3), "");
  TraySnapshot snapshot = snapshotWith({{"info", "open"}});
  snapshot.alerts[0].message = samples::kExpiringMessage + " " + samples::kExpiringMessage;
  const auto menu = trayMenu(snapshot, Language::Vietnamese);
  const std::string& label = menu[2].label;
  EXPECT_LT(label.size(), snapshot.alerts[0].message.size());
  EXPECT_EQ(label.substr(label.size() - 3), "…");
}

TEST(TrayMenuTest, EveryTrayTextIsInTheCatalogue) {
  for (const auto& key : messageKeys()) {
    if (key.substr(0, 5) != "tray.") continue;
    EXPECT_NE(message(Language::Vietnamese, key), message(Language::English, key)) << key;
  }
  TrayAlert alert;
  alert.severity = AlertSeverity::Critical;
  EXPECT_EQ(popUpTitle(alert, Language::Vietnamese), "Chữ ký số — Nghiêm trọng");
  EXPECT_EQ(popUpTitle(alert, Language::English), "Digital signatures — Critical");
  EXPECT_NE(message(Language::Vietnamese, "tray.usage"), "[tray.usage]");
}

}  // namespace
}  // namespace cks::tray
