#include "agent/alert_monitor.h"

#include "agent/report_api.h"

#include <algorithm>

#include "store/requests.h"

namespace cks::agent {

AlertMonitor::AlertMonitor(const AgentConfig& config, store::Inventory& inventory, HubSync& hub,
                           const Clock& clock, Poco::Logger& logger)
    : config_(config),
      inventory_(inventory),
      hub_(hub),
      clock_(clock),
      logger_(logger),
      alerts_(inventory) {}

TimePoint AlertMonitor::correctedNow() {
  const auto offset = hub_.clockOffsetSeconds();
  return clock_.now() + std::chrono::seconds(offset.value_or(0));
}

Result<store::AlertChanges> AlertMonitor::evaluate() {
  std::lock_guard one_at_a_time(evaluating_);
  const std::uint64_t generation = inventory_.generation();
  if (inputs_generation_ != generation) {
    AlertInputs fresh;
    auto certificates = inventory_.certificates(store::Inventory::Detail::ForAlerts);
    if (!certificates) return tl::unexpected(certificates.error());
    fresh.certificates = std::move(*certificates);
    auto tokens = inventory_.tokens();
    if (!tokens) return tl::unexpected(tokens.error());
    fresh.tokens = std::move(*tokens);
    inputs_ = std::move(fresh);
    inputs_generation_ = generation;
  }
  AlertInputs& inputs = inputs_;
  // Module outcomes are not journalled: read every time (a handful of rows).
  inputs.modules.clear();
  auto modules = inventory_.modules();
  if (!modules) return tl::unexpected(modules.error());
  for (const auto& module : *modules) {
    // Only the modules this configuration scans (the store remembers earlier ones too).
    const auto& configured = config_.modules;
    if (config_.use_p11kit ||
        std::find(configured.begin(), configured.end(), module.path) != configured.end()) {
      inputs.modules.push_back({module.path, module.outcome, module.detail, module.since});
    }
  }
  inputs.clock_offset.reset();
  if (const auto offset = hub_.clockOffsetSeconds()) {
    inputs.clock_offset = std::chrono::seconds(*offset);
  }
  inputs.enrolled = hub_.enrollment().has_value();
  inputs.last_hub_contact = hub_.lastContact();
  inputs.agent_certificate_not_after = hub_.certificateExpiry();

  const TimePoint now = correctedNow();
  AlertEvaluation evaluation = evaluateAlerts(inputs, config_.alerts, now);
  // What each certificate alert advises follows the requests filed for it and the request
  // rules (read only when a certificate has a condition: most minutes none has).
  if (std::any_of(evaluation.conditions.begin(), evaluation.conditions.end(),
                  [](const AlertCondition& c) { return !c.fingerprint.empty(); })) {
    auto stored = store::Requests(inventory_).list();
    if (!stored) return tl::unexpected(stored.error());
    std::vector<Request> requests;
    requests.reserve(stored->size());
    for (auto& item : *stored) requests.push_back(std::move(item.request));
    adviseOnRequests(evaluation, requests, config_.requests, now);
  }
  // The yearly report's reminder follows the store's submitted versions, not the inventory.
  auto report_due = reportDueCondition(config_, inventory_, now);
  if (!report_due) return tl::unexpected(report_due.error());
  evaluation.evaluated.push_back(AlertKind::ReportDue);
  if (*report_due) evaluation.conditions.push_back(std::move(**report_due));
  auto changes = alerts_.reconcile(evaluation, now);
  if (!changes) return changes;
  for (const auto& alert : changes->raised) {
    std::string text = alertMessage(config_.language, alert.text(), now);
    // The technical detail (a parser's or a module's own words) is for the log, not the sentence.
    if (const auto detail = alert.params.find("detail"); detail != alert.params.end()) {
      text += " [" + detail->second + "]";
    }
    if (alert.severity == Severity::Critical) {
      logger_.error("alert %d raised: %s", int(alert.id), text);
    } else {
      logger_.warning("alert %d raised: %s", int(alert.id), text);
    }
  }
  for (const auto& alert : changes->resolved) {
    logger_.information("alert %d resolved (%s): %s", int(alert.id), alert.resolution,
                        alertMessage(config_.language, alert.text(), now));
  }
  for (const auto& alert : changes->restated) {
    logger_.information("alert %d restated: %s", int(alert.id),
                        alertMessage(config_.language, alert.text(), now));
  }
  {
    std::lock_guard lock(mutex_);
    last_evaluated_ = now;
  }
  if (!changes->raised.empty() || !changes->resolved.empty() || !changes->restated.empty()) {
    eventsWritten();
    hub_.changed();  // the province learns of it soon
  }
  return changes;
}

std::optional<TimePoint> AlertMonitor::lastEvaluated() {
  std::lock_guard lock(mutex_);
  return last_evaluated_;
}

void AlertMonitor::eventsWritten() {
  auto last = alerts_.lastEventSeq();
  std::lock_guard lock(mutex_);
  if (last) last_event_ = *last;
  events_cv_.notify_all();
}

bool AlertMonitor::waitForEvents(std::int64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (last_event_ < 0) {
    lock.unlock();
    auto last = alerts_.lastEventSeq();
    lock.lock();
    if (last && last_event_ < *last) last_event_ = *last;
  }
  return events_cv_.wait_for(lock, timeout, [&] { return shutdown_ || last_event_ > after; }) &&
         !shutdown_;
}

void AlertMonitor::shutdown() {
  std::lock_guard lock(mutex_);
  shutdown_ = true;
  events_cv_.notify_all();
}

}  // namespace cks::agent
