// The agent's table of the message catalogue (cksctl and cks-agent), sorted by key.
#pragma once

#include "core/messages.h"

namespace cks::agent {

[[nodiscard]] MessageTable agentMessages();

}  // namespace cks::agent
