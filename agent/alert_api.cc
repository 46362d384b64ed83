#include "agent/alert_api.h"

#include <Poco/JSON/Parser.h>

#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"

namespace cks::agent {

using sync::stringify;

Poco::JSON::Object::Ptr alertJson(const store::AlertRecord& alert, Language language,
                                  TimePoint now) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto optional = [](const std::string& value) {
    return value.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(value);
  };
  o->set("id", alert.id);
  o->set("kind", std::string(toString(alert.kind)));
  o->set("severity", std::string(toString(alert.severity)));
  o->set("fingerprint_sha256", optional(alert.fingerprint));
  o->set("token_serial", optional(alert.token_serial));
  o->set("threshold_days",
         alert.threshold_days ? Poco::Dynamic::Var(*alert.threshold_days) : Poco::Dynamic::Var());
  o->set("message", alertMessage(language, alert.text(), now));
  o->set("raised_at", formatIsoUtc(alert.raised_at));
  o->set("state", std::string(toString(alert.state)));
  o->set("uuid", alert.uuid);
  o->set("module", optional(alert.module));
  o->set("changed_at", formatIsoUtc(alert.changed_at));
  o->set("snoozed_until", alert.snoozed_until
                              ? Poco::Dynamic::Var(formatIsoUtc(*alert.snoozed_until))
                              : Poco::Dynamic::Var());
  o->set("resolution", optional(alert.resolution));
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
  for (const auto& [key, value] : alert.params) params->set(key, value);
  o->set("params", params);
  return o;
}

ApiReply AlertApi::list(bool all, bool unresolved, Language language) {
  const TimePoint now = context_.alerts.correctedNow();
  auto list = context_.alerts.alerts().list(all, now);
  if (!list) return storeError(list.error());
  Poco::JSON::Array out;
  for (const auto& alert : *list) {
    if (!all && !unresolved && alert.state != AlertState::Open) continue;
    out.add(alertJson(alert, language, now));
  }
  return {200, stringify(out)};
}

ApiReply AlertApi::acknowledge(std::int64_t id, Language language) {
  return change(id, std::nullopt, language);
}

ApiReply AlertApi::snooze(std::int64_t id, const std::string& body, Language language) {
  int days = 0;
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    days = o->optValue<int>("days", 0);
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText() + " (expected {\"days\": N})");
  }
  if (days < 1 || days > 365) {
    return apiError(400, "bad_request", "days: expected a number of days from 1 to 365");
  }
  return change(id, context_.alerts.correctedNow() + std::chrono::days(days), language);
}

ApiReply AlertApi::change(std::int64_t id, std::optional<TimePoint> until, Language language) {
  const TimePoint now = context_.alerts.correctedNow();
  auto& store = context_.alerts.alerts();
  auto changed = until ? store.snooze(id, *until, now) : store.acknowledge(id, now);
  if (!changed && changed.error().code == ErrorCode::FailedPrecondition) {
    return apiError(httpStatus(changed.error().code), "resolved", changed.error().message);
  }
  if (!changed) return storeError(changed.error());  // busy or locked store: 503, try again
  if (!*changed) {
    return apiError(404, "not_found",
                    "no alert " + std::to_string(id) + " (see GET /v1/alerts?all=1)");
  }
  context_.alerts.eventsWritten();
  context_.hub.changed();
  return {200, stringify(alertJson(**changed, language, now))};
}

ApiReply AlertApi::events(std::optional<std::int64_t> after, int wait_seconds, Language language) {
  auto& store = context_.alerts.alerts();
  auto last = store.lastEventSeq();
  if (!last) return storeError(last.error());
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array list;
  if (after) {
    // A cursor from before the store was replaced: everything from the start.
    if (*after > *last) after = 0;
    if (*after == *last && wait_seconds > 0 && !context_.stopping) {
      (void)context_.alerts.waitForEvents(*after, std::chrono::seconds(wait_seconds));
    }
    const TimePoint now = context_.alerts.correctedNow();
    auto events = store.eventsAfter(*after, 500, now);
    if (!events) return storeError(events.error());
    for (const auto& event : *events) {
      Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      e->set("seq", event.seq);
      e->set("type", event.type);
      e->set("at", formatIsoUtc(event.at));
      e->set("alert", alertJson(event.alert, language, now));
      list.add(e);
    }
    o.set("cursor", events->empty() ? *after : events->back().seq);
  } else {
    o.set("cursor", *last);
  }
  o.set("events", list);
  return {200, stringify(o)};
}

Poco::JSON::Object::Ptr AlertApi::counts() {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const TimePoint now = context_.alerts.correctedNow();
  auto open = context_.alerts.alerts().list(false, now);
  int counts[3] = {0, 0, 0};
  if (open) {
    for (const auto& alert : *open) {
      if (alert.state == AlertState::Open) ++counts[int(alert.severity)];
    }
  }
  o->set("open", counts[0] + counts[1] + counts[2]);
  o->set("critical", counts[int(Severity::Critical)]);
  o->set("warning", counts[int(Severity::Warning)]);
  o->set("info", counts[int(Severity::Info)]);
  const auto evaluated = context_.alerts.lastEvaluated();
  o->set("evaluated_at",
         evaluated ? Poco::Dynamic::Var(formatIsoUtc(*evaluated)) : Poco::Dynamic::Var());
  return o;
}

}  // namespace cks::agent
