// `cks-hub admin …` as the province runs it: the enrolment code alone on the last line,
// --config anywhere, the server CA that agents trust, usage errors in one line with exit 2,
// and Vietnamese by default.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "hub/store/postgres_connection.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/process.h"
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

Poco::JSON::Array::Ptr jsonArray(const CommandResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Poco::JSON::Parser parser;
  return parser.parse(result.out).extract<Poco::JSON::Array::Ptr>();
}

// Runs `argv` with a terminal (a pseudo-terminal) as stdin, stdout and stderr, `typed` already
// typed ahead on it; returns what the terminal showed (the typed text echoed too).
CommandResult runOnTerminal(const std::vector<std::string>& argv, const std::string& typed) {
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) return {};
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  if (!typed.empty()) (void)!write(terminal, typed.data(), typed.size());
  CommandResult result;
  char buffer[4096];
  for (ssize_t n; (n = read(terminal, buffer, sizeof buffer)) > 0;) result.out.append(buffer, n);
  close(terminal);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
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
  hub_.createStore();
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
  EXPECT_TRUE((*(*store)->registry().agency("H21.09")).has_value());
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

TEST_P(HubAdminTest, EnrollCodeRenamesAnAgencyOnlyWhenToldAndNeverRetypesIt) {
  ASSERT_EQ(hub_.admin({"enroll-code", "--agency", "H48.01", "--name", "UBND phường Hải Châu",
                        "--type", "commune"})
                .exit_code,
            0);
  // The same agency typed from memory without diacritics: refused, the directory unchanged.
  const auto typed =
      hub_.admin({"enroll-code", "--agency", "H48.01", "--name", "UBND phuong Hai Chau"});
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_NE(typed.err.find("--rename"), std::string::npos) << typed.err;
  EXPECT_NE(typed.err.find("UBND phường Hải Châu"), std::string::npos) << typed.err;
  EXPECT_TRUE(typed.out.empty()) << typed.out;  // no code was made
  auto agencies = jsonArray(hub_.admin({"agencies", "--json"}));
  ASSERT_EQ(agencies->size(), 1u);
  EXPECT_EQ(agencies->getObject(0)->getValue<std::string>("name"), "UBND phường Hải Châu");
  EXPECT_EQ(jsonArray(hub_.admin({"codes", "--json"}))->size(), 1u);
  // The same name, or none, makes a code as before.
  EXPECT_EQ(
      hub_.admin({"enroll-code", "--agency", "H48.01", "--name", "UBND phường Hải Châu"}).exit_code,
      0);
  EXPECT_EQ(hub_.admin({"enroll-code", "--agency", "H48.01", "--rename"}).exit_code, 2);
  // Told to rename: the new name, and still a commune in the province report.
  const auto renamed = hub_.admin(
      {"enroll-code", "--agency", "H48.01", "--name", "UBND phuong Hai Chau", "--rename"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  agencies = jsonArray(hub_.admin({"agencies", "--json"}));
  EXPECT_EQ(agencies->getObject(0)->getValue<std::string>("name"), "UBND phuong Hai Chau");
  EXPECT_EQ(agencies->getObject(0)->getValue<std::string>("type"), "commune");
  const auto status = jsonArray(hub_.admin({"report", "status", "--year", "2026", "--json"}));
  EXPECT_EQ(status->getObject(0)->getValue<std::string>("type"), "commune");
  Poco::JSON::Parser parser;
  const auto province =
      parser.parse(hub_.admin({"report", "province", "--year", "2026", "--json"}).out)
          .extract<Poco::JSON::Object::Ptr>();
  const auto missing = province->getArray("missing_agencies");
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_EQ(missing->getObject(0)->getValue<std::string>("type"), "commune");
  // A new agency whose type nobody gave counts as other, and the command says so.
  const auto untyped =
      hub_.admin({"enroll-code", "--agency", "H48.02", "--name", "UBND xã Hòa Vang"});
  ASSERT_EQ(untyped.exit_code, 0) << untyped.err;
  EXPECT_NE(untyped.err.find("--type"), std::string::npos) << untyped.err;
  EXPECT_EQ(
      jsonArray(hub_.admin({"agencies", "--json"}))->getObject(1)->getValue<std::string>("type"),
      "other");
  EXPECT_EQ(
      hub_.admin({"enroll-code", "--agency", "H48.03", "--name", "X", "--type", "xa"}).exit_code,
      2);
}

TEST_P(HubAdminTest, AgenciesImportTakesEveryRowOrNone) {
  const std::string bad = dir_.file("bad.csv");
  writeFile(bad,
            "code,name,type,parent\n"
            "H48.01,UBND phường Hải Châu,commune,H48\n"
            "H48.02,,commune,\n"                      // line 3: no name
            "h48.03,UBND xã Hòa Vang,commune,\n"      // line 4: bad code
            "H48.04,Sở Y tế,ministry,\n"              // line 5: bad type
            "H48.01,UBND phường Hải Châu,commune,\n"  // line 6: listed twice
            "H48.05,Sở Nội vụ,department\n");         // line 7: a field short
  const auto refused = hub_.admin({"agencies", "import", bad});
  EXPECT_EQ(refused.exit_code, 2);
  for (const char* where : {"bad.csv:3:", "bad.csv:4:", "bad.csv:5:", "bad.csv:6:", "bad.csv:7:"}) {
    EXPECT_NE(refused.err.find(where), std::string::npos) << where << "\n" << refused.err;
  }
  EXPECT_EQ(refused.err.find("bad.csv:2:"), std::string::npos) << refused.err;
  EXPECT_EQ(hub_.admin({"agencies", "--json"}).out, "[]\n");  // nothing imported

  // Excel's way: byte order mark, CRLF, quotes around a name with a comma.
  const std::string good = dir_.file("good.csv");
  writeFile(good,
            "\xEF\xBB\xBF"
            "code,name,type,parent\r\n"
            "H48,UBND thành phố Đà Nẵng,other,\r\n"
            "H48.01,\"UBND phường Hải Châu, quận cũ\",commune,H48\r\n"
            "H48.10,Sở Khoa học và Công nghệ,department,H48\r\n");
  const auto imported = hub_.admin({"agencies", "import", good});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("3"), std::string::npos) << imported.out;
  auto agencies = jsonArray(hub_.admin({"agencies", "--json"}));
  ASSERT_EQ(agencies->size(), 3u);
  const auto hai_chau = agencies->getObject(1);
  EXPECT_EQ(hai_chau->getValue<std::string>("code"), "H48.01");
  EXPECT_EQ(hai_chau->getValue<std::string>("name"), "UBND phường Hải Châu, quận cũ");
  EXPECT_EQ(hai_chau->getValue<std::string>("type"), "commune");
  EXPECT_EQ(hai_chau->getValue<std::string>("parent"), "H48");
  EXPECT_TRUE(agencies->getObject(0)->isNull("parent"));
  // A later file retypes and renames (the import is the province's own word).
  const std::string semicolons = dir_.file("semicolons.csv");
  writeFile(semicolons, "code;name;type\nH48.10;Sở Khoa học và Công nghệ;other\n");
  ASSERT_EQ(hub_.admin({"agencies", "import", semicolons}).exit_code, 0);
  agencies = jsonArray(hub_.admin({"agencies", "--json"}));
  EXPECT_EQ(agencies->getObject(2)->getValue<std::string>("type"), "other");
  const auto table = hub_.admin({"agencies"});
  EXPECT_NE(table.out.find("UBND xã, phường, đặc khu"), std::string::npos) << table.out;
  EXPECT_EQ(hub_.admin({"agencies", "import", dir_.file("none.csv")}).exit_code, 2);
}

// The directory as the province keeps it in Excel: a real .xlsx written by openpyxl (shared
// strings, a number typed into a name cell, a formatted empty row, a second sheet that is not
// read), then one with bad rows, each named by its row, and nothing stored.
TEST_P(HubAdminTest, AgenciesImportReadsTheFirstSheetOfAnExcelWorkbook) {
  const auto workbook = [&](const std::string& name, const std::string& rows) {
    const std::string path = dir_.file(name);
    const auto written =
        runCommand({"/usr/bin/python3", "-c",
                    "import sys, json, openpyxl\n"
                    "from openpyxl.styles import PatternFill\n"
                    "book = openpyxl.Workbook()\n"
                    "sheet = book.active\n"
                    "sheet.title = 'Danh bạ'\n"
                    "for row in json.loads(sys.argv[2]): sheet.append(row)\n"
                    "sheet.cell(row=sheet.max_row + 2, column=2).fill = PatternFill('solid', "
                    "fgColor='FFFF00')\n"
                    "other = book.create_sheet('Ghi chú')\n"
                    "other.append(['code', 'name', 'type'])\n"
                    "other.append(['H99.01', 'Không đọc', 'other'])\n"
                    "book.save(sys.argv[1])\n",
                    path, rows});
    EXPECT_EQ(written.exit_code, 0) << written.err;
    return path;
  };
  const std::string bad = workbook(
      "bad.xlsx",
      R"([["code", "name", "type", "parent"], ["H48.01", "UBND phường Hải Châu", "commune", "H48"],)"
      R"( ["H48.02", null, "commune"], ["h48.03", "UBND xã Hòa Vang", "commune"],)"
      R"( ["H48.01", "UBND phường Hải Châu", "commune"]])");
  const auto refused = hub_.admin({"agencies", "import", bad});
  EXPECT_EQ(refused.exit_code, 2);
  for (const char* where : {"bad.xlsx:3:", "bad.xlsx:4:", "bad.xlsx:5:"}) {
    EXPECT_NE(refused.err.find(where), std::string::npos) << where << "\n" << refused.err;
  }
  EXPECT_EQ(refused.err.find("bad.xlsx:2:"), std::string::npos) << refused.err;
  EXPECT_EQ(hub_.admin({"agencies", "--json"}).out, "[]\n");  // nothing imported

  const std::string good =
      workbook("danh-ba.xlsx",
               R"([["Code", "Name", "Type", "Parent"], ["H48", "UBND thành phố Đà Nẵng", "other"],)"
               R"( ["H48.01", "UBND phường Hải Châu, quận cũ", "commune", "H48"],)"
               R"( ["H48.10", 2025, "department", "H48"]])");
  const auto imported = hub_.admin({"agencies", "import", good});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto agencies = jsonArray(hub_.admin({"agencies", "--json"}));
  ASSERT_EQ(agencies->size(), 3u) << "the second sheet is not read";
  EXPECT_EQ(agencies->getObject(1)->getValue<std::string>("name"), "UBND phường Hải Châu, quận cũ");
  EXPECT_EQ(agencies->getObject(1)->getValue<std::string>("parent"), "H48");
  EXPECT_EQ(agencies->getObject(1)->getValue<std::string>("type"), "commune");
  EXPECT_EQ(agencies->getObject(2)->getValue<std::string>("name"), "2025");
  EXPECT_TRUE(agencies->getObject(0)->isNull("parent"));

  // A file named .xlsx that is no workbook is refused whole, saying so.
  const std::string broken = dir_.file("hong.xlsx");
  writeFile(broken, std::string("PK\x03\x04", 4) + "không phải tệp Excel");
  const auto unreadable = hub_.admin({"agencies", "import", broken});
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_NE(unreadable.err.find("không đọc được tệp Excel"), std::string::npos) << unreadable.err;
}

TEST_P(HubAdminTest, RevokeAsksOnATerminalUnlessYes) {
  hub_.start();
  const auto first = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const auto second = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const auto third = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const std::vector<std::string> revoke = {hubBinary(), "--config", hub_.config(),
                                           "admin",     "revoke",   "--agent"};
  auto on = [&](const std::string& agent) {
    auto argv = revoke;
    argv.push_back(agent);
    return argv;
  };
  auto revoked = [&](const std::string& agent) {
    const auto agents = jsonArray(hub_.admin({"agents", "--json"}));
    for (unsigned i = 0; i < agents->size(); ++i) {
      if (agents->getObject(i)->getValue<std::string>("agent_id") == agent) {
        return agents->getObject(i)->getValue<bool>("revoked");
      }
    }
    return false;
  };
  // Enter: nothing happens.
  const auto declined = runOnTerminal(on(first.agent_id), "\n");
  EXPECT_EQ(declined.exit_code, 1) << declined.out;
  EXPECT_NE(declined.out.find("PC-H21.09"), std::string::npos) << declined.out;
  EXPECT_FALSE(revoked(first.agent_id));
  const auto confirmed = runOnTerminal(on(first.agent_id), "c\n");
  EXPECT_EQ(confirmed.exit_code, 0) << confirmed.out;
  EXPECT_TRUE(revoked(first.agent_id));
  // --yes: no question (nothing typed; it would wait for an answer otherwise).
  auto yes = on(second.agent_id);
  yes.push_back("--yes");
  const auto told = runOnTerminal(yes, "");
  EXPECT_EQ(told.exit_code, 0) << told.out;
  EXPECT_TRUE(revoked(second.agent_id));
  // No terminal (a script): no question either.
  EXPECT_EQ(hub_.admin({"revoke", "--agent", third.agent_id}).exit_code, 0);
  EXPECT_TRUE(revoked(third.agent_id));
}

INSTANTIATE_TEST_SUITE_P(Backends, HubAdminTest, kStoreBackends, storeBackendName);

// Admin commands on a store that is not there: the path in the error, exit 2, nothing created.
TEST(HubAdminStoreTest, AdminCommandsNeverCreateAStore) {
  TempDir dir;
  const std::string folder = dir.file("nowhere");
  HubUnderTest hub(dir.path().string(), {.store_url = "sqlite:" + folder + "/hub.db"});
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"agents"},
           {"agents", "--json"},
           {"enroll-code", "--agency", "H21.09", "--name", "UBND xã Bình Chương"},
           {"inventory", "--agency", "H21.09"},
           {"codes"},
           {"agencies", "import", dir.file("none.csv")}}) {
    const auto result = hub.admin(args);
    EXPECT_EQ(result.exit_code, 2) << args[0] << result.out;
    EXPECT_NE(result.err.find(folder + "/hub.db"), std::string::npos) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
  EXPECT_FALSE(std::filesystem::exists(folder));
  // The hub itself creates its store on its first start; admin commands then work.
  hub.start();
  EXPECT_EQ(hub.admin({"agents", "--json"}).out, "[]\n");
}

// The same on PostgreSQL: an empty database (made by the DBA) holds no store until the hub
// starts on it; admin commands say so and create no table.
TEST(HubAdminStoreTest, AdminCommandsCreateNoTableInAnEmptyPostgresDatabase) {
  CKS_REQUIRE_POSTGRES();
  TempDir dir;
  const std::string url = freshPostgresUrl();
  HubUnderTest hub(dir.path().string(), {.store_url = url});
  const auto refused = runCommand({hubBinary(), "--config", hub.config(), "admin", "agents"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("Không có kho dữ liệu của hub"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("s3cret"), std::string::npos);
  const auto schema = hub::postgresHubSchemaExists(url);
  ASSERT_TRUE(schema) << schema.error().message;
  EXPECT_FALSE(*schema);
  hub.start();
  hub.stop();
  EXPECT_EQ(runCommand({hubBinary(), "--config", hub.config(), "admin", "agents", "--json"}).out,
            "[]\n");
}

}  // namespace
}  // namespace cks::test
