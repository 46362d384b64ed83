// The rules a request must meet before it is queued (docs/requests.md): renewal window and
// count, the Art. 15 change cases and their new values, recovery of locked tokens, the personal
// data of a new certificate; which body handles each kind under the province's delegation; how
// many working days each kind has. Pure functions of what the caller hands in, no I/O. Every
// refusal names the field or value at fault, in words from the one message catalogue.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/certificate.h"
#include "core/clock.h"
#include "core/request.h"
#include "core/result.h"
#include "core/token.h"
#include "core/working_days.h"

namespace cks {

// What the province configures. The renewal limits are not confirmed for Decree 68
// (DOMAIN.md), so they are defaults, never law.
struct RequestPolicy {
  int renewal_min_days_left = 60;  // a renewal is filed while at least this many days are left
  int max_renewals = 1;            // renewals allowed per certificate
  // An official e-mail must be at one of these domains or below them; empty accepts any
  // well-formed address. Public schools and hospitals use edu.vn as well as gov.vn.
  std::vector<std::string> official_email_domains{"gov.vn", "edu.vn"};
  int recovery_working_days = 1;    // USB-token recovery at the Sở (seed 003 Art. 15(2)(b))
  int processing_working_days = 3;  // every other request (the Cục's 3 days for a new one)
  int handover_working_days = 5;    // a revoked certificate's device goes back within this
};

// Whether a certificate with `days_left` days left and `renewals_done` completed renewals may
// still be renewed; otherwise only a new certificate replaces it. The one rule behind both a
// renewal's validation (request.renewal_too_late, request.renewal_limit) and the advice that
// expiry alerts give (core/alert_rules.h: adviseOnRequests).
[[nodiscard]] bool renewalAllowed(const RequestPolicy& policy, long days_left, int renewals_done);

// What the inventory knows about a request's subject, looked up by the caller.
struct RequestFacts {
  std::optional<Certificate> certificate;  // for renewal, change and revocation
  int renewals_done = 0;                   // completed renewals of that certificate
  std::optional<Token> token;              // for recovery
  bool token_unusable = false;             // the officer reports the token broken, not locked
};

// Every reason `request` cannot be filed at `now`; empty when it can. Checks, by kind:
//  - new certificate: the subscriber kind and its required fields, well-formed values;
//  - renewal: a known, readable certificate, valid at `now`, with at least
//    `renewal_min_days_left` days left and fewer than `max_renewals` renewals done;
//  - change: a known certificate, a listed Art. 15 case that fits its subscriber kind, and the
//    case's new values;
//  - revocation: a known certificate and a reason;
//  - recovery: a known token that is PIN-locked or reported unusable.
// Fields a kind does not use are refused too, so a mistyped --set is not silently dropped.
[[nodiscard]] std::vector<Refusal> validateRequest(const Request& request,
                                                   const RequestFacts& facts,
                                                   const RequestPolicy& policy, TimePoint now);

// The fields `request` must carry (for a change, those of its case), and those it may carry.
[[nodiscard]] std::vector<std::string_view> requiredFields(const Request& request);
[[nodiscard]] std::vector<std::string_view> optionalFields(const Request& request);

// Value checks, also used on their own by forms and the CLI.
// A 12-digit personal identification number (the number on the chip-based citizen ID card).
[[nodiscard]] bool isPersonalIdNumber(std::string_view text);
// local@domain with a dotted domain; no quoted or IP-literal forms.
[[nodiscard]] bool isWellFormedEmail(std::string_view text);
// A Vietnamese mobile (0 + 9 digits, 3/5/7/8/9 after the 0) or landline (02 + 9 digits)
// number; "+84" for the leading 0 and spaces, dots, hyphens and brackets are accepted.
[[nodiscard]] bool isVietnamesePhone(std::string_view text);

// A province's delegation to its Sở KH&CN (Decree 68 Art. 34(1) b–đ; seed 000: renewal, change
// of information and token recovery, for five years or until 31/12/2025). Dates are Vietnam
// calendar days, both inclusive; no `until` means until revoked.
struct Delegation {
  std::vector<RequestKind> kinds;
  Date from;
  std::optional<Date> until;
  std::string decision;  // the decision that grants it, e.g. "Quyết định số 512/QĐ-UBND"
};

// Parses "renewal,change_of_information,device_recovery 2025-07-01..2030-06-30 [decision]"
// (also "2025-07-01.." for no end); the error says which part is wrong.
[[nodiscard]] Result<Delegation> parseDelegation(std::string_view text);

// The delegation seed 000 asks the province for: renewal, change of information and token
// recovery by the Sở KH&CN for five years from 1 July 2025. A default, not law: each province
// writes the dates of its own decision in [requests] delegation of agent.ini and hub.ini. One
// definition, so that the agent and the hub route alike when neither file says otherwise.
[[nodiscard]] std::vector<Delegation> defaultDelegations();

// Who handles a request of `kind` filed at `at`: the province while a delegation covering the
// kind is in force on that Vietnam day, otherwise the provider. Recovery of anything but a USB
// token always goes to the provider (seed 003 Art. 15(3)).
[[nodiscard]] HandledBy route(RequestKind kind, bool usb_token,
                              const std::vector<Delegation>& delegations, TimePoint at);

// The working days the handler has for a request: recovery of a USB token 1, the others 3.
[[nodiscard]] int processingWorkingDays(RequestKind kind, bool usb_token,
                                        const RequestPolicy& policy);

}  // namespace cks
