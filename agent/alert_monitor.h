// Runs the alert rules (core/alert_rules.h) on what the agent knows and keeps the store's
// alerts in step (store/alerts.h): after every scan, after every sync, once a minute (time
// passes without scans) and after an acknowledgement. Expiry is judged on hub-corrected time.
// Each alert raised or resolved is logged (syslog / the journal; the Windows event log), and
// whoever waits on the event stream (cks-tray, the console) is woken.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

#include <Poco/Logger.h>

#include "agent/agent_config.h"
#include "agent/hub_sync.h"
#include "core/alert_rules.h"
#include "core/clock.h"
#include "store/alerts.h"
#include "store/inventory.h"

namespace cks::agent {

class AlertMonitor {
 public:
  AlertMonitor(const AgentConfig& config, store::Inventory& inventory, HubSync& hub,
               const Clock& clock, Poco::Logger& logger);

  // Evaluates the rules now and records what changed. Thread-safe (one evaluation at a time).
  Result<store::AlertChanges> evaluate();

  // This PC's clock corrected by the last offset the hub reported (the clock alone before).
  [[nodiscard]] TimePoint correctedNow();

  store::Alerts& alerts() { return alerts_; }
  // When the rules last ran to the end (nullopt before the first time).
  [[nodiscard]] std::optional<TimePoint> lastEvaluated();

  // An alert changed outside evaluate() (acknowledged, snoozed): wake the event stream.
  void eventsWritten();
  // Waits until an event after `after` exists, `timeout` passes or shutdown(); true when there
  // is one.
  bool waitForEvents(std::int64_t after, std::chrono::milliseconds timeout);
  // Ends every wait at once (the agent is stopping).
  void shutdown();

 private:
  const AgentConfig& config_;
  store::Inventory& inventory_;
  HubSync& hub_;
  const Clock& clock_;
  Poco::Logger& logger_;
  store::Alerts alerts_;

  std::mutex evaluating_;
  // The inventory as last read (under evaluating_): the periodic evaluation between scans
  // reuses it; a recorded scan moves the inventory's generation and it is read again.
  AlertInputs inputs_;
  std::optional<std::uint64_t> inputs_generation_;
  std::mutex mutex_;
  std::condition_variable events_cv_;
  std::int64_t last_event_ = -1;  // -1: not read yet
  std::optional<TimePoint> last_evaluated_;
  bool shutdown_ = false;
};

}  // namespace cks::agent
