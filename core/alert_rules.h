// The alert rules (docs/alerts.md): from what the agent knows at an instant — its inventory,
// its PKCS#11 modules, its contact with the hub — the conditions that hold now. A pure
// function; remembering what was already raised is the store's job (store/alerts.h).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/clock.h"
#include "core/inventory.h"
#include "core/request.h"
#include "core/request_rules.h"

namespace cks {

// A condition that holds now.
struct AlertCondition {
  // A condition of `kind` about a certificate, a token or a module (empty: not about one).
  [[nodiscard]] static AlertCondition about(AlertKind kind, std::string fingerprint,
                                            std::string token_serial, std::string module = "");

  AlertKind kind{};
  std::string fingerprint;   // certificate kinds
  std::string token_serial;  // token kinds; for certificate kinds, the token it is on
  std::string module;        // module_failing
  std::optional<int> threshold_days;
  std::map<std::string, std::string> params;  // the message's values (core/alert.h)

  // What the alert is about, without the threshold: the fingerprint, "token:SERIAL",
  // "module:PATH", or "" for the PC-wide kinds.
  [[nodiscard]] std::string subject() const;
};

// Alerts of `kinds` about certificate `fingerprint` are settled for good: `resolution` is
// "renewed" (a newer certificate with the same subject is on the same token) or
// "deadline_passed" (the last day to file its renewal is over).
struct SettledCertificate {
  std::string fingerprint;
  std::vector<AlertKind> kinds;
  std::string resolution;
};

struct ModuleHealth {
  std::string path;
  std::string outcome;  // "ok" | "failed" | "timeout"
  std::string detail;
  TimePoint since{};
};

struct AlertInputs {
  std::vector<InventoryCertificate> certificates;
  std::vector<InventoryToken> tokens;
  std::vector<ModuleHealth> modules;
  bool enrolled = false;
  std::optional<TimePoint> last_hub_contact;         // else the enrolment instant, when enrolled
  std::optional<std::chrono::seconds> clock_offset;  // hub − local, from the last answer
  // When the agent's own certificate for the hub expires, when enrolled and it can be read.
  std::optional<TimePoint> agent_certificate_not_after;
};

struct AlertEvaluation {
  std::vector<AlertCondition> conditions;
  std::vector<AlertKind> evaluated;  // kinds judged this time (others are left as they are)
  std::vector<SettledCertificate> settled;
};

// `now` is hub-corrected time when the offset is known (the caller adds it).
[[nodiscard]] AlertEvaluation evaluateAlerts(const AlertInputs& inputs, const AlertPolicy& policy,
                                             TimePoint now);

// What the officer should do about each certificate condition, from the requests filed
// (issue 12: an alert said "file a renewal" that the request rules then refused). Adds to the
// expiry and renewal-deadline conditions the param "advice":
//  - "filed": a request about the certificate is open; "request_id", "request_kind" and
//    "request_filed_at" name it, and the alert says so instead of asking again;
//  - "renew": renewalAllowed (core/request_rules.h) holds for it;
//  - "new": too late to renew, or renewed as often as allowed ("min_days" says the limit);
//  - "done": the province completed its renewal or replacement (the new certificate has not
//    reached the token yet).
// A certificate whose renewal or replacement the province completed has its renewal-deadline
// condition removed and settled ("request_completed").
void adviseOnRequests(AlertEvaluation& evaluation, const std::vector<Request>& requests,
                      const RequestPolicy& policy, TimePoint now);

}  // namespace cks
