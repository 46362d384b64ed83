// Alerts: what a person at the agency must act on (docs/alerts.md). The kinds, their
// severities, the policy that says when they fire, and their text from the one message
// catalogue. Shared by the agent (which raises them), the hub (which shows every agency's) and
// cks-tray (which pops them up). No I/O.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/messages.h"

namespace cks {

enum class AlertKind {
  CertificateExpiring,
  CertificateExpired,
  RenewalDeadline,
  TokenPinCountLow,
  TokenPinFinalTry,
  TokenPinLocked,
  TokenNotSeen,
  CertificateUnparseable,
  ModuleFailing,
  ClockOffset,
  HubUnreachable,
  // The agent's own certificate for the hub nears its end and has not been renewed (issue 15,
  // finding 2): the hub will refuse this PC once it expires.
  AgentCertificateExpiring,
  // Raised by the agent's store when the province's feed says so (no rule evaluates them).
  RequestRejected,
  RequestCompleted,
  MergerPublished,  // the province announced a merger of this unit (seed 004)
  // The agent found its store damaged at start, kept it aside and began a new one (issue 15).
  StoreReplaced,
  // The yearly report is due and not submitted (issue 6): from the reminder date until it is.
  ReportDue,
};

enum class Severity { Info, Warning, Critical };

enum class AlertState { Open, Acknowledged, Snoozed, Resolved };

// The state of an alert at `now`: a snoozed alert whose snooze has run out is open again
// (docs/alerts.md) without anyone writing it down, so each reader judges it at its own time.
[[nodiscard]] AlertState alertStateAt(AlertState state, std::optional<TimePoint> snoozed_until,
                                      TimePoint now);

// Wire names ("certificate_expiring", "warning", "open", …) and back; false for an unknown name.
[[nodiscard]] std::string_view toString(AlertKind kind);
[[nodiscard]] std::string_view toString(Severity severity);
[[nodiscard]] std::string_view toString(AlertState state);
[[nodiscard]] bool parseAlertKind(std::string_view text, AlertKind& out);
[[nodiscard]] bool parseSeverity(std::string_view text, Severity& out);
[[nodiscard]] bool parseAlertState(std::string_view text, AlertState& out);
[[nodiscard]] std::vector<AlertKind> allAlertKinds();

// Raised at most once per (kind, subject, threshold) for ever; the other kinds follow a
// condition and may be raised again after they resolved.
[[nodiscard]] bool raisedOncePerThreshold(AlertKind kind);

// The params whose change restates an open alert in place (same alert, new values, journalled to
// the hub): for report_due the deadline, which the province may move after the reminder opened.
[[nodiscard]] std::vector<std::string_view> restatedParams(AlertKind kind);

// When alerts fire ([alerts] in agent.ini; defaults from DOMAIN.md).
struct AlertPolicy {
  std::vector<int> expiry_thresholds{90, 60, 30, 14, 7, 3, 1};  // days left, any order
  std::chrono::days renewal_lead{60};     // a renewal must be filed this long before expiry
  std::chrono::days renewal_warning{14};  // warn this long before that last day
  std::chrono::days token_not_seen{180};
  std::chrono::seconds clock_tolerance{300};
  std::chrono::days hub_unreachable{3};
  // The agent renews its certificate from [hub] renew_before (90 days) on: this is left only
  // when that keeps failing.
  std::chrono::days agent_certificate{30};
};

// The severity of an alert of `kind` at `threshold_days` (expiry: by days left).
[[nodiscard]] Severity alertSeverity(AlertKind kind, std::optional<int> threshold_days);

// What an alert is made of, enough to say it in words on the agent, the hub or the tray.
// `params` holds the values its message uses: "name" (the certificate's holder), "agency",
// "not_after", "deadline", "token", "label", "last_seen", "module", "detail", "offset_seconds",
// "last_contact", "days"; for agent_certificate_expiring "not_after"; for the request kinds
// "request_id", "request_kind" (wire name) and "reason"; for report_due "year" and "deadline"
// (YYYY-MM-DD).
struct AlertText {
  AlertKind kind{};
  std::optional<int> threshold_days;
  std::map<std::string, std::string> params;
};

// The alert's sentence in `language`, e.g. "Chứng thư số của Nguyễn Văn A (UBND xã Bình
// Chương) hết hạn sau 30 ngày — cần lập đề nghị gia hạn". Days are counted from `now` to
// "not_after" or "deadline" when the params carry them (calendar days in Vietnam, as days_left
// everywhere), and dates are Vietnam dates, so
// the text stays true as time passes.
[[nodiscard]] std::string alertMessage(Language language, const AlertText& alert, TimePoint now);

}  // namespace cks
