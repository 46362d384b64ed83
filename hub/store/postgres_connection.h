// The PostgreSQL side of the hub's store, on libpq: connections made from the [store] URL, a
// pool that keeps one per concurrent caller (at most one per server thread) and replaces any
// that the server dropped, and the schema migrations, taken under an advisory lock so that two
// hubs starting together do not both apply them. Thread-safe. Messages name the database by
// its URL without the password.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub {

// Connects to the database `url` names (checked with checkPostgresUrl), refuses one whose
// encoding is not UTF8, and applies `migrations` (one schema version each) that it does not
// have yet. Fails, naming the host and database, when the server cannot be reached.
[[nodiscard]] Result<std::unique_ptr<ConnectionPool>> openPostgresPool(
    const std::string& url, const std::vector<std::string_view>& migrations);

// Whether the database `url` names holds a hub's schema (a hub has started on it), without
// creating anything: admin commands never create a store.
[[nodiscard]] Result<bool> postgresHubSchemaExists(const std::string& url);

}  // namespace cks::hub
