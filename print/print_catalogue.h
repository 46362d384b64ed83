// The print module's table of the message catalogue (forms and reports), sorted by key; linked
// by the agent and the hub.
#pragma once

#include "core/messages.h"

namespace cks::print {

[[nodiscard]] MessageTable printMessages();

}  // namespace cks::print
