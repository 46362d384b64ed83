// hub.ini: every key read, relative paths against the file, and each kind of mistake stops
// cks-hub with one line naming the file, line, section and key, and exit code 2.
#include "hub/hub_config.h"

#include <gtest/gtest.h>

#include "tests/hub/hub_under_test.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;

int lineCount(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

TEST(HubConfigTest, ReadsEveryKeyAndResolvesRelativePathsAgainstTheFile) {
  test::TempDir dir;
  const std::string path = dir.file("hub.ini");
  test::writeFile(path,
                  "[server]\nport = 9443\nbind = 127.0.0.1\nmax_body = 512K\nthreads = 8\n"
                  "request_deadline = 20s\nconnections_per_address = 64\n"
                  "unenrolled_connections = 4\nagent_daily_volume = 16M\n"
                  "[tls]\ndir = pki\nserver_names = hub.quangngai.gov.vn, 10.0.0.5\n"
                  "organization = Sở KH&CN tỉnh Quảng Ngãi\n"
                  "[store]\nurl = sqlite:data/hub.db\n"
                  "[expiry]\nexpiring_days = 30\n"
                  "[upstream]\ndir = national\nproxy = env\ntimeout = 2m\n"
                  "[log]\nlevel = debug\nfile = hub.log\nrotation = 5 M\nkeep = 3\nconsole = no\n");
  const auto config = loadHubConfig(path);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 9443);
  EXPECT_EQ(config->bind, "127.0.0.1");
  EXPECT_EQ(config->max_body, 512u * 1024);
  EXPECT_EQ(config->threads, 8);
  EXPECT_EQ(config->request_deadline, 20s);
  EXPECT_EQ(config->connections_per_address, 64);
  EXPECT_EQ(config->unenrolled_connections, 4);
  EXPECT_EQ(config->agent_daily_volume, 16u * 1024 * 1024);
  EXPECT_EQ(config->tls_dir, dir.file("pki"));
  EXPECT_EQ(config->server_names, (std::vector<std::string>{"hub.quangngai.gov.vn", "10.0.0.5"}));
  EXPECT_EQ(config->organization, "Sở KH&CN tỉnh Quảng Ngãi");
  EXPECT_EQ(config->store.kind, StoreLocation::Kind::Sqlite);
  EXPECT_EQ(config->store.path, dir.file("data/hub.db"));
  EXPECT_EQ(config->expiring_days, 30);
  EXPECT_EQ(config->upstream.dir, dir.file("national"));
  EXPECT_EQ(config->upstream.proxy, "env");
  EXPECT_EQ(config->upstream.timeout, 2min);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.file, dir.file("hub.log"));
  EXPECT_EQ(config->log.rotation, "5 M");
  EXPECT_EQ(config->log.keep, 3);
  EXPECT_FALSE(config->log.console);
}

TEST(HubConfigTest, AnEmptyFileGivesTheDocumentedDefaults) {
  test::TempDir dir;
  test::writeFile(dir.file("hub.ini"), "; nothing set\n");
  const auto config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 8443);
  EXPECT_EQ(config->bind, "0.0.0.0");
  EXPECT_EQ(config->max_body, 4u * 1024 * 1024);
  EXPECT_EQ(config->threads, 16);
  EXPECT_EQ(config->tls_dir, "/var/lib/cks-hub/tls");
  EXPECT_EQ(config->store.path, "/var/lib/cks-hub/hub.db");
  EXPECT_EQ(config->expiring_days, 90);
  EXPECT_EQ(config->upstream.dir, "/var/lib/cks-hub/upstream");
  EXPECT_EQ(config->upstream.proxy, "");
  EXPECT_EQ(config->upstream.timeout, 30s);
  EXPECT_TRUE(config->log.console);
}

TEST(HubConfigTest, TheShippedHubIniIsValidAndHoldsTheDefaults) {
  const auto shipped = loadHubConfig(CKS_SOURCE_DIR "/config/hub.ini");
  ASSERT_TRUE(shipped) << shipped.error().message;
  const HubConfig defaults;
  EXPECT_EQ(shipped->port, defaults.port);
  EXPECT_EQ(shipped->bind, defaults.bind);
  EXPECT_EQ(shipped->max_body, defaults.max_body);
  EXPECT_EQ(shipped->threads, defaults.threads);
  EXPECT_EQ(shipped->request_deadline, defaults.request_deadline);
  EXPECT_EQ(shipped->connections_per_address, defaults.connections_per_address);
  EXPECT_EQ(shipped->unenrolled_connections, defaults.unenrolled_connections);
  EXPECT_EQ(shipped->agent_daily_volume, defaults.agent_daily_volume);
  EXPECT_EQ(shipped->tls_dir, defaults.tls_dir);
  EXPECT_EQ(shipped->store.path, defaults.store.path);
  EXPECT_EQ(shipped->expiring_days, defaults.expiring_days);
  EXPECT_EQ(shipped->log.level, defaults.log.level);
  EXPECT_TRUE(shipped->server_names.empty());
}

TEST(HubConfigTest, TheConsoleIsOffUntilAPortIsSetAndItsPathsResolveAgainstTheFile) {
  test::TempDir dir;
  test::writeFile(dir.file("off.ini"), "[console]\nbind = 127.0.0.1\n");
  const auto off = loadHubConfig(dir.file("off.ini"));
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->console.enabled());
  EXPECT_EQ(off->console.idle_timeout, 30min);
  EXPECT_EQ(off->console.session_lifetime, 12h);

  test::writeFile(dir.file("hub.ini"),
                  "[console]\nport = 8444\nbind = 10.0.0.5\ncertificate = web/chain.pem\n"
                  "key = web/key.pem\nwww = pages\nidle_timeout = 15m\nsession_lifetime = 8h\n");
  const auto config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->console.enabled());
  EXPECT_EQ(config->console.port, 8444);
  EXPECT_EQ(config->console.bind, "10.0.0.5");
  EXPECT_EQ(config->console.certificate, dir.file("web/chain.pem"));
  EXPECT_EQ(config->console.key, dir.file("web/key.pem"));
  EXPECT_EQ(config->console.www, dir.file("pages"));
  EXPECT_EQ(config->console.idle_timeout, 15min);
  EXPECT_EQ(config->console.session_lifetime, 8h);

  for (const char* bad :
       {"idle_timeout = 4s", "session_lifetime = 30s", "session_lifetime = 30d", "port = 0"}) {
    test::writeFile(dir.file("bad.ini"), std::string("[console]\n") + bad + "\n");
    const auto refused = loadHubConfig(dir.file("bad.ini"), Language::English);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("bad.ini:2: [console]"), std::string::npos)
        << refused.error().message;
  }
}

TEST(HubConfigTest, AStorePathWithoutSchemeIsSqlite) {
  test::TempDir dir;
  test::writeFile(dir.file("hub.ini"), "[store]\nurl = /srv/hub.db\n");
  const auto config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->store.path, "/srv/hub.db");
}

TEST(HubConfigTest, APostgresqlUrlIsKeptAndShownWithoutItsPassword) {
  test::TempDir dir;
  const std::string url =
      "postgresql://cks_hub:s3cret@db.quangngai.gov.vn:5433/cks_hub?sslmode=require";
  test::writeFile(dir.file("hub.ini"), "[store]\nurl = " + url + "\n");
  const auto config = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->store.kind, StoreLocation::Kind::Postgresql);
  EXPECT_EQ(config->store.url, url);
  EXPECT_EQ(config->store.path,
            "postgresql://cks_hub@db.quangngai.gov.vn:5433/cks_hub?sslmode=require");
  test::writeFile(dir.file("hub.ini"),
                  "[store]\nurl = postgres://cks_hub@/cks_hub?host=/run/postgresql\n");
  const auto socket = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(socket) << socket.error().message;
  EXPECT_EQ(socket->store.kind, StoreLocation::Kind::Postgresql);
}

TEST(HubConfigTest, SizesAndDurationsParse) {
  std::size_t size = 0;
  EXPECT_TRUE(parseByteSize("4M", size));
  EXPECT_EQ(size, 4u << 20);
  EXPECT_TRUE(parseByteSize("512K", size));
  EXPECT_EQ(size, 512u << 10);
  EXPECT_TRUE(parseByteSize("4 MiB", size));
  EXPECT_EQ(size, 4u << 20);
  EXPECT_TRUE(parseByteSize("1000", size));
  EXPECT_EQ(size, 1000u);
  EXPECT_FALSE(parseByteSize("4X", size));
  EXPECT_FALSE(parseByteSize("M", size));
  std::chrono::seconds seconds{};
  EXPECT_TRUE(parseSeconds("72h", seconds));
  EXPECT_EQ(seconds, 72h);
  EXPECT_TRUE(parseSeconds("1s", seconds));
  EXPECT_EQ(seconds, 1s);
  EXPECT_TRUE(parseSeconds("7d", seconds));
  EXPECT_EQ(seconds, 7 * 24h);
  EXPECT_FALSE(parseSeconds("soon", seconds));
}

struct Mistake {
  std::string ini;
  std::string expected;  // a part of the one line
};

const std::vector<Mistake> kMistakes = {
    {"[server]\nport = 70000\n", "hub.ini:2: [server] port: bad value \"70000\""},
    {"[server]\nbind = everywhere\n", "hub.ini:2: [server] bind: bad value"},
    {"[server]\nmax_body = lots\n", "hub.ini:2: [server] max_body: bad value \"lots\""},
    {"[server]\nthreads = 0\n", "hub.ini:2: [server] threads: bad value"},
    {"[server]\nrequest_deadline = 0s\n", "hub.ini:2: [server] request_deadline: bad value"},
    {"[server]\nconnections_per_address = 0\n",
     "hub.ini:2: [server] connections_per_address: bad value"},
    {"[server]\nprot = 8443\n", "hub.ini:2: [server] prot: unknown key"},
    {"[servre]\nport = 8443\n", "hub.ini:2: [servre]: unknown section"},
    {"[tls]\nserver_names = hub..vn\n", "hub.ini:2: [tls] server_names: bad value"},
    {"[store]\nurl = postgresql://hub:s3cret@db:5432x/cks\n",
     "hub.ini:2: [store] url: bad PostgreSQL URL postgresql://hub@db:5432x/cks: port \"5432x\""},
    {"[store]\nurl = postgresql://hub:s3cret@db/cks?colour=red\n",
     "hub.ini:2: [store] url: bad PostgreSQL URL postgresql://hub@db/cks?colour=red: invalid URI "
     "query parameter: \"colour\""},
    {"[store]\nurl = postgres://hub:s3cret@[::1/cks\n",
     "hub.ini:2: [store] url: bad PostgreSQL URL"},
    {"[store]\nurl = mysql://hub:s3cret@db/cks\n",
     "hub.ini:2: [store] url: bad value \"mysql://hub@db/cks\""},
    {"[expiry]\nexpiring_days = -1\n", "hub.ini:2: [expiry] expiring_days: bad value"},
    {"[log]\nlevel = loud\n", "hub.ini:2: [log] level: bad value \"loud\""},
    {"[upstream]\ntimeout = forever\n", "hub.ini:2: [upstream] timeout: bad value \"forever\""},
    {"[upstream]\nproxy = socks5://p:1080\n", "hub.ini:2: [upstream] proxy: bad value"},
    {"port = 8443\n", "hub.ini:1: []: unknown section"},
    {"[server\nport = 1\n", "hub.ini:1"},
};

TEST(HubConfigTest, RevocationIsOffUntilCaFilesAreSetAndEachBadKeyIsNamed) {
  test::TempDir dir;
  test::writeFile(dir.file("hub.ini"), "[upstream]\nproxy = env\n");
  const auto off = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->revocation.enabled());
  EXPECT_EQ(off->revocation.refresh, std::chrono::hours(6));

  test::writeFile(dir.file("gov-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
  test::writeFile(dir.file("hub.ini"),
                  "[revocation]\nca_files = gov-ca.pem\ncrl_urls = http://ca.gov.vn/a.crl, "
                  "http://ca.gov.vn/b.crl\nrefresh_hours = 12\n");
  const auto on = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_TRUE(on->revocation.enabled());
  EXPECT_EQ(on->revocation.ca_files, std::vector<std::string>{dir.file("gov-ca.pem")});
  EXPECT_EQ(on->revocation.crl_urls,
            (std::vector<std::string>{"http://ca.gov.vn/a.crl", "http://ca.gov.vn/b.crl"}));
  EXPECT_EQ(on->revocation.refresh, std::chrono::hours(12));
  EXPECT_EQ(on->revocation.proxy, std::nullopt) << "[upstream] proxy then";

  for (const auto& [text, named] : std::vector<std::pair<std::string, std::string>>{
           {"ca_files = khong-co.pem", "khong-co.pem"},
           {"crl_urls = ldap://ca.gov.vn/a.crl", "crl_urls"},
           {"refresh_hours = 0", "refresh_hours"},
           {"proxy = socks5://proxy", "proxy"}}) {
    test::writeFile(dir.file("hub.ini"), "[revocation]\n" + text + "\n");
    const auto bad = loadHubConfig(dir.file("hub.ini"));
    ASSERT_FALSE(bad) << text;
    EXPECT_NE(bad.error().message.find("hub.ini:2: [revocation]"), std::string::npos)
        << bad.error().message;
    EXPECT_NE(bad.error().message.find(named), std::string::npos) << bad.error().message;
  }
}

TEST(HubConfigTest, TheConsoleClientCaIsAPemBundleNextToTheFileAndAMissingOneIsNamed) {
  test::TempDir dir;
  test::writeFile(dir.file("hub.ini"), "[console]\nport = 8444\n");
  const auto none = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->console.client_ca.empty()) << "password logins only by default";

  test::writeFile(dir.file("gov-ca.pem"),
                  "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  test::writeFile(dir.file("hub.ini"), "[console]\nport = 8444\nclient_ca = gov-ca.pem\n");
  const auto set = loadHubConfig(dir.file("hub.ini"));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->console.client_ca, dir.file("gov-ca.pem"));

  test::writeFile(dir.file("hub.ini"), "[console]\nport = 8444\nclient_ca = khong-co.pem\n");
  for (const Language language : {Language::Vietnamese, Language::English}) {
    const auto missing = loadHubConfig(dir.file("hub.ini"), language);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("hub.ini:3: [console]"), std::string::npos)
        << missing.error().message;
    EXPECT_NE(missing.error().message.find(dir.file("khong-co.pem")), std::string::npos)
        << missing.error().message;
  }

  test::writeFile(dir.file("not-pem.txt"), "not a certificate\n");
  test::writeFile(dir.file("hub.ini"), "[console]\nport = 8444\nclient_ca = not-pem.txt\n");
  const auto not_pem = loadHubConfig(dir.file("hub.ini"), Language::English);
  ASSERT_FALSE(not_pem);
  EXPECT_NE(not_pem.error().message.find("PEM"), std::string::npos) << not_pem.error().message;
}

TEST(HubConfigTest, EachMistakeIsOneMessageNamingFileLineSectionAndKey) {
  test::TempDir dir;
  for (const auto& mistake : kMistakes) {
    test::writeFile(dir.file("hub.ini"), mistake.ini);
    const auto config = loadHubConfig(dir.file("hub.ini"), Language::English);
    ASSERT_FALSE(config) << mistake.ini;
    EXPECT_NE(config.error().message.find(mistake.expected), std::string::npos)
        << config.error().message;
    EXPECT_EQ(config.error().message.find('\n'), std::string::npos);
    EXPECT_EQ(config.error().message.find("s3cret"), std::string::npos) << config.error().message;
  }
}

TEST(HubConfigTest, TheProgramExitsTwoWithOneLineForEachMistake) {
  test::TempDir dir;
  for (const auto& mistake : kMistakes) {
    test::writeFile(dir.file("hub.ini"), mistake.ini);
    for (const bool as_admin : {false, true}) {
      std::vector<std::string> argv = {test::hubBinary(), "--lang", "en", "--config",
                                       dir.file("hub.ini")};
      if (as_admin) argv.insert(argv.end(), {"admin", "agents"});
      const auto result = test::runCommand(argv);
      EXPECT_EQ(result.exit_code, 2) << mistake.ini << result.err;
      EXPECT_EQ(lineCount(result.err), 1) << result.err;
      EXPECT_NE(result.err.find(mistake.expected), std::string::npos) << result.err;
      EXPECT_EQ(result.err.rfind("cks-hub: ", 0), 0u) << result.err;
      EXPECT_EQ(result.err.find("s3cret"), std::string::npos) << result.err;
    }
  }
  const auto missing = test::runCommand({test::hubBinary(), "--config", dir.file("none.ini")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(lineCount(missing.err), 1) << missing.err;
  EXPECT_NE(missing.err.find("none.ini: không có tệp này"), std::string::npos) << missing.err;
  // Without --lang the province's staff read the problem in Vietnamese, from the catalogue.
  test::writeFile(dir.file("hub.ini"), "[server]\nport = 70000\n");
  const auto vietnamese = test::runCommand({test::hubBinary(), "--config", dir.file("hub.ini")});
  EXPECT_EQ(vietnamese.exit_code, 2);
  EXPECT_NE(vietnamese.err.find("hub.ini:2: [server] port: giá trị \"70000\" không hợp lệ (cần một "
                                "cổng TCP từ 1 đến 65535)"),
            std::string::npos)
      << vietnamese.err;
  const auto bad_argument = test::runCommand({test::hubBinary(), "--verbose"});
  EXPECT_EQ(bad_argument.exit_code, 2);
  EXPECT_NE(bad_argument.err.find("unknown argument \"--verbose\""), std::string::npos);
}

TEST(HubConfigTest, TheHubListensOnThePortOfItsConfiguration) {
  test::TempDir dir;
  test::HubUnderTest hub(dir.path().string());
  hub.start();
  const auto config = loadHubConfig(hub.config());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, hub.port());
  const std::string key = test::makeKeyPem();
  test::TlsConnection connection(config->port, hub.client(test::makeSelfSignedPem(key), key));
  EXPECT_TRUE(connection.handshakeDone()) << connection.error();
  EXPECT_NE(test::readFile(hub.log()).find("listening on 127.0.0.1:" + std::to_string(hub.port())),
            std::string::npos);
}

}  // namespace
}  // namespace cks::hub
