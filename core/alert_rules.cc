#include "core/alert_rules.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/time_format.h"

namespace cks {
namespace {

using std::chrono::days;

// The certificate's holder and agency for messages: "Nguyễn Văn A" of "UBND xã Bình Chương"
// (an individual's agency is the last OU; an organisation's is its O).
void certificateParams(const InventoryCertificate& item, AlertCondition& condition) {
  const Certificate& cert = item.certificate;
  condition.params["name"] = cert.common_name.empty() ? cert.subject : cert.common_name;
  condition.params["agency"] =
      cert.organizational_units.empty() ? cert.organization : cert.organizational_units.back();
  condition.params["not_after"] = formatIsoUtc(cert.not_after);
  condition.params["token"] = item.token_serial;
  condition.params["label"] = item.token_label;
}

// A newer certificate with the same subject on the same token replaces `item` (a renewal puts
// the new certificate beside the old, or in its place).
bool renewedOnItsToken(const InventoryCertificate& item,
                       const std::vector<const InventoryCertificate*>& on_token) {
  return std::any_of(on_token.begin(), on_token.end(), [&](const InventoryCertificate* other) {
    return other != &item && other->certificate.parsed() &&
           other->certificate.subject == item.certificate.subject &&
           other->certificate.not_after > item.certificate.not_after;
  });
}

// The smallest threshold at or above `days_left` (crossing 30 at 29 days left gives 30), or
// nothing while more days are left than the largest threshold.
std::optional<int> crossedThreshold(const std::vector<int>& sorted_thresholds, long days_left) {
  const auto it = std::lower_bound(sorted_thresholds.begin(), sorted_thresholds.end(), days_left);
  if (it == sorted_thresholds.end()) return std::nullopt;
  return *it;
}

}  // namespace

AlertCondition AlertCondition::about(AlertKind kind, std::string fingerprint,
                                     std::string token_serial, std::string module) {
  AlertCondition condition;
  condition.kind = kind;
  condition.fingerprint = std::move(fingerprint);
  condition.token_serial = std::move(token_serial);
  condition.module = std::move(module);
  return condition;
}

std::string AlertCondition::subject() const {
  if (!fingerprint.empty()) return fingerprint;
  if (!module.empty()) return "module:" + module;
  if (!token_serial.empty()) return "token:" + token_serial;
  return "";
}

AlertEvaluation evaluateAlerts(const AlertInputs& inputs, const AlertPolicy& policy,
                               TimePoint now) {
  AlertEvaluation out;
  out.evaluated = {
      AlertKind::CertificateExpiring, AlertKind::CertificateExpired,     AlertKind::RenewalDeadline,
      AlertKind::TokenPinCountLow,    AlertKind::TokenPinFinalTry,       AlertKind::TokenPinLocked,
      AlertKind::TokenNotSeen,        AlertKind::CertificateUnparseable, AlertKind::ModuleFailing};

  std::vector<int> thresholds = policy.expiry_thresholds;
  std::sort(thresholds.begin(), thresholds.end());

  std::unordered_map<std::string, bool> token_present;
  for (const auto& token : inputs.tokens) token_present[token.token.serial] = token.present;
  std::unordered_map<std::string, std::vector<const InventoryCertificate*>> by_token;
  for (const auto& item : inputs.certificates) by_token[item.token_serial].push_back(&item);

  for (const auto& item : inputs.certificates) {
    const Certificate& cert = item.certificate;
    const auto token = token_present.find(item.token_serial);
    const bool token_plugged = token != token_present.end() && token->second;
    if (!cert.parsed()) {
      if (item.present) {
        auto condition = AlertCondition::about(AlertKind::CertificateUnparseable,
                                               cert.fingerprint_sha256, item.token_serial);
        condition.params = {{"token", item.token_serial},
                            {"label", item.token_label},
                            {"detail", cert.parse_error}};
        out.conditions.push_back(std::move(condition));
      }
      continue;
    }
    // Gone from a token that is plugged in: deleted, nobody will use it again.
    if (token_plugged && !item.present) continue;
    if (renewedOnItsToken(item, by_token[item.token_serial])) {
      out.settled.push_back({cert.fingerprint_sha256,
                             {AlertKind::CertificateExpiring, AlertKind::CertificateExpired,
                              AlertKind::RenewalDeadline},
                             "renewed"});
      continue;
    }
    const long days_left = cert.daysLeft(now);  // calendar days in Vietnam, as shown everywhere
    // Conditions carry the message's values; made only for the few certificates that have one.
    auto conditionOf = [&](AlertKind kind, int threshold) {
      auto condition = AlertCondition::about(kind, cert.fingerprint_sha256, item.token_serial);
      condition.threshold_days = threshold;
      certificateParams(item, condition);
      return condition;
    };
    if (now >= cert.not_after) {
      out.conditions.push_back(conditionOf(AlertKind::CertificateExpired, 0));
    } else if (const auto threshold = crossedThreshold(thresholds, days_left)) {
      out.conditions.push_back(conditionOf(AlertKind::CertificateExpiring, *threshold));
    }
    // The last day a renewal can be filed (the last day with `renewal_lead` days left, as the
    // request rules count them); warned `renewal_warning` before it and on the day.
    const TimePoint deadline = cert.not_after - policy.renewal_lead;
    const long to_deadline = days_left - long(policy.renewal_lead.count());
    if (to_deadline < 0) {
      out.settled.push_back(
          {cert.fingerprint_sha256, {AlertKind::RenewalDeadline}, "deadline_passed"});
    } else if (to_deadline <= policy.renewal_warning.count()) {
      auto renewal = conditionOf(AlertKind::RenewalDeadline,
                                 to_deadline == 0 ? 0 : int(policy.renewal_warning.count()));
      renewal.params["deadline"] = formatIsoUtc(deadline);
      out.conditions.push_back(std::move(renewal));
    }
  }

  for (const auto& item : inputs.tokens) {
    const Token& token = item.token;
    const auto params = [&] {
      return std::map<std::string, std::string>{{"token", token.serial}, {"label", token.label}};
    };
    std::optional<AlertKind> pin;
    if (token.pin_state == PinState::CountLow) pin = AlertKind::TokenPinCountLow;
    if (token.pin_state == PinState::FinalTry) pin = AlertKind::TokenPinFinalTry;
    if (token.pin_state == PinState::Locked) pin = AlertKind::TokenPinLocked;
    if (pin) {
      auto condition = AlertCondition::about(*pin, "", token.serial);
      condition.params = params();
      out.conditions.push_back(std::move(condition));
    }
    if (!item.present && now - item.last_seen >= policy.token_not_seen) {
      auto condition = AlertCondition::about(AlertKind::TokenNotSeen, "", token.serial);
      condition.threshold_days = int(policy.token_not_seen.count());
      condition.params = params();
      condition.params["last_seen"] = formatIsoUtc(item.last_seen);
      out.conditions.push_back(std::move(condition));
    }
  }

  for (const auto& module : inputs.modules) {
    if (module.outcome == "ok") continue;
    auto condition = AlertCondition::about(AlertKind::ModuleFailing, "", "", module.path);
    condition.params = {{"module", module.path},
                        {"outcome", module.outcome},
                        {"detail", module.detail.empty() ? module.outcome : module.detail},
                        {"since", formatIsoUtc(module.since)}};
    out.conditions.push_back(std::move(condition));
  }

  if (inputs.clock_offset) {
    out.evaluated.push_back(AlertKind::ClockOffset);
    if (std::chrono::abs(*inputs.clock_offset) > policy.clock_tolerance) {
      auto condition = AlertCondition::about(AlertKind::ClockOffset, "", "");
      condition.params = {{"offset_seconds", std::to_string(inputs.clock_offset->count())}};
      out.conditions.push_back(std::move(condition));
    }
  }

  if (inputs.enrolled) {
    out.evaluated.push_back(AlertKind::HubUnreachable);
    if (inputs.last_hub_contact && now - *inputs.last_hub_contact >= policy.hub_unreachable) {
      auto condition = AlertCondition::about(AlertKind::HubUnreachable, "", "");
      condition.threshold_days = int(policy.hub_unreachable.count());
      condition.params = {{"last_contact", formatIsoUtc(*inputs.last_hub_contact)}};
      out.conditions.push_back(std::move(condition));
    }
    out.evaluated.push_back(AlertKind::AgentCertificateExpiring);
    if (inputs.agent_certificate_not_after &&
        *inputs.agent_certificate_not_after - now <= policy.agent_certificate) {
      auto condition = AlertCondition::about(AlertKind::AgentCertificateExpiring, "", "");
      condition.threshold_days = int(policy.agent_certificate.count());
      condition.params = {{"not_after", formatIsoUtc(*inputs.agent_certificate_not_after)}};
      out.conditions.push_back(std::move(condition));
    }
  }
  return out;
}

void adviseOnRequests(AlertEvaluation& evaluation, const std::vector<Request>& requests,
                      const RequestPolicy& policy, TimePoint now) {
  const auto about_certificate = [](AlertKind kind) {
    return kind == AlertKind::CertificateExpiring || kind == AlertKind::CertificateExpired ||
           kind == AlertKind::RenewalDeadline;
  };
  std::unordered_map<std::string, const Request*> open;  // the latest open request per certificate
  std::unordered_map<std::string, int> renewals_done;
  std::unordered_map<std::string, const Request*> replaced;  // a renewal or new one completed
  for (const auto& request : requests) {
    if (request.fingerprint_sha256.empty() || request.kind == RequestKind::DeviceRecovery) continue;
    const std::string& fingerprint = request.fingerprint_sha256;
    if (request.state == RequestState::Completed) {
      if (request.kind == RequestKind::Renewal) ++renewals_done[fingerprint];
      if (request.kind == RequestKind::Renewal || request.kind == RequestKind::NewCertificate) {
        replaced[fingerprint] = &request;
      }
    } else if (!isTerminal(request.state) && request.state != RequestState::Draft) {
      auto& latest = open[fingerprint];
      if (!latest || latest->created_at < request.created_at) latest = &request;
    }
  }
  std::vector<AlertCondition> kept;
  kept.reserve(evaluation.conditions.size());
  for (auto& condition : evaluation.conditions) {
    if (!about_certificate(condition.kind)) {
      kept.push_back(std::move(condition));
      continue;
    }
    if (condition.kind == AlertKind::RenewalDeadline && replaced.contains(condition.fingerprint)) {
      continue;
    }
    auto& params = condition.params;
    const auto name_request = [&](const std::string& advice, const Request& request) {
      params["advice"] = advice;
      params["request_id"] = request.id;
      params["request_kind"] = std::string(toString(request.kind));
      params["request_filed_at"] = formatIsoUtc(request.created_at);
    };
    if (const auto found = open.find(condition.fingerprint); found != open.end()) {
      name_request("filed", *found->second);
    } else if (const auto done = replaced.find(condition.fingerprint); done != replaced.end()) {
      name_request("done", *done->second);  // the new certificate is yet to reach the token
    } else {
      const auto not_after = parseIsoUtc(params["not_after"]);
      const long days_left = not_after ? daysBetween(now, *not_after) : 0;
      const bool renewable =
          condition.kind != AlertKind::CertificateExpired &&
          renewalAllowed(policy, days_left, renewals_done[condition.fingerprint]);
      params["advice"] = renewable ? "renew" : "new";
      params["min_days"] = std::to_string(policy.renewal_min_days_left);
      params["max_renewals"] = std::to_string(policy.max_renewals);
    }
    kept.push_back(std::move(condition));
  }
  evaluation.conditions = std::move(kept);
  for (const auto& [fingerprint, request] : replaced) {
    evaluation.settled.push_back({fingerprint, {AlertKind::RenewalDeadline}, "request_completed"});
  }
}

}  // namespace cks
