#include "tray/core/tray_menu.h"

#include <algorithm>

namespace cks::tray {

std::string severityName(AlertSeverity severity, Language language) {
  switch (severity) {
    case AlertSeverity::Critical:
      return message(language, "severity.critical");
    case AlertSeverity::Warning:
      return message(language, "severity.warning");
    case AlertSeverity::Info:
      return message(language, "severity.info");
  }
  return {};
}

std::string popUpTitle(const TrayAlert& alert, Language language) {
  return message(language, "tray.popup_title", {severityName(alert.severity, language)});
}

std::string shortenUtf8(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) return text.substr(0, i) + "…";
    ++chars;
  }
  return text;
}

std::string trayStatusLine(const TraySnapshot& snapshot, Language language) {
  if (!snapshot.connected) return message(language, "tray.status.disconnected");
  if (snapshot.open_count == 0) return message(language, "tray.status.ok");
  return message(language, "tray.status.alerts", {std::to_string(snapshot.open_count)});
}

namespace {

MenuEntry item(std::string label, MenuAction action = MenuAction::None, bool enabled = true,
               std::int64_t alert_id = 0) {
  MenuEntry entry;
  entry.label = std::move(label);
  entry.action = action;
  entry.enabled = enabled;
  entry.alert_id = alert_id;
  return entry;
}

MenuEntry separator() {
  MenuEntry entry;
  entry.separator = true;
  return entry;
}

}  // namespace

std::vector<MenuEntry> trayMenu(const TraySnapshot& snapshot, Language language) {
  std::vector<MenuEntry> menu;
  menu.push_back(item(trayStatusLine(snapshot, language), MenuAction::None, false));
  menu.push_back(separator());
  const size_t shown = std::min(snapshot.alerts.size(), kMenuAlerts);
  for (size_t i = 0; i < shown; ++i) {
    const TrayAlert& alert = snapshot.alerts[i];
    MenuEntry entry = item(shortenUtf8(
        severityName(alert.severity, language) + ": " + alert.message, kMenuLabelChars));
    if (alert.status == AlertStatus::Open) {
      entry.submenu.push_back(
          item(message(language, "tray.acknowledge"), MenuAction::Acknowledge, true, alert.id));
    } else {
      const char* key =
          alert.status == AlertStatus::Snoozed ? "alertstate.snoozed" : "alertstate.acknowledged";
      entry.submenu.push_back(item(message(language, key), MenuAction::None, false));
    }
    menu.push_back(std::move(entry));
  }
  if (snapshot.alerts.size() > shown) {
    menu.push_back(item(
        message(language, "tray.alerts_more", {std::to_string(snapshot.alerts.size() - shown)}),
        MenuAction::None, false));
  }
  if (!snapshot.alerts.empty()) menu.push_back(separator());
  menu.push_back(item(message(language, "tray.acknowledge_all"), MenuAction::AcknowledgeAll,
                      snapshot.connected && snapshot.open_count > 0));
  menu.push_back(item(message(language, "tray.sync_now"), MenuAction::SyncNow, snapshot.connected));
  menu.push_back(separator());
  menu.push_back(item(message(language, "tray.quit"), MenuAction::Quit));
  return menu;
}

std::vector<std::int64_t> alertsToAcknowledge(const TraySnapshot& snapshot, MenuAction action,
                                              std::int64_t alert_id) {
  std::vector<std::int64_t> ids;
  if (action == MenuAction::Acknowledge) {
    ids.push_back(alert_id);
  } else if (action == MenuAction::AcknowledgeAll) {
    for (const auto& alert : snapshot.alerts) {
      if (alert.status == AlertStatus::Open) ids.push_back(alert.id);
    }
  }
  return ids;
}

}  // namespace cks::tray
