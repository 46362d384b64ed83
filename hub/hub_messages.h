// The text cks-hub shows people (admin commands): the entries under "hub." in the one message
// catalogue (their table: hub/hub_catalogue.cc), Vietnamese by default and English on request.
// Thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"

namespace cks::hub {

// message(language, "hub." + key, args).
[[nodiscard]] std::string hubMessage(Language language, std::string_view key,
                                     std::initializer_list<std::string_view> args = {});

// The hub's keys, without their "hub." prefix.
[[nodiscard]] std::vector<std::string_view> hubMessageKeys();

}  // namespace cks::hub
