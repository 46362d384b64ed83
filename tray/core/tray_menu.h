// The tray's menu and texts, the same on Linux and Windows: a status line, the alerts (each
// with "acknowledge" when open), acknowledge all, sync now, quit. Text from the one message
// catalogue (tray/core/tray_catalogue.cc, keys tray.*). Pure functions of a TraySnapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/messages.h"
#include "tray/core/tray_state.h"

namespace cks::tray {

enum class MenuAction { None, Acknowledge, AcknowledgeAll, SyncNow, Quit };

struct MenuEntry {
  std::string label;  // empty with separator
  MenuAction action = MenuAction::None;
  std::int64_t alert_id = 0;  // for Acknowledge
  bool enabled = true;
  bool separator = false;
  std::vector<MenuEntry> submenu;
};

// Alerts listed in the menu at most; the rest are counted in one line.
inline constexpr size_t kMenuAlerts = 12;
// An alert's menu label is cut to this many characters (not bytes) with "…".
inline constexpr size_t kMenuLabelChars = 110;

[[nodiscard]] std::vector<MenuEntry> trayMenu(const TraySnapshot& snapshot, Language language);
// The alerts a menu choice acknowledges: the chosen one, or every open one for AcknowledgeAll.
[[nodiscard]] std::vector<std::int64_t> alertsToAcknowledge(const TraySnapshot& snapshot,
                                                            MenuAction action,
                                                            std::int64_t alert_id);
// The status line (first menu entry, also the icon's tooltip).
[[nodiscard]] std::string trayStatusLine(const TraySnapshot& snapshot, Language language);
// "Nghiêm trọng", "Cần chú ý", "Thông tin" (the shared severity.* keys).
[[nodiscard]] std::string severityName(AlertSeverity severity, Language language);
// The pop-up's title for an alert.
[[nodiscard]] std::string popUpTitle(const TrayAlert& alert, Language language);
// `text` cut to at most `max_chars` UTF-8 characters, "…" appended when cut.
[[nodiscard]] std::string shortenUtf8(const std::string& text, size_t max_chars);

}  // namespace cks::tray
