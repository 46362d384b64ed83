// The hub's schema, once per database: each list holds one entry per schema version, and entry
// i of one list must give the same tables, columns and constraints as entry i of the other, so
// that the store's statements (hub/store/*.cc), written once, run on both. Never edit a released
// entry: append a new one to both lists.
#pragma once

#include <string_view>
#include <vector>

namespace cks::hub {

// SQLite: times are ISO 8601 UTC text, flags 0/1 integers, ids INTEGER PRIMARY KEY.
[[nodiscard]] const std::vector<std::string_view>& sqliteMigrations();

// PostgreSQL: the same columns with BIGINT, BYTEA and identity ids; text compares byte-wise
// (COLLATE "C"), as in SQLite, whatever the database's locale.
[[nodiscard]] const std::vector<std::string_view>& postgresMigrations();

}  // namespace cks::hub
