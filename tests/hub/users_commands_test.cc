// `cks-hub admin user …` and `admin audit` through the real binary, on SQLite and PostgreSQL:
// the one-time password printed once logs in, the account list never shows a password or
// hash, and `audit --verify` fails once a line was edited in the database.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "core/clock.h"
#include "hub/province/staff_service.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

// The one-time password of `user add` or `user reset`: the text after ": " on its second line.
std::string passwordOf(const CommandResult& result) {
  std::istringstream in(result.out);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const auto colon = line.rfind(": ");
  return colon == std::string::npos ? "" : line.substr(colon + 2);
}

class UsersCommandsTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
  }

  // The store the hub uses, opened by the test (after the commands ran).
  std::unique_ptr<hub::HubStore> store() {
    auto opened = openStoreAt(hub_.storeUrl());
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
  SystemClock clock_;
};

TEST_P(UsersCommandsTest, AddPrintsAOneTimePasswordThatLogsIn) {
  const auto added = hub_.admin({"user", "add", "--name", "quan.tri", "--role", "admin"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string password = passwordOf(added);
  EXPECT_EQ(password.size(), 16u) << added.out;
  EXPECT_NE(added.out.find("phải đổi mật khẩu"), std::string::npos) << added.out;
  auto opened = store();
  ASSERT_TRUE(opened);
  const hub::StaffService staff(hub::provinceContext(*opened, clock_, Language::English));
  auto in = staff.authenticate("quan.tri", password);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->role, hub::StaffRole::Admin);
  EXPECT_TRUE(in->must_change_password);
  auto trail = staff.audit({});
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->items.size(), 1u);
  EXPECT_EQ(trail->items[0].actor.rfind("cli:", 0), 0u) << trail->items[0].actor;
  EXPECT_EQ(trail->items[0].action, "user.add");
  opened.reset();

  const auto again = hub_.admin({"user", "add", "--name", "quan.tri", "--role", "viewer"});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_EQ(hub_.admin({"user", "add", "--name", "x", "--role", "admin"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"user", "add", "--name", "can.bo", "--role", "chief"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"user", "add", "--name", "can.bo"}).exit_code, 2);
  EXPECT_EQ(hub_.admin({"user", "disable", "--name", "nobody"}).exit_code, 1);

  const auto reset = hub_.admin({"user", "reset", "--name", "quan.tri"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  const std::string second = passwordOf(reset);
  EXPECT_NE(second, password);
  opened = store();
  const hub::StaffService again_staff(hub::provinceContext(*opened, clock_, Language::English));
  EXPECT_TRUE(again_staff.authenticate("quan.tri", second));
}

TEST_P(UsersCommandsTest, TheListNeverShowsAPasswordOrHash) {
  const auto added = hub_.admin({"user", "add", "--name", "can.bo", "--role", "officer"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  ASSERT_EQ(hub_.admin({"user", "add", "--name", "lanh.dao", "--role", "viewer"}).exit_code, 0);
  ASSERT_EQ(hub_.admin({"user", "disable", "--name", "lanh.dao"}).exit_code, 0);
  const auto listed = hub_.admin({"user", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.find(passwordOf(added)), std::string::npos);
  EXPECT_EQ(listed.out.find("argon2"), std::string::npos);
  Poco::JSON::Parser parser;
  const auto list = parser.parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(list->size(), 2u);
  for (size_t i = 0; i < list->size(); ++i) {
    std::vector<std::string> names;
    list->getObject(i)->getNames(names);
    for (const auto& name : names) {
      EXPECT_EQ(name.find("password_hash"), std::string::npos);
      EXPECT_NE(name, "password");
      EXPECT_NE(name, "hash");
    }
  }
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("name"), "can.bo");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("role"), "officer");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("state"), "active");
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("state"), "disabled");
  const auto table = hub_.admin({"user", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("vô hiệu hóa"), std::string::npos) << table.out;
}

TEST_P(UsersCommandsTest, AuditVerifyFailsOnceALineWasEdited) {
  ASSERT_EQ(hub_.admin({"user", "add", "--name", "can.bo", "--role", "officer"}).exit_code, 0);
  ASSERT_EQ(hub_.admin({"user", "disable", "--name", "can.bo"}).exit_code, 0);
  ASSERT_EQ(hub_.admin({"user", "reset", "--name", "can.bo"}).exit_code, 0);
  const auto listed = hub_.admin({"audit", "--json", "--action", "user.disable"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  Poco::JSON::Parser parser;
  const auto lines = parser.parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ(lines->getObject(0)->getValue<std::string>("target"), "can.bo");
  const auto newest = hub_.admin({"audit", "--limit", "1"});
  ASSERT_EQ(newest.exit_code, 0) << newest.err;
  EXPECT_NE(newest.out.find("user.reset"), std::string::npos) << newest.out;
  EXPECT_EQ(newest.out.find("user.add"), std::string::npos) << newest.out;
  EXPECT_EQ(hub_.admin({"audit", "--limit", "0"}).exit_code, 2);

  const auto verified = hub_.admin({"audit", "--verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  {
    auto opened = GetParam() == StoreBackend::Postgresql
                      ? hub::openPostgresPool(hub_.storeUrl(), hub::postgresMigrations())
                      : hub::openSqlitePool(hub_.storeUrl(), hub::sqliteMigrations());
    ASSERT_TRUE(opened) << opened.error().message;
    auto lease = (*opened)->acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->run("UPDATE audit_log SET actor = 'someone' WHERE seq = 2"));
  }
  const auto broken = hub_.admin({"audit", "--verify"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find(" 2 "), std::string::npos) << broken.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, UsersCommandsTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
