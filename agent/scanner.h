// One inventory scan: probe every configured PKCS#11 module in its own child process (in
// parallel, each with its timeout), parse the certificates, and record the result in the store
// in one transaction. Thread-safe: concurrent requests for a scan run one after the other.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "core/clock.h"
#include "pkcs11/probe_runner.h"
#include "store/inventory.h"

namespace cks::agent {

struct ScanSummary {
  store::ScanChanges changes;
  std::vector<store::ScanObservation::Module> modules;
  std::chrono::milliseconds took{0};
};

class Scanner {
 public:
  Scanner(const AgentConfig& config, const pkcs11::ProbeRunner& runner, store::Inventory& inventory,
          const Clock& clock)
      : config_(config), runner_(runner), inventory_(inventory), clock_(clock) {}

  // Scans now. `*cancel` turning true (shutdown) kills running probes; the partial result is
  // then not recorded.
  [[nodiscard]] Result<ScanSummary> scan(const std::atomic<bool>* cancel);

  // Called after every scan that recorded a change, whoever asked for the scan (the schedule,
  // a slot event, `cksctl scan`): the sync client ships changes soon after they happen.
  void onChanges(std::function<void()> callback) { on_changes_ = std::move(callback); }
  // Called after every recorded scan, changes or not (the alert rules run again), before
  // onChanges.
  void onScanned(std::function<void()> callback) { on_scanned_ = std::move(callback); }

  // The module paths a scan covers: the configured ones plus, when enabled, p11-kit's.
  [[nodiscard]] std::vector<std::string> modulePaths(const std::atomic<bool>* cancel) const;

 private:
  const AgentConfig& config_;
  const pkcs11::ProbeRunner& runner_;
  store::Inventory& inventory_;
  const Clock& clock_;
  std::mutex scanning_;
  std::function<void()> on_changes_;
  std::function<void()> on_scanned_;
};

// Turns probe reports into what the store records (parsing each certificate).
[[nodiscard]] store::ScanObservation observationFromReports(
    const std::vector<pkcs11::ProbeReport>& reports, const std::string& host, TimePoint at,
    const SubscriberKindRules& rules);

}  // namespace cks::agent
