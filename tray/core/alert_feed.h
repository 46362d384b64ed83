// What cks-tray reads from the agent's local API (docs/alerts.md): alert objects, the answer of
// GET /v1/alerts and of GET /v1/events, decoded from their JSON wire format. Only the fields the
// tray shows or needs are kept. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cks::tray {

enum class AlertSeverity { Info, Warning, Critical };
enum class AlertStatus { Open, Acknowledged, Snoozed, Resolved };

struct TrayAlert {
  std::int64_t id = 0;  // the agent's number, for POST /v1/alerts/ID/ack
  std::string uuid;     // identifies the alert for ever (what "already shown" remembers)
  std::string kind;     // certificate_expiring, token_pin_locked, …
  AlertSeverity severity = AlertSeverity::Info;
  AlertStatus status = AlertStatus::Open;
  std::optional<int> threshold_days;
  std::string message;  // the sentence to show, already in the requested language
  std::string raised_at;
};

struct AlertEvent {
  std::int64_t seq = 0;
  std::string type;  // alert_raised | alert_changed
  TrayAlert alert;   // the alert's state as of the answer
};

struct EventBatch {
  std::int64_t cursor = 0;
  std::vector<AlertEvent> events;
};

// One alert object; an error naming the missing or malformed field.
[[nodiscard]] Result<TrayAlert> parseAlert(std::string_view json);
// The body of GET /v1/alerts: an array of alert objects.
[[nodiscard]] Result<std::vector<TrayAlert>> parseAlertList(std::string_view json);
// The body of GET /v1/events: {"cursor": N, "events": [...]}.
[[nodiscard]] Result<EventBatch> parseEventBatch(std::string_view json);

// Wire names: "info|warning|critical", "open|acknowledged|snoozed|resolved".
[[nodiscard]] std::string_view toString(AlertSeverity severity);
[[nodiscard]] std::string_view toString(AlertStatus status);

}  // namespace cks::tray
