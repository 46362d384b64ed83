#include "hub/alert_change.h"

#include "hub/internal/body_reader.h"

namespace cks::hub {
namespace {

// Days before or after a certificate's expiry: a century either way is already nonsense.
constexpr std::int64_t kThresholdLimit = 36500;

bool isLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

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

}  // namespace cks::hub
