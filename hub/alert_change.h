// An alert as an agent pushes it: the protocol's message (sync/protocol/alert_entry.h), named
// here for the hub's code that applies it.
#pragma once

#include "sync/protocol/alert_entry.h"

namespace cks::hub {

using sync::AlertChange;
using sync::readAlertChange;

}  // namespace cks::hub
