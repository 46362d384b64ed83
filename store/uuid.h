// Random (version 4) UUIDs for journal and outbox entries: the hub's idempotency key.
#pragma once

#include <string>

namespace cks::store {

[[nodiscard]] std::string newUuidV4();

}  // namespace cks::store
