// What the hub store benchmarks share (certificate_page.cc, console_lists.cc): failing loudly,
// deterministic data, and a store at a URL (sqlite:PATH, a plain PATH, or postgresql://…).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/store/connection.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"

namespace cks::bench {

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "cks-bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> result, const std::string& what) {
  if (!result) die(what + ": " + result.error().message);
  return std::move(*result);
}

inline void must(const Status& status, const std::string& what) {
  if (!status) die(what + ": " + status.error().message);
}

inline std::string hex(std::uint64_t value, int width) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size_t(width), '0');
  for (int i = width - 1; i >= 0 && value != 0; --i, value >>= 4)
    out[size_t(i)] = kDigits[value & 15];
  return out;
}

// A deterministic spread (no <random>: the same store on every machine).
inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb3fe1a85ec53ULL;
  return x ^ (x >> 33);
}

inline bool isPostgres(const std::string& store) { return store.rfind("postgresql://", 0) == 0; }

// The SQLite file of a sqlite:PATH (or plain PATH) store.
inline std::string sqlitePath(const std::string& store) {
  return store.rfind("sqlite:", 0) == 0 ? store.substr(7) : store;
}

// A pool on `store` with its schema up to migration `schema` (0: the current one).
inline std::unique_ptr<hub::ConnectionPool> openPool(const std::string& store, size_t schema = 0) {
  const auto& all = isPostgres(store) ? hub::postgresMigrations() : hub::sqliteMigrations();
  const std::vector<std::string_view> migrations(
      all.begin(), all.begin() + long(schema == 0 ? all.size() : std::min(schema, all.size())));
  if (isPostgres(store)) {
    return must(hub::openPostgresPool(store, migrations), "open " + store);
  }
  return must(hub::openSqlitePool(sqlitePath(store), migrations), "open " + store);
}

}  // namespace cks::bench
