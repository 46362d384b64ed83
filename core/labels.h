// The label users see for each value of a domain enum, one function per enum, from the message
// catalogue: call sites name the value and never build its key.
#pragma once

#include <string>

#include "core/alert.h"
#include "core/certificate.h"
#include "core/merger.h"
#include "core/messages.h"
#include "core/report.h"
#include "core/request.h"
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

}  // namespace cks
