// `cks-hub admin …` as the province runs it: the enrolment code alone on the last line,
// --config anywhere, the server CA that agents trust, usage errors in one line with exit 2,
// and Vietnamese by default.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <regex>

#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

int lineCount(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::regex kCode("^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$");

// On a SQLite store and on a PostgreSQL one.
class HubAdminTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
  }

  TempDir dir_;
  HubUnderTest hub_{dir_.path().string(), {.store_url = storeUrlFor(GetParam())}};
};

TEST_P(HubAdminTest, EnrollCodePrintsTheCodeAloneOnTheLastLine) {
  const auto result =
      hub_.admin({"enroll-code", "--agency", "H21.09", "--name", "UBND xã Bình Chương"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto printed = lines(result.out);
  ASSERT_GE(printed.size(), 2u);
  EXPECT_TRUE(std::regex_match(printed.back(), kCode)) << printed.back();
  EXPECT_NE(result.out.find("UBND xã Bình Chương (H21.09)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("dùng một lần"), std::string::npos) << result.out;
  // A second code for a known agency needs no name, and differs.
  const auto second = hub_.admin({"enroll-code", "--agency", "H21.09", "--ttl", "30m"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(std::regex_match(lines(second.out).back(), kCode));
  EXPECT_NE(lines(second.out).back(), printed.back());
}

TEST_P(HubAdminTest, ConfigMayStandAnywhereOnTheLine) {
  const std::string hub = hubBinary();
  const std::string config = hub_.config();
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {hub, "admin", "enroll-code", "--agency", "H21.09", "--name", "X", "--config", config},
           {hub, "admin", "--config", config, "enroll-code", "--agency", "H21.09"},
           {hub, "admin", "enroll-code", "--config=" + config, "--agency=H21.09"},
           {hub, "--lang", "en", "admin", "agents", "-c", config}}) {
    const auto result = runCommand(argv);
    EXPECT_EQ(result.exit_code, 0) << argv.back() << result.err;
  }
  // Everything above went to this hub's store (not a default path).
  const auto agents = hub_.admin({"agents", "--json"});
  EXPECT_EQ(agents.out, "[]\n");
  if (GetParam() == StoreBackend::Sqlite) {
    EXPECT_TRUE(std::filesystem::exists(hub_.store()));
  }
  // The agency the commands made is in this hub's store.
  auto store = openStoreAt(hub_.storeUrl());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_TRUE((*(*store)->agency("H21.09")).has_value());
}

TEST_P(HubAdminTest, ServerCaPrintsThePemThatVerifiesTheServerCertificate) {
  const auto result = hub_.admin({"server-ca"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u) << result.out;
  const std::string server = readFile(hub_.tlsDir() + "/server.pem");
  EXPECT_TRUE(signedBy(server, result.out));
  EXPECT_FALSE(signedBy(server, readFile(hub_.tlsDir() + "/agent-ca.pem")));
  EXPECT_EQ(subjectField(result.out, "O"), "Sở KH&CN tỉnh Quảng Ngãi");
  // The running hub presents that certificate: a client trusting only this PEM gets through.
  hub_.start();
  const std::string key = makeKeyPem();
  TlsConnection connection(
      hub_.port(),
      {.server_ca_pem = result.out, .cert_pem = makeSelfSignedPem(key), .key_pem = key});
  EXPECT_TRUE(connection.handshakeDone()) << connection.error();
}

TEST_P(HubAdminTest, UsageErrorsAreOneLineAndExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"explode"},
           {"enroll-code"},
           {"enroll-code", "--agency"},
           {"enroll-code", "--agency", "h21.09", "--name", "x"},
           {"enroll-code", "--agency", "H21.09"},  // a new agency needs its name
           {"enroll-code", "--agency", "H21.09", "--name", "X", "--ttl", "forever"},
           {"inventory"},
           {"tokens", "--agency", "X"},
           {"agents", "--colour"},
           {"revoke"}}) {
    const auto result = hub_.admin(args);
    EXPECT_EQ(result.exit_code, 2) << (args.empty() ? "" : args[0]) << result.out << result.err;
    EXPECT_EQ(lineCount(result.err), 1) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
  const auto unknown_agency = hub_.admin({"inventory", "--agency", "H99"});
  EXPECT_EQ(unknown_agency.exit_code, 1);
  EXPECT_NE(unknown_agency.err.find("H99"), std::string::npos);
  const auto unknown_agent = hub_.admin({"revoke", "--agent", "nobody"});
  EXPECT_EQ(unknown_agent.exit_code, 1);
}

TEST_P(HubAdminTest, AgentsJsonHasTheContractFields) {
  hub_.start();
  const auto agent = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const auto result = hub_.admin({"agents", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Poco::JSON::Parser parser;
  const auto agents = parser.parse(result.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(agents->size(), 1u);
  std::vector<std::string> names;
  agents->getObject(0)->getNames(names);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"agency_code", "agency_name", "agent_id", "agent_version",
                                      "backlog", "clock_offset_seconds", "enrolled_at", "host",
                                      "last_contact", "last_seq", "revoked", "urgent_acked"}));
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("agency_name"), "UBND xã Bình Chương");
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("agent_id"), agent.agent_id);
  EXPECT_TRUE(agents->getObject(0)->isNull("last_contact"));  // no push yet
}

TEST_P(HubAdminTest, TextIsVietnameseByDefaultAndEnglishOnRequest) {
  hub_.start();
  hub_.enroll("H21.09", "UBND xã Bình Chương");
  const auto vi = hub_.admin({"agents"});
  EXPECT_NE(vi.out.find("Máy trạm cks-agent đã đăng ký"), std::string::npos) << vi.out;
  EXPECT_NE(vi.out.find("Tổng cộng 1 máy trạm."), std::string::npos) << vi.out;
  const auto en = runCommand({hubBinary(), "--lang", "en", "--config", hub_.config(), "admin",
                              "tokens", "--agency", "H21.09"});
  EXPECT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("The hub has received no token of this agency yet."), std::string::npos)
      << en.out;
  const auto help = runCommand({hubBinary(), "admin", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("enroll-code"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubAdminTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
