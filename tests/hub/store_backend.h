// The hub's store and server tests run once per database: TEST_P over StoreBackend, with
// INSTANTIATE_TEST_SUITE_P(…, kStoreBackends, storeBackendName). For PostgreSQL every test
// gets a fresh database (CREATE DATABASE) on one throwaway server per test process, started at
// first use by a gtest Environment and stopped when the process ends.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/hub_store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace cks::test {

enum class StoreBackend { Sqlite, Postgresql };

inline const auto kStoreBackends =
    ::testing::Values(StoreBackend::Sqlite, StoreBackend::Postgresql);

// "Sqlite" / "Postgresql": the last part of a parameterised test's name.
std::string storeBackendName(const ::testing::TestParamInfo<StoreBackend>& info);
// The same, where gtest prints the parameter (ctest's test list, failures).
void PrintTo(StoreBackend backend, std::ostream* out);

// The server of this test process (started now if it is not running yet).
PostgresServer& sharedPostgres();

// A new database on sharedPostgres(): its URL (TCP, with the hub role's password).
std::string freshPostgresUrl();

// HubSetup::store_url for `backend`: "" (the default SQLite file) for SQLite and when PostgreSQL
// is not installed (the test then skips in SetUp), else a fresh database's URL.
std::string storeUrlFor(StoreBackend backend);

// Opens the store at `url_or_path`: a PostgreSQL URL, else a SQLite file.
Result<std::unique_ptr<hub::HubStore>> openStoreAt(const std::string& url_or_path);

// A test of the store itself on each backend: SetUp opens `store_` at `url_` (a fresh
// PostgreSQL database, or hub.db in the test's folder).
class StoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;

  TempDir dir_;
  std::string url_;
  std::unique_ptr<hub::HubStore> store_;
};

// A new agent of `agency` (saved as `name`), on PC `host`, enrolled at `at` through an
// enrolment code as the sync API does it; its id.
std::string enrollAgent(hub::HubStore& store, const std::string& agency, const std::string& name,
                        const std::string& host, TimePoint at);

// Takes the store behind `c` back to schema `version` (10 or later): what each later migration
// added is dropped, the latest first, and the version set, so that opening the store again runs
// those migrations on the data of before, as an upgrade does. A new migration adds its undo here.
void undoMigrationsAfter(hub::StoreConnection& c, StoreBackend backend, int version);

// The batch the store takes for `json`, a push request as an agent sends it (sync/protocol);
// an entry that does not read fails the test.
hub::PushBatch pushBatchOf(const std::string& json);
// The same, its filed requests received at `received_at` as the sync API receives them
// (hub.ini's default [requests]).
hub::PushBatch pushBatchOf(const std::string& json, TimePoint received_at);

}  // namespace cks::test

// In SetUp() (or a test): skips the test when the PostgreSQL server programs are not
// installed, except under CI (CI=true), where that is a failure: scripts/bootstrap.sh installs
// them, so a skip there would hide a broken setup.
#define CKS_REQUIRE_POSTGRES()                                                   \
  do {                                                                           \
    if (!::cks::test::PostgresServer::installed()) {                             \
      if (::cks::test::PostgresServer::required()) {                             \
        FAIL() << ::cks::test::PostgresServer::missingMessage() << " (CI=true)"; \
      }                                                                          \
      GTEST_SKIP() << ::cks::test::PostgresServer::missingMessage();             \
    }                                                                            \
  } while (false)
