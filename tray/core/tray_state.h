// What cks-tray knows: the agent's alerts that are not resolved, whether the agent answers, the
// event cursor, and the uuids of the alerts already popped up. The cursor and the popped uuids
// persist in a per-user state file, so a restarted tray never pops the same alert twice.
// Owned and used by the poller thread only; the UI gets copies (TraySnapshot).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "tray/core/alert_feed.h"

namespace cks::tray {

// The icon: grey = agent not reachable, green = no open alert, amber = the worst open alert is
// info or warning, red = a critical one is open.
enum class IconColour { Grey, Green, Amber, Red };

[[nodiscard]] std::string_view toString(IconColour colour);

struct TraySnapshot {
  bool connected = false;
  std::vector<TrayAlert> alerts;  // open, acknowledged and snoozed; worst first, then newest
  IconColour colour = IconColour::Grey;
  int open_count = 0;
  std::string problem;  // why the agent is not reachable, for the log and the tooltip
};

class TrayState {
 public:
  // The popped uuids kept at most (oldest forgotten first): years of alerts at one agency.
  static constexpr size_t kMaxRemembered = 10000;

  // `state_file` empty: nothing persists (tests, --check).
  explicit TrayState(std::string state_file = {});

  // Reads the state file; a missing file is an empty state, a malformed one an error (the
  // caller logs it and goes on with an empty state).
  [[nodiscard]] Status load();
  // Writes the state file (a temporary file renamed over it).
  [[nodiscard]] Status save() const;

  // The agent's whole list (GET /v1/alerts) replaces ours. Returns the alerts to pop up now:
  // open and never popped before (they are remembered as popped from here on).
  std::vector<TrayAlert> replaceAlerts(std::vector<TrayAlert> alerts);
  // Events from GET /v1/events update our alerts (a resolved one leaves the list). Returns
  // the alerts to pop up, as replaceAlerts.
  std::vector<TrayAlert> applyEvents(const std::vector<AlertEvent>& events);

  // The last event cursor seen (nullopt before the first).
  [[nodiscard]] std::optional<std::int64_t> cursor() const { return cursor_; }
  void setCursor(std::optional<std::int64_t> cursor) { cursor_ = cursor; }
  // The agent answered a cursor lower than ours: its store was replaced. Forgets the cursor and
  // the alerts (the caller re-reads them); popped uuids stay popped.
  void resetForReplacedStore();

  void setConnected(bool connected, std::string problem = {});
  [[nodiscard]] bool connected() const { return connected_; }

  [[nodiscard]] bool wasPoppedUp(const std::string& uuid) const;
  [[nodiscard]] IconColour colour() const;
  [[nodiscard]] TraySnapshot snapshot() const;

 private:
  std::vector<TrayAlert> popNew(const std::vector<TrayAlert>& candidates);
  void upsert(const TrayAlert& alert);
  void sortAlerts();

  std::string state_file_;
  std::vector<TrayAlert> alerts_;
  std::optional<std::int64_t> cursor_;
  bool connected_ = false;
  std::string problem_;
  std::set<std::string> popped_;
  std::deque<std::string> popped_order_;  // oldest first, to forget beyond kMaxRemembered
};

}  // namespace cks::tray
