// An alert as an agent pushes it (entry kinds alert_raised and alert_changed, docs/alerts.md
// "Sync"): the alert's whole current state. The agent's store encodes it; the hub decodes it
// field by field so that a bad body is refused with its path ("entries[3].body.alert.kind:
// unknown alert kind \"x\"") before anything is stored. Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>

#include "core/alert.h"
#include "core/clock.h"
#include "core/result.h"

namespace cks::sync {

struct AlertChange {
  std::string uuid;  // the agent's id of the alert, stable across its changes
  AlertKind kind{};
  Severity severity{};
  AlertState state{};
  std::optional<std::string> fingerprint;  // lowercase hex SHA-256; certificate kinds
  std::optional<std::string> token_serial;
  std::optional<std::string> module;  // module_failing
  std::optional<int> threshold_days;
  TimePoint raised_at{};
  TimePoint changed_at{};
  std::optional<TimePoint> snoozed_until;
  std::optional<std::string> resolution;      // renewed | superseded | cleared | deadline_passed
  std::map<std::string, std::string> params;  // the values its message is made of

  [[nodiscard]] AlertText text() const { return AlertText{kind, threshold_days, params}; }
};

// {"alert": {…}}: every field in the order of docs/alerts.md, null for what does not apply.
[[nodiscard]] std::string encodeBody(const AlertChange& alert);

// Reads {"alert": {…}} from an entry's `body`; `path` names the body in messages
// ("entries[3].body"). Kind, severity and state must be wire names core/alert.h knows; absent
// and null optional fields mean "does not apply".
[[nodiscard]] Result<AlertChange> readAlertChange(const Poco::JSON::Object::Ptr& body,
                                                  const std::string& path);

}  // namespace cks::sync
