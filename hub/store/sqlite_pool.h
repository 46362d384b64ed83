// The SQLite side of the hub's store: one connection (store::Database: WAL, foreign keys, busy
// timeout, integrity check) behind a pool that lends it to one caller at a time, which is how
// SQLite wants its single writer. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub {

// Opens (creating if needed) the SQLite file at `path` and applies `migrations` (one schema
// version each) that it does not have yet.
[[nodiscard]] Result<std::unique_ptr<ConnectionPool>> openSqlitePool(
    const std::string& path, const std::vector<std::string_view>& migrations);

}  // namespace cks::hub
