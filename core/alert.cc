#include "core/alert.h"

#include <array>
#include <utility>

#include "core/labels.h"
#include "core/request.h"
#include "core/time_format.h"
#include "core/wire_names.h"
#include "core/working_days.h"

namespace cks {
namespace {

using wire::allOf;
using wire::nameOf;
using wire::valueOf;

constexpr std::array<std::pair<AlertKind, std::string_view>, 17> kKinds{{
    {AlertKind::CertificateExpiring, "certificate_expiring"},
    {AlertKind::CertificateExpired, "certificate_expired"},
    {AlertKind::RenewalDeadline, "renewal_deadline"},
    {AlertKind::TokenPinCountLow, "token_pin_count_low"},
    {AlertKind::TokenPinFinalTry, "token_pin_final_try"},
    {AlertKind::TokenPinLocked, "token_pin_locked"},
    {AlertKind::TokenNotSeen, "token_not_seen"},
    {AlertKind::CertificateUnparseable, "certificate_unparseable"},
    {AlertKind::ModuleFailing, "module_failing"},
    {AlertKind::ClockOffset, "clock_offset"},
    {AlertKind::HubUnreachable, "hub_unreachable"},
    {AlertKind::AgentCertificateExpiring, "agent_certificate_expiring"},
    {AlertKind::RequestRejected, "request_rejected"},
    {AlertKind::RequestCompleted, "request_completed"},
    {AlertKind::MergerPublished, "merger_published"},
    {AlertKind::StoreReplaced, "store_replaced"},
    {AlertKind::ReportDue, "report_due"},
}};

constexpr std::array<std::pair<Severity, std::string_view>, 3> kSeverities{{
    {Severity::Info, "info"},
    {Severity::Warning, "warning"},
    {Severity::Critical, "critical"},
}};

constexpr std::array<std::pair<AlertState, std::string_view>, 4> kStates{{
    {AlertState::Open, "open"},
    {AlertState::Acknowledged, "acknowledged"},
    {AlertState::Snoozed, "snoozed"},
    {AlertState::Resolved, "resolved"},
}};

std::string param(const AlertText& alert, const std::string& key) {
  const auto it = alert.params.find(key);
  return it == alert.params.end() ? std::string() : it->second;
}

// Days from `now` to the instant in params[key]; the threshold when the param is missing.
std::string daysTo(const AlertText& alert, const std::string& key, TimePoint now) {
  if (const auto at = parseIsoUtc(param(alert, key))) {
    return std::to_string(calendarDaysBetween(now, *at, vietnamTimeZone()));
  }
  return std::to_string(alert.threshold_days.value_or(0));
}

std::string dateOf(const AlertText& alert, const std::string& key) {
  if (const auto at = parseIsoUtc(param(alert, key))) {
    return formatLocalDate(*at, vietnamTimeZone());
  }
  return param(alert, key);
}

// "Nguyễn Văn A (UBND xã Bình Chương)", or the name alone when the agency is not known.
std::string holder(const AlertText& alert) {
  const std::string name = param(alert, "name");
  const std::string agency = param(alert, "agency");
  if (agency.empty() || agency == name) return name;
  return name + " (" + agency + ")";
}

// "Token 0A1B2C (Văn thư)", or the serial alone.
std::string tokenName(const AlertText& alert) {
  const std::string label = param(alert, "label");
  const std::string token = param(alert, "token");
  return label.empty() ? token : token + " (" + label + ")";
}

// "Gia hạn chứng thư số (3f2a9c1e)": the request's kind in words and the start of its id.
// What to do about a certificate, from the "advice" params (core/alert_rules.h:
// adviseOnRequests). Alerts stored before the advice existed say what they used to.
std::string advice(Language language, const AlertText& alert) {
  std::string what = param(alert, "advice");
  if (what.empty()) what = alert.kind == AlertKind::CertificateExpired ? "new" : "renew";
  if (what == "filed" || what == "done") {
    std::string kind = labelOfName(param(alert, "request_kind"), parseRequestKind, language);
    if (!kind.empty() && kind.front() >= 'A' && kind.front() <= 'Z') kind.front() += 'a' - 'A';
    const std::string id = param(alert, "request_id").substr(0, 8);
    if (what == "done") return message(language, "alert.advice.done", {kind, id});
    return message(language, "alert.advice.filed", {kind, dateOf(alert, "request_filed_at"), id});
  }
  if (what == "new") {
    if (alert.kind == AlertKind::CertificateExpired || param(alert, "min_days").empty()) {
      return message(language, "alert.advice.new_expired");
    }
    return message(language, "alert.advice.new",
                   {param(alert, "min_days"), param(alert, "max_renewals")});
  }
  return message(language, "alert.advice.renew");
}

std::string requestName(Language language, const AlertText& alert) {
  const std::string id = param(alert, "request_id").substr(0, 8);
  RequestKind kind{};
  // A kind this build does not know (or none): the id alone.
  if (!parseRequestKind(param(alert, "request_kind"), kind)) return id;
  const std::string words = label(kind, language);
  return id.empty() ? words : words + " (" + id + ")";
}

}  // namespace

std::string_view toString(AlertKind kind) { return nameOf(kKinds, kind); }
std::string_view toString(Severity severity) { return nameOf(kSeverities, severity); }
std::string_view toString(AlertState state) { return nameOf(kStates, state); }
bool parseAlertKind(std::string_view text, AlertKind& out) { return valueOf(kKinds, text, out); }
bool parseSeverity(std::string_view text, Severity& out) { return valueOf(kSeverities, text, out); }
bool parseAlertState(std::string_view text, AlertState& out) { return valueOf(kStates, text, out); }

std::vector<AlertKind> allAlertKinds() { return allOf(kKinds); }

bool raisedOncePerThreshold(AlertKind kind) {
  return kind == AlertKind::CertificateExpiring || kind == AlertKind::CertificateExpired ||
         kind == AlertKind::RenewalDeadline;
}

std::vector<std::string_view> restatedParams(AlertKind kind) {
  switch (kind) {
    case AlertKind::ReportDue:
      return {"deadline"};
    case AlertKind::CertificateExpiring:
    case AlertKind::CertificateExpired:
    case AlertKind::RenewalDeadline:
      return {"advice", "request_id"};  // a request filed or completed changes the advice
    default:
      return {};
  }
}

Severity alertSeverity(AlertKind kind, std::optional<int> threshold_days) {
  switch (kind) {
    case AlertKind::CertificateExpiring: {
      const int days = threshold_days.value_or(0);
      if (days <= 7) return Severity::Critical;
      return days >= 60 ? Severity::Info : Severity::Warning;
    }
    case AlertKind::RenewalDeadline:
      return threshold_days.value_or(0) <= 0 ? Severity::Critical : Severity::Warning;
    case AlertKind::CertificateExpired:
    case AlertKind::TokenPinFinalTry:
    case AlertKind::TokenPinLocked:
    case AlertKind::ModuleFailing:
    case AlertKind::StoreReplaced:
      return Severity::Critical;
    case AlertKind::TokenPinCountLow:
    case AlertKind::TokenNotSeen:
    case AlertKind::CertificateUnparseable:
    case AlertKind::ClockOffset:
    case AlertKind::HubUnreachable:
    case AlertKind::AgentCertificateExpiring:
    case AlertKind::RequestRejected:
    case AlertKind::MergerPublished:
    case AlertKind::ReportDue:
      return Severity::Warning;
    case AlertKind::RequestCompleted:
      return Severity::Info;
  }
  return Severity::Warning;
}

std::string alertMessage(Language language, const AlertText& alert, TimePoint now) {
  switch (alert.kind) {
    case AlertKind::CertificateExpiring:
      return message(language, "alert.certificate_expiring",
                     {holder(alert), daysTo(alert, "not_after", now), advice(language, alert)});
    case AlertKind::CertificateExpired:
      return message(language, "alert.certificate_expired",
                     {holder(alert), dateOf(alert, "not_after"), advice(language, alert)});
    case AlertKind::RenewalDeadline:
      if (const std::string a = param(alert, "advice"); a == "filed" || a == "done") {
        return message(language, "alert.renewal_deadline_handled",
                       {holder(alert), dateOf(alert, "deadline"), advice(language, alert)});
      }
      if (alert.threshold_days.value_or(0) <= 0) {
        return message(language, "alert.renewal_deadline_today",
                       {holder(alert), dateOf(alert, "not_after")});
      }
      return message(language, "alert.renewal_deadline",
                     {holder(alert), dateOf(alert, "deadline"), daysTo(alert, "deadline", now)});
    case AlertKind::TokenPinCountLow:
      return message(language, "alert.token_pin_count_low", {tokenName(alert)});
    case AlertKind::TokenPinFinalTry:
      return message(language, "alert.token_pin_final_try", {tokenName(alert)});
    case AlertKind::TokenPinLocked:
      return message(language, "alert.token_pin_locked", {tokenName(alert)});
    case AlertKind::TokenNotSeen:
      return message(language, "alert.token_not_seen",
                     {tokenName(alert), dateOf(alert, "last_seen"),
                      param(alert, "last_seen").empty()
                          ? std::to_string(alert.threshold_days.value_or(0))
                          : std::to_string(-std::stol(daysTo(alert, "last_seen", now)))});
    case AlertKind::CertificateUnparseable:
      // The parser's words (English, technical) stay in params and the log, not the sentence.
      return message(language, "alert.certificate_unparseable", {tokenName(alert)});
    case AlertKind::ModuleFailing:
      return message(
          language, "alert.module_failing",
          {param(alert, "module"), message(language, param(alert, "outcome") == "timeout"
                                                         ? "alert.module_failing.timeout"
                                                         : "alert.module_failing.failed")});
    case AlertKind::ClockOffset:
      return message(language, "alert.clock_offset", {param(alert, "offset_seconds")});
    case AlertKind::HubUnreachable:
      return message(language, "alert.hub_unreachable",
                     {param(alert, "last_contact").empty() ? param(alert, "days")
                                                           : dateOf(alert, "last_contact"),
                      std::to_string(alert.threshold_days.value_or(0))});
    case AlertKind::AgentCertificateExpiring:
      return message(language, "alert.agent_certificate_expiring",
                     {dateOf(alert, "not_after"), daysTo(alert, "not_after", now)});
    case AlertKind::RequestRejected:
      return message(language, "alert.request_rejected",
                     {requestName(language, alert), param(alert, "reason")});
    case AlertKind::RequestCompleted:
      return message(language, "alert.request_completed", {requestName(language, alert)});
    case AlertKind::MergerPublished:
      return message(language, "alert.merger_published",
                     {param(alert, "from"), param(alert, "into")});
    case AlertKind::StoreReplaced:
      return message(language, "alert.store_replaced", {param(alert, "kept_as")});
    case AlertKind::ReportDue: {
      const auto deadline = parseDate(param(alert, "deadline"));
      return message(language, "alert.report_due",
                     {param(alert, "year"), deadline ? formatVietnameseDate(TimePoint(*deadline))
                                                     : param(alert, "deadline")});
    }
  }
  return std::string(toString(alert.kind));
}

AlertState alertStateAt(AlertState state, std::optional<TimePoint> snoozed_until, TimePoint now) {
  if (state == AlertState::Snoozed && snoozed_until && *snoozed_until <= now) {
    return AlertState::Open;
  }
  return state;
}

}  // namespace cks
