// The tray's table of the message catalogue (cks-tray), sorted by key.
#pragma once

#include "core/messages.h"

namespace cks::tray {

[[nodiscard]] MessageTable trayMessages();

}  // namespace cks::tray
