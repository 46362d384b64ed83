#include "core/request.h"

#include <array>
#include <utility>

#include "core/result.h"
#include "core/wire_names.h"

namespace cks {
namespace {

using wire::allOf;
using wire::nameOf;
using wire::valueOf;

constexpr std::array<std::pair<RequestKind, std::string_view>, 5> kKinds{{
    {RequestKind::NewCertificate, "new_certificate"},
    {RequestKind::Renewal, "renewal"},
    {RequestKind::ChangeOfInformation, "change_of_information"},
    {RequestKind::Revocation, "revocation"},
    {RequestKind::DeviceRecovery, "device_recovery"},
}};

constexpr std::array<std::pair<RequestState, std::string_view>, 9> kStates{{
    {RequestState::Draft, "draft"},
    {RequestState::Queued, "queued"},
    {RequestState::Submitted, "submitted"},
    {RequestState::Received, "received"},
    {RequestState::InProgress, "in_progress"},
    {RequestState::ForwardedToProvider, "forwarded_to_provider"},
    {RequestState::Completed, "completed"},
    {RequestState::Rejected, "rejected"},
    {RequestState::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<HandledBy, std::string_view>, 2> kHandlers{{
    {HandledBy::Province, "province"},
    {HandledBy::Provider, "provider"},
}};

constexpr std::array<std::pair<Form, std::string_view>, 8> kForms{{
    {Form::NewIndividual, "01"},
    {Form::NewOrganization, "02"},
    {Form::NewDevice, "03"},
    {Form::RenewalOrChange, "04"},
    {Form::Revocation, "05"},
    {Form::DeviceRecovery, "06"},
    {Form::DeviceHandover, "08"},
    {Form::LostDevice, "09"},
}};

constexpr std::array<std::pair<ChangeCase, std::string_view>, 6> kChangeCases{{
    {ChangeCase::IndividualAgency, "individual_agency"},
    {ChangeCase::IndividualEmail, "individual_email"},
    {ChangeCase::OrganizationName, "organization_name"},
    {ChangeCase::OrganizationAddress, "organization_address"},
    {ChangeCase::DeviceName, "device_name"},
    {ChangeCase::DeviceUpgrade, "device_upgrade"},
}};

constexpr std::array<std::pair<RevocationReason, std::string_view>, 6> kReasons{{
    {RevocationReason::KeyCompromised, "key_compromised"},
    {RevocationReason::DeviceLost, "device_lost"},
    {RevocationReason::DeviceDamaged, "device_damaged"},
    {RevocationReason::HolderLeft, "holder_left"},
    {RevocationReason::UnitReorganized, "unit_reorganized"},
    {RevocationReason::NoLongerNeeded, "no_longer_needed"},
}};

MessageArg stateLabel(RequestState state) {
  return {"request.state." + std::string(toString(state)), true};
}

Refusal refuse(std::string key, std::vector<MessageArg> args = {}) {
  return Refusal{std::move(key), std::move(args)};
}

bool allowed(RequestState from, RequestState to) {
  using S = RequestState;
  switch (from) {
    case S::Draft:
      return to == S::Queued || to == S::Cancelled;
    case S::Queued:
      return to == S::Submitted || to == S::Cancelled;
    case S::Submitted:
      return to == S::Received || to == S::Cancelled;
    case S::Received:
      // The province may refuse a request outright, without taking it on first.
      return to == S::InProgress || to == S::ForwardedToProvider || to == S::Rejected;
    case S::InProgress:
    case S::ForwardedToProvider:
      return to == S::Completed || to == S::Rejected;
    case S::Completed:
    case S::Rejected:
    case S::Cancelled:
      return false;
  }
  return false;
}

std::string fieldOf(const Request& request, const std::string& name) {
  const auto it = request.fields.find(name);
  return it == request.fields.end() ? std::string() : it->second;
}

// What two requests of one kind must share to be "for the same thing".
std::string subjectOf(const Request& request) {
  switch (request.kind) {
    case RequestKind::Renewal:
    case RequestKind::ChangeOfInformation:
    case RequestKind::Revocation:
      return request.fingerprint_sha256;
    case RequestKind::DeviceRecovery:
      return request.token_serial;
    case RequestKind::NewCertificate:
      // A person is known by the ID number; an organisation or device only by its name.
      return request.subscriber == SubscriberKind::Individual ? fieldOf(request, "id_number")
                                                              : fieldOf(request, "name");
  }
  return {};
}

bool isRenewalOrChange(RequestKind kind) {
  return kind == RequestKind::Renewal || kind == RequestKind::ChangeOfInformation;
}

}  // namespace

std::string_view toString(RequestKind kind) { return nameOf(kKinds, kind); }
std::string_view toString(RequestState state) { return nameOf(kStates, state); }
std::string_view toString(HandledBy handled_by) { return nameOf(kHandlers, handled_by); }
std::string_view toString(Form form) { return nameOf(kForms, form); }
std::string_view toString(ChangeCase change_case) { return nameOf(kChangeCases, change_case); }
std::string_view toString(RevocationReason reason) { return nameOf(kReasons, reason); }
bool parseRequestKind(std::string_view text, RequestKind& out) {
  return valueOf(kKinds, text, out);
}
bool parseRequestState(std::string_view text, RequestState& out) {
  return valueOf(kStates, text, out);
}
bool parseHandledBy(std::string_view text, HandledBy& out) { return valueOf(kHandlers, text, out); }
bool parseForm(std::string_view text, Form& out) { return valueOf(kForms, text, out); }
bool parseChangeCase(std::string_view text, ChangeCase& out) {
  return valueOf(kChangeCases, text, out);
}
bool parseRevocationReason(std::string_view text, RevocationReason& out) {
  return valueOf(kReasons, text, out);
}
std::vector<RequestKind> allRequestKinds() { return allOf(kKinds); }
std::vector<RequestState> allRequestStates() { return allOf(kStates); }
std::vector<ChangeCase> allChangeCases() { return allOf(kChangeCases); }
std::vector<RevocationReason> allRevocationReasons() { return allOf(kReasons); }

SubscriberKind subscriberOf(ChangeCase change_case) {
  switch (change_case) {
    case ChangeCase::IndividualAgency:
    case ChangeCase::IndividualEmail:
      return SubscriberKind::Individual;
    case ChangeCase::OrganizationName:
    case ChangeCase::OrganizationAddress:
      return SubscriberKind::Organization;
    case ChangeCase::DeviceName:
    case ChangeCase::DeviceUpgrade:
      return SubscriberKind::Device;
  }
  return SubscriberKind::Unknown;
}

std::optional<Form> formOf(const Request& request) {
  switch (request.kind) {
    case RequestKind::NewCertificate:
      switch (request.subscriber) {
        case SubscriberKind::Individual:
          return Form::NewIndividual;
        case SubscriberKind::Organization:
          return Form::NewOrganization;
        case SubscriberKind::Device:
          return Form::NewDevice;
        case SubscriberKind::Unknown:
          return std::nullopt;
      }
      return std::nullopt;
    case RequestKind::Renewal:
    case RequestKind::ChangeOfInformation:
      return Form::RenewalOrChange;
    case RequestKind::Revocation:
      return Form::Revocation;
    case RequestKind::DeviceRecovery:
      return Form::DeviceRecovery;
  }
  return std::nullopt;
}

std::vector<Form> followUpForms(const Request& request) {
  if (request.kind != RequestKind::Revocation) return {};
  if (request.revocation_reason == RevocationReason::DeviceLost) return {Form::LostDevice};
  return {Form::DeviceHandover};
}

bool isTerminal(RequestState state) {
  return state == RequestState::Completed || state == RequestState::Rejected ||
         state == RequestState::Cancelled;
}

std::string Refusal::text(Language language) const {
  std::vector<std::string> words;
  for (const MessageArg& arg : args) {
    words.push_back(arg.label ? message(language, arg.value) : arg.value);
  }
  // message() takes its arguments as a braced list; no refusal names more than six values.
  CKS_CHECK(words.size() <= 6);
  words.resize(6);
  return message(language, key, {words[0], words[1], words[2], words[3], words[4], words[5]});
}

std::optional<Refusal> checkTransition(RequestState from, RequestState to) {
  if (allowed(from, to)) return std::nullopt;
  if (isTerminal(from)) {
    return refuse("request.transition_finished", {stateLabel(from), stateLabel(to)});
  }
  if (from == to) return refuse("request.transition_same", {stateLabel(from)});
  if (to == RequestState::Cancelled) {
    return refuse("request.transition_cancel_received", {stateLabel(from)});
  }
  return refuse("request.transition_not_allowed", {stateLabel(from), stateLabel(to)});
}

std::optional<Refusal> applyTransition(Request& request, RequestState to, std::string_view reason) {
  if (auto refusal = checkTransition(request.state, to)) return refusal;
  // Seed 003 Art. 15(2)(b): a refusal is notified in writing "nêu rõ lý do".
  if (to == RequestState::Rejected && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return refuse("request.reject_reason_missing");
  }
  request.state = to;
  if (!reason.empty()) request.reason = std::string(reason);
  return std::nullopt;
}

ConflictCheck checkConflicts(const Request& candidate, std::span<const Request> existing) {
  ConflictCheck check;
  const std::string subject = subjectOf(candidate);
  for (const Request& other : existing) {
    if (other.id == candidate.id || isTerminal(other.state)) continue;
    if (other.kind == candidate.kind && !subject.empty() && subjectOf(other) == subject) {
      check.refusal = refuse("request.conflict_duplicate",
                             {{"request.kind." + std::string(toString(candidate.kind)), true},
                              {subject},
                              {other.id},
                              stateLabel(other.state)});
      break;
    }
    if (candidate.fingerprint_sha256.empty() ||
        other.fingerprint_sha256 != candidate.fingerprint_sha256) {
      continue;
    }
    if (candidate.kind == RequestKind::Revocation && isRenewalOrChange(other.kind)) {
      check.supersedes.push_back(other.id);
    } else if (isRenewalOrChange(candidate.kind) && other.kind == RequestKind::Revocation) {
      check.refusal = refuse("request.conflict_revocation_pending",
                             {{"request.kind." + std::string(toString(candidate.kind)), true},
                              {candidate.fingerprint_sha256},
                              {other.id}});
      break;
    }
  }
  // A refused request changes nothing, so it supersedes nothing either.
  if (check.refusal) check.supersedes.clear();
  return check;
}

Refusal supersededBy(std::string_view revocation_id) {
  return refuse("request.superseded_by", {{std::string(revocation_id)}});
}

}  // namespace cks
