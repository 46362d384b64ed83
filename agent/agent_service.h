// The running agent: wires the store, the scanner, the slot watchers, the local API and the
// scan schedule, and reports to the service manager. main() builds one and hands it the
// config; start() returns once the API listens, stop() ends everything within a second or two.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <Poco/Logger.h>

#include "agent/agent_config.h"
#include "agent/alert_mail.h"
#include "agent/alert_monitor.h"
#include "agent/hub_sync.h"
#include "agent/local_api.h"
#include "agent/scanner.h"
#include "agent/slot_watcher.h"
#include "core/clock.h"
#include "pkcs11/probe_runner.h"
#include "platform/service.h"
#include "store/inventory.h"

namespace cks::agent {

class AgentService {
 public:
  AgentService(AgentConfig config, const Clock& clock, platform::ServiceNotifier& notifier,
               Poco::Logger& logger);
  ~AgentService();

  // Opens the store and starts the API, the watchers and the schedule (first scan at once).
  [[nodiscard]] Status start();
  // Runs one scan and logs it (for --once); start() must not have been called.
  [[nodiscard]] Result<ScanSummary> scanOnce();
  void stop();

  // Asks for a scan soon (slot events); several requests close together make one scan.
  void requestScan();

 private:
  [[nodiscard]] Status openStore();
  void schedule();
  void evaluateAlerts();
  void mailDigests();
  void logScan(const Result<ScanSummary>& summary);
  std::string statusLine();

  AgentConfig config_;
  const Clock& clock_;
  platform::ServiceNotifier& notifier_;
  Poco::Logger& logger_;
  pkcs11::ProbeRunner runner_;
  std::unique_ptr<store::Inventory> inventory_;
  std::unique_ptr<Scanner> scanner_;
  std::unique_ptr<HubSync> hub_;
  std::unique_ptr<AlertMonitor> monitor_;
  std::unique_ptr<SmtpSender> mail_sender_;  // with [email] server set
  std::unique_ptr<AlertMailer> mailer_;
  std::unique_ptr<LocalApi> api_;
  std::unique_ptr<SlotWatcher> watcher_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool scan_requested_ = false;
  std::thread scheduler_;
  std::thread mail_thread_;      // a send may block for a while: off the scan schedule
  bool mail_requested_ = false;  // alerts were raised: see at once whether a digest is due
};

}  // namespace cks::agent
