// The hub's table of the message catalogue (cks-hub), sorted by key.
#pragma once

#include "core/messages.h"

namespace cks::hub {

[[nodiscard]] MessageTable hubMessages();

}  // namespace cks::hub
