#include "tray/core/alert_feed.h"

#include "tray/core/json_value.h"

namespace cks::tray {
namespace {

Result<TrayAlert> alertFrom(const JsonValue& object) {
  if (!object.isObject()) return fail("alert: not a JSON object");
  TrayAlert alert;
  const auto id = object["id"].asInt();
  const auto uuid = object["uuid"].asString();
  const auto kind = object["kind"].asString();
  const auto severity = object["severity"].asString();
  const auto state = object["state"].asString();
  const auto text = object["message"].asString();
  if (!id) return fail("alert: missing or bad \"id\"");
  if (!uuid || uuid->empty()) return fail("alert ", std::to_string(*id), ": missing \"uuid\"");
  if (!kind) return fail("alert ", std::to_string(*id), ": missing \"kind\"");
  if (!text) return fail("alert ", std::to_string(*id), ": missing \"message\"");
  alert.id = *id;
  alert.uuid = *uuid;
  alert.kind = *kind;
  alert.message = *text;
  if (severity == "critical") {
    alert.severity = AlertSeverity::Critical;
  } else if (severity == "warning") {
    alert.severity = AlertSeverity::Warning;
  } else if (severity == "info") {
    alert.severity = AlertSeverity::Info;
  } else {
    return fail("alert ", std::to_string(*id), ": bad \"severity\"");
  }
  if (state == "open") {
    alert.status = AlertStatus::Open;
  } else if (state == "acknowledged") {
    alert.status = AlertStatus::Acknowledged;
  } else if (state == "snoozed") {
    alert.status = AlertStatus::Snoozed;
  } else if (state == "resolved") {
    alert.status = AlertStatus::Resolved;
  } else {
    return fail("alert ", std::to_string(*id), ": bad \"state\"");
  }
  if (const auto days = object["threshold_days"].asInt()) alert.threshold_days = int(*days);
  alert.raised_at = object["raised_at"].asString().value_or("");
  return alert;
}

}  // namespace

Result<TrayAlert> parseAlert(std::string_view json) {
  auto value = JsonValue::parse(json);
  if (!value) return tl::unexpected(value.error());
  return alertFrom(*value);
}

Result<std::vector<TrayAlert>> parseAlertList(std::string_view json) {
  auto value = JsonValue::parse(json);
  if (!value) return tl::unexpected(value.error().wrap("alerts"));
  if (!value->isArray()) return fail("alerts: not a JSON array");
  std::vector<TrayAlert> alerts;
  for (const auto& item : value->items()) {
    auto alert = alertFrom(item);
    if (!alert) return tl::unexpected(alert.error().wrap("alerts"));
    alerts.push_back(std::move(*alert));
  }
  return alerts;
}

Result<EventBatch> parseEventBatch(std::string_view json) {
  auto value = JsonValue::parse(json);
  if (!value) return tl::unexpected(value.error().wrap("events"));
  const auto cursor = (*value)["cursor"].asInt();
  if (!cursor) return fail("events: missing or bad \"cursor\"");
  EventBatch batch;
  batch.cursor = *cursor;
  for (const auto& item : (*value)["events"].items()) {
    AlertEvent event;
    const auto seq = item["seq"].asInt();
    if (!seq) return fail("events: an event without \"seq\"");
    event.seq = *seq;
    event.type = item["type"].asString().value_or("");
    auto alert = alertFrom(item["alert"]);
    if (!alert) return tl::unexpected(alert.error().wrap("events"));
    event.alert = std::move(*alert);
    batch.events.push_back(std::move(event));
  }
  return batch;
}

std::string_view toString(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Info:
      return "info";
    case AlertSeverity::Warning:
      return "warning";
    case AlertSeverity::Critical:
      return "critical";
  }
  return "info";
}

std::string_view toString(AlertStatus status) {
  switch (status) {
    case AlertStatus::Open:
      return "open";
    case AlertStatus::Acknowledged:
      return "acknowledged";
    case AlertStatus::Snoozed:
      return "snoozed";
    case AlertStatus::Resolved:
      return "resolved";
  }
  return "open";
}

}  // namespace cks::tray
