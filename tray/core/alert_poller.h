// The tray's connection to the agent's alerts: reads GET /v1/alerts when it (re)connects, then
// long-polls GET /v1/events?after=CURSOR; when the agent is unreachable it retries with backoff
// and re-reads the alerts once the agent is back. A cursor lower than ours means the agent's
// store was replaced: the state is reset and the alerts re-read. Pop-ups go to the TrayView
// only for alerts never popped before (TrayState remembers them across restarts).
// Runs on one thread (the poller thread); the TrayView is called from that thread.
#pragma once

#include <chrono>
#include <string>

#include "tray/core/alert_feed.h"
#include "tray/core/local_api_connection.h"
#include "tray/core/stop_signal.h"
#include "tray/core/tray_state.h"

namespace cks::tray {

// Where the poller's results go (the UI). Called on the poller thread: implementations hand
// the work over to their UI thread (g_idle_add, PostMessageW).
class TrayView {
 public:
  virtual ~TrayView() = default;
  // After every change: connection, alerts, icon colour.
  virtual void showState(const TraySnapshot& snapshot) = 0;
  // An alert to pop up (once per alert, ever).
  virtual void popUp(const TrayAlert& alert) = 0;
  // A line for the tray's log (connection lost / back, state file problems).
  virtual void log(const std::string& line) = 0;
};

struct PollerOptions {
  std::string language = "vi";                    // ?lang= of the alert texts
  std::chrono::seconds long_poll{25};             // wait= of GET /v1/events
  std::chrono::seconds request_timeout{10};       // other requests
  std::chrono::milliseconds first_retry{250};     // backoff after a failure …
  std::chrono::milliseconds longest_retry{5000};  // … doubling up to this
};

class AlertPoller {
 public:
  AlertPoller(LocalApiConnection& api, TrayState& state, TrayView& view, PollerOptions options);

  // One round: (re)connect (cursor, then the alert list) when not in step with the agent,
  // otherwise one long poll. Returns how long to wait before the next round (zero when the
  // agent answered).
  std::chrono::milliseconds step();
  // Rounds until `stop` is requested.
  void run(StopSignal& stop);

  [[nodiscard]] bool inStep() const { return in_step_; }

 private:
  std::chrono::milliseconds connect();
  std::chrono::milliseconds poll();
  std::chrono::milliseconds lost(const std::string& why);
  void publish(const std::vector<TrayAlert>& pop_ups);
  void saveState();

  LocalApiConnection& api_;
  TrayState& state_;
  TrayView& view_;
  PollerOptions options_;
  const StopSignal* stop_ = nullptr;  // set by run()
  bool in_step_ = false;
  bool ever_connected_ = false;
  bool loss_reported_ = false;
  std::chrono::milliseconds retry_{0};
};

}  // namespace cks::tray
