#include "hub/store/hub_store.h"

#include <filesystem>
#include <utility>

#include "hub/store/internal/sql.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"

namespace cks::hub {
namespace {

Result<std::unique_ptr<HubStore>> storeOver(Result<std::unique_ptr<ConnectionPool>> pool) {
  if (!pool) return tl::unexpected(pool.error());
  auto store = std::make_unique<HubStore>(std::move(*pool));
  CKS_TRY(store->registry().typeAgenciesFromBefore());
  // A store of before schema 9 has its once-per-agency choice made once, here.
  CKS_TRY(store->views().chooseFromBefore());
  // … and the figures of the reports stored before schema 12 kept, once.
  CKS_TRY(store->reportArchive().figuresFromBefore());
  return store;
}

}  // namespace

HubStore::HubStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)),
      registry_(*pool_),
      ingest_(*pool_),
      views_(*pool_),
      request_desk_(*pool_),
      report_archive_(*pool_),
      mergers_(*pool_),
      staff_(*pool_),
      audit_(*pool_),
      revocations_(*pool_) {}

Result<std::string> HubStore::integrityCheck() {
  return sql::read(*pool_, [](StoreConnection& c) { return c.integrityCheck(); });
}

Result<std::unique_ptr<HubStore>> openSqliteHubStore(const std::string& path) {
  return storeOver(openSqlitePool(path, sqliteMigrations()));
}

Result<std::unique_ptr<HubStore>> openPostgresHubStore(const std::string& url) {
  return storeOver(openPostgresPool(url, postgresMigrations()));
}

Result<std::unique_ptr<HubStore>> openHubStore(const StoreLocation& location) {
  if (location.kind == StoreLocation::Kind::Postgresql) return openPostgresHubStore(location.url);
  std::error_code error;
  const auto folder = std::filesystem::path(location.path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) return fail("store: create ", folder.string(), ": ", error.message());
  return openSqliteHubStore(location.path);
}

Result<bool> hubStoreExists(const StoreLocation& location) {
  if (location.kind == StoreLocation::Kind::Postgresql) {
    return postgresHubSchemaExists(location.url);
  }
  std::error_code error;
  return std::filesystem::exists(location.path, error);
}

}  // namespace cks::hub
