// What only the PostgreSQL store has: a server that can be down at start-up or go away while
// the hub runs (calls fail, naming the database without its password, and work again once it
// is back), two hubs migrating one database at once, the URL forms, and a database in the
// wrong encoding refused. The behaviour shared with SQLite is in hub_store_test.cc.
#include <gtest/gtest.h>

#include <thread>

#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/postgres_url.h"
#include "hub/store/hub_store.h"
#include "sync/protocol/codec.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/process.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;
using test::PostgresServer;

const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");

PushBatch tokenBatch(std::int64_t seq) {
  PushBatch batch;
  batch.lane = "normal";
  InventoryChange change;
  change.seq = seq;
  change.uuid = "u" + std::to_string(seq);
  change.kind = "token_inserted";
  change.at = kNow;
  change.body_json = test::tokenBody("T1");
  change.token = {"T1", "Viettel-CA", std::string("Token"), std::nullopt, std::nullopt};
  batch.entries.push_back(change);
  return batch;
}

std::string enrolled(HubStore& store) {
  EXPECT_TRUE(store.registry().saveAgency({"H21.09", "UBND xã Bình Chương"}, kNow));
  const std::string code = newEnrollCode();
  EXPECT_TRUE(store.registry().addEnrollCode(enrollCodeHash(code), "H21.09", kNow + 1h, kNow));
  EXPECT_TRUE(*store.registry().redeemEnrollCode(enrollCodeHash(code), kNow,
                                                 {"agent-1", "H21.09", "PC", "0.2.0", kNow}));
  return "agent-1";
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { CKS_REQUIRE_POSTGRES(); }
};

TEST_F(PostgresStoreTest, AnUnreachableServerFailsInOneLineNamingTheHostWithoutThePassword) {
  const int port = test::freePort();  // nothing listens there
  const std::string url = "postgresql://cks_hub:" + std::string(PostgresServer::kPassword) +
                          "@127.0.0.1:" + std::to_string(port) + "/cks_hub";
  const auto store = openPostgresHubStore(url);
  ASSERT_FALSE(store);
  const std::string& message = store.error().message;
  EXPECT_EQ(message.rfind("store: postgresql://cks_hub@127.0.0.1:" + std::to_string(port) +
                              "/cks_hub: cannot connect: ",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("Connection refused"), std::string::npos) << message;
  EXPECT_EQ(message.find(PostgresServer::kPassword), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(PostgresStoreTest, AWrongPasswordOrDatabaseIsRefusedWithoutShowingThePassword) {
  PostgresServer& server = test::sharedPostgres();
  const std::string database = server.createDatabase();
  std::string wrong = server.url(database);
  wrong.replace(wrong.find(PostgresServer::kPassword),
                std::string(PostgresServer::kPassword).size(), "not-the-password");
  const auto refused = openPostgresHubStore(wrong);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("password authentication failed"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not-the-password"), std::string::npos);
  const auto missing = openPostgresHubStore(server.url("no_such_database"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no_such_database"), std::string::npos);
  EXPECT_EQ(missing.error().message.find(PostgresServer::kPassword), std::string::npos);
}

TEST_F(PostgresStoreTest, TheUnixSocketFormOfTheUrlWorks) {
  PostgresServer& server = test::sharedPostgres();
  const std::string database = server.createDatabase();
  auto over_socket = openPostgresHubStore(server.socketUrl(database));
  ASSERT_TRUE(over_socket) << over_socket.error().message;
  const std::string agent = enrolled(**over_socket);
  // The same data over TCP.
  auto over_tcp = openPostgresHubStore(server.url(database));
  ASSERT_TRUE(over_tcp) << over_tcp.error().message;
  EXPECT_TRUE((*(*over_tcp)->registry().agent(agent)).has_value());
  EXPECT_EQ(*(*over_tcp)->integrityCheck(), "ok");
}

TEST_F(PostgresStoreTest, HubsStartingTogetherOnANewDatabaseMigrateItOnce) {
  const std::string url = test::freshPostgresUrl();
  std::vector<std::optional<Result<std::unique_ptr<HubStore>>>> opened(4);
  std::vector<std::thread> starters;
  for (size_t i = 0; i < opened.size(); ++i) {
    starters.emplace_back([&, i] { opened[i] = openPostgresHubStore(url); });
  }
  for (auto& starter : starters) starter.join();
  for (const auto& store : opened) ASSERT_TRUE(*store) << (*store).error().message;
  const std::string agent = enrolled(***opened[0]);
  EXPECT_TRUE((*(**opened[3])->registry().agent(agent)).has_value());
}

TEST_F(PostgresStoreTest, ADatabaseThatIsNotUtf8IsRefused) {
  PostgresServer& server = test::sharedPostgres();
  const std::string database = server.createDatabase();
  // createDatabase() makes UTF8 databases: make a LATIN1 one beside it.
  const std::string latin1 = database + "_latin1";
  auto utf8 = openPostgresHubStore(server.url(database));
  ASSERT_TRUE(utf8) << utf8.error().message;
  const auto created = test::runCommand(
      {PostgresServer::binDir() + "/psql", "-h", server.socketDir(), "-p",
       std::to_string(server.port()), "-U", "postgres", "-d", "postgres", "-c",
       "CREATE DATABASE " + latin1 +
           " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0 OWNER cks_hub"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto refused = openPostgresHubStore(server.url(latin1));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("encoding is LATIN1"), std::string::npos)
      << refused.error().message;
}

TEST_F(PostgresStoreTest, WhileTheServerIsDownCallsFailAndAfterARestartTheyWorkAgain) {
  PostgresServer server;  // its own: this test stops it
  const std::string url = server.url(server.createDatabase());
  auto opened = openPostgresHubStore(url);
  ASSERT_TRUE(opened) << opened.error().message;
  HubStore& store = **opened;
  const std::string agent = enrolled(store);
  ASSERT_EQ(store.ingest().push(agent, tokenBatch(1), kNow)->acked, 1);

  server.stop();
  const auto down = store.ingest().push(agent, tokenBatch(2), kNow);
  ASSERT_FALSE(down);
  EXPECT_NE(down.error().message.find("127.0.0.1"), std::string::npos) << down.error().message;
  EXPECT_EQ(down.error().message.find(PostgresServer::kPassword), std::string::npos);
  EXPECT_FALSE(store.registry().agents());
  EXPECT_FALSE(store.ingest().feedAfter(agent, 0, 10));

  server.start();
  // Every pooled connection is gone: the store connects again by itself.
  const auto again = store.ingest().push(agent, tokenBatch(2), kNow);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->acked, 2);
  EXPECT_EQ(*store.ingest().entryCount(agent), 2);
  EXPECT_EQ((*store.registry().agents()).size(), 1u);
}

}  // namespace
}  // namespace cks::hub
