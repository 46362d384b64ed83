#include "core/labels.h"

#include <string_view>

namespace cks {
namespace {

// The catalogue keys a value's wire name under its enum's prefix ("pin.locked").
std::string labelOf(Language language, std::string_view prefix, std::string_view name) {
  return message(language, std::string(prefix) + std::string(name));
}

}  // namespace

std::string label(SubscriberKind kind, Language language) {
  return labelOf(language, "kind.", toString(kind));
}
std::string label(CertificateStatus status, Language language) {
  return labelOf(language, "certstatus.", toString(status));
}
std::string label(PinState state, Language language) {
  return labelOf(language, "pin.", toString(state));
}
std::string label(Severity severity, Language language) {
  return labelOf(language, "severity.", toString(severity));
}
std::string label(AlertState state, Language language) {
  return labelOf(language, "alertstate.", toString(state));
}
std::string label(RequestKind kind, Language language) {
  return labelOf(language, "request.kind.", toString(kind));
}
std::string label(RequestState state, Language language) {
  return labelOf(language, "request.state.", toString(state));
}
std::string label(HandledBy handled_by, Language language) {
  return labelOf(language, "request.handled_by.", toString(handled_by));
}
std::string label(ChangeCase change_case, Language language) {
  return labelOf(language, "request.change_case.", toString(change_case));
}
std::string label(RevocationReason reason, Language language) {
  return labelOf(language, "request.revocation_reason.", toString(reason));
}
std::string label(MergerAction action, Language language) {
  return labelOf(language, "merger.action.", toString(action));
}
std::string label(MergerWhy why, Language language) {
  return labelOf(language, "merger.why.", toString(why));
}
std::string label(AgencyType type, Language language) {
  return labelOf(language, "report.agency_type.", toString(type));
}
std::string label(RevocationState state, Language language) {
  return labelOf(language, "revocation.state.", toString(state));
}
std::string label(CrlReason reason, Language language) {
  return labelOf(language, "revocation.reason.", toString(reason));
}
std::string label(ChainStatus status, Language language) {
  return labelOf(language, "chain.", toString(status));
}

}  // namespace cks
