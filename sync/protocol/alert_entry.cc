#include "sync/protocol/alert_entry.h"

#include <sstream>

#include "core/time_format.h"
#include "sync/protocol/internal/body_reader.h"

namespace cks::sync {
namespace {

// Days before or after a certificate's expiry: a century either way is already nonsense.
constexpr std::int64_t kThresholdLimit = 36500;

bool isLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string encodeBody(const AlertChange& alert) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  object->set("uuid", alert.uuid);
  object->set("kind", std::string(toString(alert.kind)));
  object->set("severity", std::string(toString(alert.severity)));
  object->set("state", std::string(toString(alert.state)));
  auto optional = [&](const char* key, const std::optional<std::string>& value) {
    object->set(key, value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var());
  };
  optional("fingerprint_sha256", alert.fingerprint);
  optional("token_serial", alert.token_serial);
  optional("module", alert.module);
  object->set("threshold_days", alert.threshold_days ? Poco::Dynamic::Var(*alert.threshold_days)
                                                     : Poco::Dynamic::Var());
  object->set("raised_at", formatIsoUtc(alert.raised_at));
  object->set("changed_at", formatIsoUtc(alert.changed_at));
  optional("snoozed_until", alert.snoozed_until
                                ? std::optional<std::string>(formatIsoUtc(*alert.snoozed_until))
                                : std::nullopt);
  optional("resolution", alert.resolution);
  Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
  for (const auto& [key, value] : alert.params) params->set(key, value);
  object->set("params", params);
  Poco::JSON::Object body;
  body.set("alert", object);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

Result<AlertChange> readAlertChange(const Poco::JSON::Object::Ptr& body, const std::string& path) {
  std::string error;
  internal::BodyReader reader(body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object), path,
                              error);
  AlertChange alert;
  auto fields = reader.object("alert");
  if (!fields) return fail(error);
  internal::BodyReader& a = *fields;

  alert.uuid = a.requiredString("uuid");
  if (!a.failed() && alert.uuid.empty()) a.problem("uuid", "must not be empty");
  const std::string kind = a.requiredString("kind");
  if (!a.failed() && !parseAlertKind(kind, alert.kind)) {
    a.problem("kind", "unknown alert kind \"" + kind + "\"");
  }
  const std::string severity = a.requiredString("severity");
  if (!a.failed() && !parseSeverity(severity, alert.severity)) {
    a.problem("severity", "unknown severity \"" + severity + "\" (info, warning or critical)");
  }
  const std::string state = a.requiredString("state");
  if (!a.failed() && !parseAlertState(state, alert.state)) {
    a.problem("state",
              "unknown alert state \"" + state + "\" (open, acknowledged, snoozed or resolved)");
  }
  alert.fingerprint = a.string("fingerprint_sha256", false);
  if (!a.failed() && alert.fingerprint &&
      (alert.fingerprint->size() != 64 || !isLowerHex(*alert.fingerprint))) {
    a.problem("fingerprint_sha256", "expected 64 lowercase hex digits");
  }
  alert.token_serial = a.string("token_serial", false);
  alert.module = a.string("module", false);
  if (const auto days = a.integer("threshold_days", false, -kThresholdLimit, kThresholdLimit)) {
    alert.threshold_days = int(*days);
  }
  alert.raised_at = a.time("raised_at");
  alert.changed_at = a.time("changed_at");
  alert.snoozed_until = a.optionalTime("snoozed_until", false);
  alert.resolution = a.string("resolution", false);
  alert.params = a.strings("params");
  if (!error.empty()) return fail(error);
  return alert;
}

}  // namespace cks::sync
