#include "tests/hub/store_backend.h"

#include <memory>

#include "hub/postgres_url.h"

namespace cks::test {
namespace {

// One server per test process, made at first use: a process that runs only SQLite tests (ctest
// runs each test in its own process) does not start one.
class PostgresEnvironment final : public ::testing::Environment {
 public:
  PostgresServer& server() {
    if (!server_) server_ = std::make_unique<PostgresServer>();
    return *server_;
  }
  void TearDown() override { server_.reset(); }

 private:
  std::unique_ptr<PostgresServer> server_;
};

PostgresEnvironment* const environment =
    static_cast<PostgresEnvironment*>(::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

}  // namespace

std::string storeBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param == StoreBackend::Sqlite ? "Sqlite" : "Postgresql";
}

void PrintTo(StoreBackend backend, std::ostream* out) {
  *out << (backend == StoreBackend::Sqlite ? "Sqlite" : "Postgresql");
}

PostgresServer& sharedPostgres() { return environment->server(); }

std::string freshPostgresUrl() {
  PostgresServer& server = sharedPostgres();
  return server.url(server.createDatabase());
}

std::string storeUrlFor(StoreBackend backend) {
  if (backend == StoreBackend::Sqlite || !PostgresServer::installed()) return "";
  return freshPostgresUrl();
}

Result<std::unique_ptr<hub::HubStore>> openStoreAt(const std::string& url_or_path) {
  return hub::isPostgresUrl(url_or_path) ? hub::openPostgresHubStore(url_or_path)
                                         : hub::openSqliteHubStore(url_or_path);
}

}  // namespace cks::test
