#include "agent/scanner.h"

#include <algorithm>
#include <future>

namespace cks::agent {

store::ScanObservation observationFromReports(const std::vector<pkcs11::ProbeReport>& reports,
                                              const std::string& host, TimePoint at,
                                              const SubscriberKindRules& rules) {
  store::ScanObservation scan;
  scan.host = host;
  scan.at = at;
  for (const auto& report : reports) {
    scan.modules.push_back(
        {report.module, std::string(pkcs11::toString(report.outcome)), report.detail});
    for (const auto& probed : report.tokens) {
      // Readers (and SoftHSM) show a blank, uninitialised token in an empty slot: it holds no
      // certificate and no PIN, so there is nothing to manage.
      if (!probed.pin_flags.initialized) continue;
      store::ScanObservation::SeenToken seen;
      seen.module = report.module;
      seen.token = {probed.serial, probed.manufacturer, probed.label, probed.model,
                    pinStateFromFlags(probed.pin_flags)};
      for (const auto& object : probed.certificates) {
        seen.certificates.push_back(
            {parseCertificateDer(object.der, rules), object.der, object.label, object.id_hex});
      }
      scan.tokens.push_back(std::move(seen));
    }
  }
  return scan;
}

std::vector<std::string> Scanner::modulePaths(const std::atomic<bool>* cancel) const {
  std::vector<std::string> paths = config_.modules;
  if (config_.use_p11kit) {
    if (auto registered = runner_.registeredModules(cancel)) {
      for (const auto& path : *registered) {
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
      }
    }
  }
  return paths;
}

Result<ScanSummary> Scanner::scan(const std::atomic<bool>* cancel) {
  std::lock_guard lock(scanning_);
  const auto started = std::chrono::steady_clock::now();
  const TimePoint at = clock_.now();
  const auto paths = modulePaths(cancel);
  // Modules are probed in parallel so one that hangs delays the scan by its timeout, not
  // by the sum of all timeouts.
  std::vector<std::future<pkcs11::ProbeReport>> running;
  for (const auto& path : paths) {
    running.push_back(std::async(std::launch::async,
                                 [this, path, cancel] { return runner_.probe(path, cancel); }));
  }
  std::vector<pkcs11::ProbeReport> reports;
  for (auto& report : running) reports.push_back(report.get());
  if (cancel != nullptr && cancel->load()) return fail("scan: cancelled, the agent is stopping");

  const auto observation =
      observationFromReports(reports, config_.host_name, at, config_.classification);
  auto changes = inventory_.recordScan(observation);
  if (!changes) return tl::unexpected(changes.error());
  if (on_scanned_) on_scanned_();
  if (changes->journal_entries > 0 && on_changes_) on_changes_();
  return ScanSummary{*changes, observation.modules,
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)};
}

}  // namespace cks::agent
