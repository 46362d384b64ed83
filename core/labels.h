// The label users see for each value of a domain enum, one function per enum, from the message
// catalogue: call sites name the value and never build its key.
#pragma once

#include <string>
#include <string_view>

#include "core/alert.h"
#include "core/certificate.h"
#include "core/merger.h"
#include "core/messages.h"
#include "core/report.h"
#include "core/request.h"
#include "core/revocation.h"
#include "core/subscriber_kind.h"
#include "core/token.h"

namespace cks {

[[nodiscard]] std::string label(SubscriberKind kind, Language language);
[[nodiscard]] std::string label(CertificateStatus status, Language language);
[[nodiscard]] std::string label(PinState state, Language language);
[[nodiscard]] std::string label(Severity severity, Language language);
[[nodiscard]] std::string label(AlertState state, Language language);
[[nodiscard]] std::string label(RequestKind kind, Language language);
[[nodiscard]] std::string label(RequestState state, Language language);
[[nodiscard]] std::string label(HandledBy handled_by, Language language);
[[nodiscard]] std::string label(ChangeCase change_case, Language language);
[[nodiscard]] std::string label(RevocationReason reason, Language language);
[[nodiscard]] std::string label(MergerAction action, Language language);
// A sentence: why a merger item is proposed.
[[nodiscard]] std::string label(MergerWhy why, Language language);
[[nodiscard]] std::string label(AgencyType type, Language language);
[[nodiscard]] std::string label(RevocationState state, Language language);
[[nodiscard]] std::string label(CrlReason reason, Language language);
[[nodiscard]] std::string label(ChainStatus status, Language language);

// The label of a value another program sent by its wire name (the local API's JSON), read with
// the enum's parser (parseSeverity, …). A name this build does not know (an agent newer than
// cksctl) is shown as it came: never a raw key, never a crash.
template <typename Enum>
[[nodiscard]] std::string labelOfName(std::string_view name, bool (*parse)(std::string_view, Enum&),
                                      Language language) {
  Enum value{};
  return parse(name, value) ? label(value, language) : std::string(name);
}

}  // namespace cks
