#include "agent/agent_service.h"

#include <filesystem>

#include "agent/api_secret.h"
#include "core/alert.h"
#include "core/time_format.h"
#include "store/alerts.h"

namespace cks::agent {

using namespace std::chrono_literals;

namespace {
// How often the alert rules run when nothing else triggers them.
constexpr auto kAlertPeriod = 60s;
}  // namespace

AgentService::AgentService(AgentConfig config, const Clock& clock,
                           platform::ServiceNotifier& notifier, Poco::Logger& logger)
    : config_(std::move(config)),
      clock_(clock),
      notifier_(notifier),
      logger_(logger),
      runner_({config_.probe_path, config_.probe_timeout}) {}

AgentService::~AgentService() { stop(); }

Status AgentService::openStore() {
  // A first start on a fresh PC: the store's folder may not exist yet (systemd's
  // StateDirectory= makes /var/lib/cks, a custom path is the officer's choice).
  const auto folder = std::filesystem::path(config_.store_path).parent_path();
  std::error_code ignored;
  if (!folder.empty() && std::filesystem::create_directories(folder, ignored)) {
    std::filesystem::permissions(folder, std::filesystem::perms(0750), ignored);
  }
  std::optional<store::Inventory::SetAside> set_aside;
  auto inventory = store::Inventory::openOrStartAfresh(config_.store_path, clock_.now(), set_aside);
  if (!inventory) return tl::unexpected(inventory.error());
  inventory_ = std::move(*inventory);
  if (set_aside) {
    // The officer learns it from the tray and e-mail too: the new store is not enrolled, and
    // requests queued in the old one are gone from this PC.
    logger_.error(
        "store: %s was damaged (%s); it is kept as %s and a new store started, filled again by "
        "the next scan; enrol this PC again (cksctl enroll --force)",
        config_.store_path, set_aside->why, set_aside->kept_as);
    auto condition = AlertCondition::about(AlertKind::StoreReplaced, "", "");
    condition.params = {{"kept_as", set_aside->kept_as}};
    if (auto raised = store::Alerts(*inventory_).raise(condition, clock_.now()); !raised) {
      return tl::unexpected(raised.error());
    }
  }
  scanner_ = std::make_unique<Scanner>(config_, runner_, *inventory_, clock_);
  return ok();
}

Result<ScanSummary> AgentService::scanOnce() {
  if (auto status = openStore(); !status) return tl::unexpected(status.error());
  auto summary = scanner_->scan(&stopping_);
  logScan(summary);
  return summary;
}

Status AgentService::start() {
  if (auto status = openStore(); !status) return status;
  auto secret = loadOrCreateApiSecret(config_.api_secret_file, config_.api_secret_group);
  if (!secret) return tl::unexpected(secret.error());
  hub_ = std::make_unique<HubSync>(config_, *inventory_, clock_, logger_);
  monitor_ = std::make_unique<AlertMonitor>(config_, *inventory_, *hub_, clock_, logger_);
  if (config_.email.enabled()) {  // before anything can raise an alert (evaluateAlerts reads it)
    mail_sender_ = std::make_unique<SmtpSender>(config_.email, config_.host_name);
    mailer_ = std::make_unique<AlertMailer>(config_, *inventory_, *mail_sender_, logger_);
  }
  scanner_->onScanned([this] { evaluateAlerts(); });
  scanner_->onChanges([this] { hub_->changed(); });
  hub_->onSynced([this] { evaluateAlerts(); });
  auto api = LocalApi::start({config_, *inventory_, *scanner_, *hub_, *monitor_, clock_, *secret,
                              clock_.now(), stopping_});
  if (!api) return tl::unexpected(api.error());
  api_ = std::move(*api);
  logger_.information("cks-agent %s started on %s; local API on 127.0.0.1:%d; store %s",
                      std::string(CKS_VERSION), config_.host_name, config_.api_port,
                      config_.store_path);
  if (config_.slot_events) {
    watcher_ =
        std::make_unique<SlotWatcher>(config_.probe_path, logger_, [this] { requestScan(); });
    for (const auto& module : config_.modules) watcher_->watch(module);
  }
  notifier_.ready(statusLine());
  scheduler_ = std::thread([this] { schedule(); });
  hub_->start();
  if (mailer_) mail_thread_ = std::thread([this] { mailDigests(); });
  return ok();
}

void AgentService::stop() {
  if (!api_ || stopping_.exchange(true)) return;  // never started (--once), or stopped already
  notifier_.stopping();
  {
    std::lock_guard lock(mutex_);
    wake_.notify_all();
  }
  if (monitor_) monitor_->shutdown();  // ends the event stream's waits
  logger_.debug("stopping: watchers");
  if (watcher_) watcher_->stop();
  logger_.debug("stopping: scheduler");
  if (scheduler_.joinable()) scheduler_.join();
  if (mail_thread_.joinable()) mail_thread_.join();
  logger_.debug("stopping: hub sync");
  if (hub_) hub_->stop();
  logger_.debug("stopping: api");
  if (api_) api_->stop();
  logger_.information("cks-agent stopped");
}

void AgentService::evaluateAlerts() {
  auto changes = monitor_->evaluate();
  if (!changes) {
    if (!stopping_) logger_.error("alerts: %s", changes.error().message);
    return;
  }
  if (mailer_ && !changes->raised.empty()) {
    std::lock_guard lock(mutex_);
    mail_requested_ = true;
    wake_.notify_all();
  }
}

// Once a minute, and when alerts are raised, the mailer decides whether today's digest is due
// (AlertMailer::tick: at most one a day per recipient).
void AgentService::mailDigests() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    mailer_->tick(clock_.now());
    lock.lock();
    wake_.wait_for(lock, kAlertPeriod, [this] { return stopping_.load() || mail_requested_; });
    mail_requested_ = false;
  }
}

void AgentService::requestScan() {
  std::lock_guard lock(mutex_);
  scan_requested_ = true;
  wake_.notify_all();
}

void AgentService::schedule() {
  const auto watchdog = notifier_.watchdogInterval();
  auto next_scan = std::chrono::steady_clock::now();
  auto next_ping = std::chrono::steady_clock::now();
  // Time passes without scans: expiry thresholds and "not seen for N days" are judged again.
  auto next_alerts = std::chrono::steady_clock::now() + kAlertPeriod;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    if (watchdog && now >= next_ping) {
      notifier_.watchdog();
      next_ping = now + *watchdog;
    }
    if (now >= next_alerts) {
      lock.unlock();
      evaluateAlerts();
      lock.lock();
      next_alerts = std::chrono::steady_clock::now() + kAlertPeriod;
      continue;
    }
    if (scan_requested_ || now >= next_scan) {
      if (scan_requested_) {
        // A token being inserted needs a moment before its middleware can read it; events
        // arriving meanwhile fold into the same scan.
        scan_requested_ = false;
        wake_.wait_for(lock, 700ms, [this] { return stopping_.load(); });
        scan_requested_ = false;
        if (stopping_) break;
      }
      lock.unlock();
      const auto summary = scanner_->scan(&stopping_);
      logScan(summary);
      notifier_.status(statusLine());
      lock.lock();
      next_scan = std::chrono::steady_clock::now() + config_.scan_interval;
      continue;
    }
    auto until = std::min(next_scan, next_alerts);
    if (watchdog) until = std::min(until, next_ping);
    wake_.wait_until(lock, until, [this] { return stopping_.load() || scan_requested_; });
  }
}

void AgentService::logScan(const Result<ScanSummary>& summary) {
  if (!summary) {
    if (!stopping_) logger_.error("scan failed: %s", summary.error().message);
    return;
  }
  for (const auto& module : summary->modules) {
    if (module.outcome != "ok") {
      logger_.warning("module %s: %s: %s", module.path, module.outcome, module.detail);
    }
  }
  logger_.information("scan: %d token(s) present, %d certificate(s), %d change(s), %d ms",
                      summary->changes.tokens_present, summary->changes.certificates_present,
                      summary->changes.journal_entries, int(summary->took.count()));
}

std::string AgentService::statusLine() {
  auto tokens = inventory_->tokens();
  auto certs = inventory_->certificates();
  auto last = inventory_->lastScan();
  if (!tokens || !certs || !last) return "store unreadable";
  int present = 0, expiring = 0, expired = 0;
  for (const auto& t : *tokens) present += t.present;
  const TimePoint now = clock_.now();
  for (const auto& c : *certs) {
    const auto status = c.certificate.statusAt(now, config_.expiring_days);
    expiring += status == CertificateStatus::Expiring;
    expired += status == CertificateStatus::Expired;
  }
  return std::to_string(present) + "/" + std::to_string(tokens->size()) + " tokens present, " +
         std::to_string(certs->size()) + " certificates (" + std::to_string(expiring) +
         " expiring, " + std::to_string(expired) + " expired); last scan " +
         (*last ? formatIsoUtc(**last) : std::string("never"));
}

}  // namespace cks::agent
