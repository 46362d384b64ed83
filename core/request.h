// Lifecycle requests under Decree 68/2024/NĐ-CP (docs/requests.md): the five kinds an agency
// files (new certificate, renewal, change of information, revocation, token recovery), the form
// each one is, the one state machine both the agent and the hub follow, and the conflict rules
// between requests for the same certificate. Plain values and pure functions, no I/O; refusals
// are message keys of the one catalogue, put into words by the caller in its user's language.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/messages.h"
#include "core/subscriber_kind.h"

namespace cks {

enum class RequestKind { NewCertificate, Renewal, ChangeOfInformation, Revocation, DeviceRecovery };

// draft → queued → submitted → received → in_progress | forwarded_to_provider → completed |
// rejected; cancelled from draft, queued or submitted (never once the province has it).
enum class RequestState {
  Draft,
  Queued,
  Submitted,
  Received,
  InProgress,
  ForwardedToProvider,
  Completed,
  Rejected,
  Cancelled,
};

// Who handles a request: the province's Sở KH&CN under delegation, or the Cục CTS&BMTT.
enum class HandledBy { Province, Provider };

// The forms of the Decree's appendix ("Mẫu số"). 01–06 are requests; 08 (the record of a
// device handed back) and 09 (the record of a lost device) follow a revocation.
enum class Form {
  NewIndividual,    // 01
  NewOrganization,  // 02
  NewDevice,        // 03
  RenewalOrChange,  // 04
  Revocation,       // 05
  DeviceRecovery,   // 06
  DeviceHandover,   // 08
  LostDevice,       // 09
};

// The cases of Decree 68 Art. 15 in which a certificate's information may be changed.
enum class ChangeCase {
  IndividualAgency,     // 1(a) the holder works at another agency or organisation
  IndividualEmail,      // 1(b) the holder's official e-mail changed
  OrganizationName,     // 2    the organisation was renamed
  OrganizationAddress,  // 2    the organisation moved (its operating address changed)
  DeviceName,           // 3    the device, service or software was renamed
  DeviceUpgrade,        // 3    it was upgraded to a new version or gained features
};

// Why a certificate is revoked (DOMAIN.md, the revocation row).
enum class RevocationReason {
  KeyCompromised,  // the private key was exposed, or is suspected to be
  DeviceLost,
  DeviceDamaged,
  HolderLeft,       // the holder left the public sector
  UnitReorganized,  // the unit was merged or dissolved (the 2025 mergers, seed 004)
  NoLongerNeeded,
};

// Wire names and back; parse* return false for an unknown name and leave `out` alone.
// kinds: new_certificate | renewal | change_of_information | revocation | device_recovery
// states: draft | queued | submitted | received | in_progress | forwarded_to_provider |
//         completed | rejected | cancelled
// handled_by: province | provider;  forms: "01".."06", "08", "09"
// change cases: individual_agency | individual_email | organization_name |
//               organization_address | device_name | device_upgrade
// revocation reasons: key_compromised | device_lost | device_damaged | holder_left |
//                     unit_reorganized | no_longer_needed
[[nodiscard]] std::string_view toString(RequestKind kind);
[[nodiscard]] std::string_view toString(RequestState state);
[[nodiscard]] std::string_view toString(HandledBy handled_by);
[[nodiscard]] std::string_view toString(Form form);
[[nodiscard]] std::string_view toString(ChangeCase change_case);
[[nodiscard]] std::string_view toString(RevocationReason reason);
[[nodiscard]] bool parseRequestKind(std::string_view text, RequestKind& out);
[[nodiscard]] bool parseRequestState(std::string_view text, RequestState& out);
[[nodiscard]] bool parseHandledBy(std::string_view text, HandledBy& out);
[[nodiscard]] bool parseForm(std::string_view text, Form& out);
[[nodiscard]] bool parseChangeCase(std::string_view text, ChangeCase& out);
[[nodiscard]] bool parseRevocationReason(std::string_view text, RevocationReason& out);
[[nodiscard]] std::vector<RequestKind> allRequestKinds();
[[nodiscard]] std::vector<RequestState> allRequestStates();
[[nodiscard]] std::vector<ChangeCase> allChangeCases();
[[nodiscard]] std::vector<RevocationReason> allRevocationReasons();

// The subscriber kind whose certificates a change case applies to (Art. 15 clauses 1, 2, 3).
[[nodiscard]] SubscriberKind subscriberOf(ChangeCase change_case);

// A request, as the agent stores it and the hub receives it. Which fields matter depends on the
// kind: `subscriber` and `fields` for a new certificate; `fingerprint_sha256` for renewal,
// change and revocation; `change_case` and `fields` (the new values) for a change;
// `revocation_reason` for a revocation; `token_serial` for a recovery.
struct Request {
  std::string id;  // the same on the agent and the hub (made by the agent)
  RequestKind kind = RequestKind::NewCertificate;
  RequestState state = RequestState::Draft;
  SubscriberKind subscriber = SubscriberKind::Unknown;
  std::string fingerprint_sha256;
  std::string token_serial;
  std::optional<ChangeCase> change_case;
  std::optional<RevocationReason> revocation_reason;
  std::map<std::string, std::string> fields;  // FIELD=VALUE as filed ("full_name", "email", …)
  HandledBy handled_by = HandledBy::Provider;
  TimePoint created_at{};
  std::optional<TimePoint> received_at;  // when the province received it (starts the deadline)
  std::string reason;                    // why it was rejected or cancelled
};

// The form a request is filed on: 01/02/03 by subscriber kind for a new certificate (nullopt
// while the kind is unknown), 04 for renewal and change, 05 revocation, 06 recovery.
[[nodiscard]] std::optional<Form> formOf(const Request& request);

// The records that must follow a revocation: 09 when the device was lost, otherwise 08 (the
// device is handed back to the provider within 5 working days); empty for other kinds.
[[nodiscard]] std::vector<Form> followUpForms(const Request& request);

// A request the province or the provider has finished with, or the agency withdrew.
[[nodiscard]] bool isTerminal(RequestState state);

// One value a refusal names: as the user wrote it or the inventory holds it, or (`label`) a
// catalogue key such as "request.state.received" or "request.field.email" that is put into
// words in the reader's language too.
struct MessageArg {
  std::string value;
  bool label = false;
  friend bool operator==(const MessageArg&, const MessageArg&) = default;
};

// What the software refuses, and why, as a catalogue key and the values its text names. Kept as
// a key so the agent says it in the officer's language and the hub in Vietnamese; `text` puts
// it into words, arguments filling "{0}", "{1}", … in order.
struct Refusal {
  std::string key;
  std::vector<MessageArg> args;

  [[nodiscard]] std::string text(Language language) const;
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

// Whether a request may move from `from` to `to`; nullopt when it may, otherwise why not (the
// request is already finished, it cannot be cancelled once the province received it, it is
// already in that state, or the step skips or reverses the procedure).
[[nodiscard]] std::optional<Refusal> checkTransition(RequestState from, RequestState to);

// Moves `request` to `to` when checkTransition allows it. A rejection must say why and a
// cancellation may: `reason` is kept on the request. On refusal the request is unchanged.
[[nodiscard]] std::optional<Refusal> applyTransition(Request& request, RequestState to,
                                                     std::string_view reason = {});

// What a new request does to the requests already filed for the same subject.
struct ConflictCheck {
  std::optional<Refusal> refusal;       // set when the new request must not be filed
  std::vector<std::string> supersedes;  // ids of open renewals/changes a revocation replaces
};

// The conflict rules, checked against `existing` (any states; only open ones count):
//  - two open requests of the same kind for the same subject are refused (the subject is the
//    certificate, the token for a recovery, the ID number or name for a new certificate);
//  - a revocation supersedes the open renewals and changes of its certificate, listed in
//    `supersedes` (the agent cancels those not yet received; the province rejects the others);
//  - a renewal or change for a certificate with an open revocation is refused.
[[nodiscard]] ConflictCheck checkConflicts(const Request& candidate,
                                           std::span<const Request> existing);

// The reason recorded on a request superseded by revocation `revocation_id`.
[[nodiscard]] Refusal supersededBy(std::string_view revocation_id);

}  // namespace cks
