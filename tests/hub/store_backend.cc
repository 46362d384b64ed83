#include "tests/hub/store_backend.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/subscriber_kind.h"
#include "hub/enroll_code.h"
#include "hub/inventory_change.h"
#include "hub/postgres_url.h"
#include "hub/request_change.h"
#include "hub/store/schema.h"
#include "sync/protocol/codec.h"

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

void StoreTest::SetUp() {
  if (GetParam() == StoreBackend::Postgresql) {
    CKS_REQUIRE_POSTGRES();
    url_ = freshPostgresUrl();
  } else {
    url_ = dir_.file("hub.db");
  }
  auto opened = openStoreAt(url_);
  ASSERT_TRUE(opened) << opened.error().message;
  store_ = std::move(*opened);
}

std::string enrollAgent(hub::HubStore& store, const std::string& agency, const std::string& name,
                        const std::string& host, TimePoint at) {
  EXPECT_TRUE(store.registry().saveAgency({agency, name, std::nullopt, ""}, at));
  const std::string code = hub::newEnrollCode();
  EXPECT_TRUE(store.registry().addEnrollCode(hub::enrollCodeHash(code), agency,
                                             at + std::chrono::hours(1), at));
  const std::string id = hub::newUuid();
  auto redeemed = store.registry().redeemEnrollCode(hub::enrollCodeHash(code), at,
                                                    {id, agency, host, "0.2.0", at});
  EXPECT_TRUE(redeemed && *redeemed);
  return id;
}

void undoMigrationsAfter(hub::StoreConnection& c, StoreBackend backend, int version) {
  const bool sqlite = backend == StoreBackend::Sqlite;
  std::vector<std::vector<std::string>> undo(19);
  // 18: what each agency was last told of its certificates' revocation.
  undo[18] = {"DROP TABLE hub_agency_revocations"};
  // 17: entries by uuid.
  undo[17] = {"DROP INDEX entries_uuid"};
  // 16: the chosen tokens' PIN state index (and PostgreSQL's expired-on-token index).
  undo[16] = {"DROP INDEX hub_agency_tokens_pin_state"};
  if (!sqlite) undo[16].push_back("DROP INDEX hub_agency_certificates_expired");
  // 15: the chosen certificates' kind, the open requests' and the agents' indexes.
  undo[15] = {"DROP INDEX agents_contact", "DROP INDEX hub_requests_open",
              "DROP INDEX hub_agency_certificates_kind",
              "ALTER TABLE hub_agency_certificates DROP COLUMN kind"};
  // 14: the mergers published and each request's merger.
  undo[14] = {"DROP INDEX hub_requests_merger", "ALTER TABLE hub_requests DROP COLUMN merger_id",
              "DROP TABLE hub_merger_units", "DROP TABLE hub_mergers"};
  // 13: the revocation lists.
  undo[13] = {"DROP INDEX hub_certificates_issuer_serial", "DROP TABLE hub_crl_entries",
              "DROP TABLE hub_crls", "DROP TABLE hub_crl_sources"};
  // 12: the reports' figures.
  undo[12] = {"DROP TABLE hub_report_figures",
              "DELETE FROM hub_choices WHERE name = 'report_figures'"};
  // 11: the choice of tokens, the search's text index, the order and count indexes.
  undo[11] = {"DROP TABLE hub_agency_tokens",
              "DELETE FROM hub_choices WHERE name = 'agency_tokens'",
              "DROP INDEX hub_agency_certificates_counted",
              "DROP INDEX hub_requests_order",
              "DROP INDEX hub_requests_state_order",
              "DROP INDEX hub_alerts_order"};
  if (sqlite) {
    for (const char* trigger : {"insert", "delete", "update"}) {
      undo[11].push_back(std::string("DROP TRIGGER hub_certificate_search_") + trigger);
    }
    undo[11].push_back("DROP TABLE hub_certificate_search");
  } else {
    for (const char* column : {"name", "serial", "fingerprint"}) {
      undo[11].push_back(std::string("DROP INDEX hub_agency_certificates_search_") + column);
    }
  }
  const auto latest = int((sqlite ? hub::sqliteMigrations() : hub::postgresMigrations()).size());
  ASSERT_EQ(latest, int(undo.size()) - 1) << "a new migration needs its undo here";
  ASSERT_GE(version, 10);
  for (int v = latest; v > version; --v) {
    for (const auto& statement : undo[size_t(v)]) {
      ASSERT_TRUE(c.run(statement)) << "undoing schema " << v << ": " << statement;
    }
  }
  const std::string set = sqlite ? "PRAGMA user_version = " + std::to_string(version)
                                 : "UPDATE cks_hub_schema SET version = " + std::to_string(version);
  ASSERT_TRUE(c.run(set)) << set;
}

hub::PushBatch pushBatchOf(const std::string& json) {
  auto request = sync::decodePushRequest(json);
  EXPECT_TRUE(request) << request.error().message;
  if (!request) return {};
  hub::PushBatch batch{
      request->lane, {}, request->backlog, request->agent_version, request->agent_time};
  for (size_t i = 0; i < request->entries.size(); ++i) {
    auto change = hub::readInventoryChange(
        request->entries[i], "entries[" + std::to_string(i) + "]", SubscriberKindRules{});
    EXPECT_TRUE(change) << change.error().message;
    if (change) batch.entries.push_back(std::move(*change));
  }
  return batch;
}

hub::PushBatch pushBatchOf(const std::string& json, TimePoint received_at) {
  hub::PushBatch batch = pushBatchOf(json);
  const hub::RequestSettings settings;
  for (auto& entry : batch.entries) {
    if (entry.request_filed) {
      entry.request_filed->receipt = hub::receiveRequest(entry.request_filed->request, settings,
                                                         settings.calendar(), received_at);
    }
  }
  return batch;
}

}  // namespace cks::test
