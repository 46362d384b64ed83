// The [email] section of agent.ini (agent/agent_config.h): every key, its defaults, and the
// one-line refusals an IT officer sees when a value is wrong.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "agent/agent_config.h"
#include "tests/support/temp_dir.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;

constexpr char kModules[] = "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n";

Result<AgentConfig> load(const test::TempDir& dir, const std::string& email,
                         FileChecks checks = FileChecks::Skip) {
  test::writeFile(dir.file("agent.ini"), std::string(kModules) + email);
  return loadAgentConfig(dir.file("agent.ini"), checks, Language::English);
}

TEST(EmailConfigTest, ReadsEveryKey) {
  test::TempDir dir;
  test::writeFile(dir.file("smtp.pass"), "bí-mật\n");
  chmod(dir.file("smtp.pass").c_str(), 0600);
  test::writeFile(dir.file("ca.pem"), "");
  const auto config = load(dir,
                           "[agent]\nlanguage = vi\n"
                           "[email]\nserver = mail.quangngai.gov.vn\nport = 465\nsecurity = tls\n"
                           "user = cks-binhchuong\npassword_file = smtp.pass\n"
                           "from = cks@binhchuong.quangngai.gov.vn\n"
                           "to = it@binhchuong.quangngai.gov.vn, so@quangngai.gov.vn\n"
                           "to_critical = chutich@binhchuong.quangngai.gov.vn\n"
                           "to_warning = pho@binhchuong.quangngai.gov.vn\n"
                           "to_info =\n"
                           "to.certificate_expiring = vanthu@binhchuong.quangngai.gov.vn\n"
                           "to.token_pin_locked = vanthu@binhchuong.quangngai.gov.vn\n"
                           "digest_time = 6:05\nca_file = ca.pem\nlanguage = en\ntimeout = 10s\n",
                           FileChecks::Check);
  ASSERT_TRUE(config) << config.error().message;
  const EmailSettings& email = config->email;
  EXPECT_TRUE(email.enabled());
  EXPECT_EQ(email.server, "mail.quangngai.gov.vn");
  EXPECT_EQ(email.port, 465);
  EXPECT_EQ(email.security, EmailSettings::Security::Tls);
  EXPECT_EQ(email.user, "cks-binhchuong");
  EXPECT_EQ(email.password_file, dir.file("smtp.pass"));
  EXPECT_EQ(email.from, "cks@binhchuong.quangngai.gov.vn");
  EXPECT_EQ(email.to,
            (std::vector<std::string>{"it@binhchuong.quangngai.gov.vn", "so@quangngai.gov.vn"}));
  EXPECT_EQ(email.at_least.at(Severity::Critical),
            std::vector<std::string>{"chutich@binhchuong.quangngai.gov.vn"});
  EXPECT_EQ(email.at_least.at(Severity::Warning),
            std::vector<std::string>{"pho@binhchuong.quangngai.gov.vn"});
  EXPECT_TRUE(email.at_least.at(Severity::Info).empty());
  EXPECT_EQ(email.kinds.at(AlertKind::CertificateExpiring),
            std::vector<std::string>{"vanthu@binhchuong.quangngai.gov.vn"});
  EXPECT_EQ(email.kinds.at(AlertKind::TokenPinLocked),
            std::vector<std::string>{"vanthu@binhchuong.quangngai.gov.vn"});
  EXPECT_EQ(email.digest_time, 6h + 5min);
  EXPECT_EQ(email.ca_file, dir.file("ca.pem"));
  EXPECT_EQ(email.language, Language::English);
  EXPECT_EQ(email.timeout, 10s);
}

TEST(EmailConfigTest, IsOffWithoutAServerAndDefaultsFollowTheAgent) {
  test::TempDir dir;
  const auto off = load(dir, "");
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->email.enabled());

  const auto on = load(dir,
                       "[agent]\nlanguage = en\n"
                       "[email]\nserver = mail.quangngai.gov.vn\nfrom = cks@xa.gov.vn\n"
                       "to = it@xa.gov.vn\n");
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(on->email.port, 587);
  EXPECT_EQ(on->email.security, EmailSettings::Security::StartTls);
  EXPECT_EQ(on->email.digest_time, 7h + 30min);
  EXPECT_EQ(on->email.language, Language::English);  // the agent's
  EXPECT_TRUE(on->email.user.empty());
  EXPECT_EQ(on->email.timeout, 30s);
}

TEST(EmailConfigTest, RefusesBadValuesWithTheFileLineAndKey) {
  test::TempDir dir;
  const std::string file = dir.file("agent.ini");
  struct Case {
    std::string email;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"[email]\ndigest_time = 24:00\n",
       file + ":4: [email] digest_time: bad value \"24:00\" (expected a local time of day HH:MM, "
              "e.g. 07:30)"},
      {"[email]\nsecurity = ssl\n",
       file + ":4: [email] security: bad value \"ssl\" (expected starttls, tls or none)"},
      {"[email]\nto.certificate_expiring = văn thư\n",
       file + ":4: [email] to.certificate_expiring: bad value \"văn thư\" (expected "
              "comma-separated e-mail addresses)"},
      {"[email]\nfrom = CKS <cks@xa.gov.vn>\n",
       file + ":4: [email] from: bad value \"CKS <cks@xa.gov.vn>\" (expected one e-mail address, "
              "e.g. cks@binhchuong.quangngai.gov.vn)"},
      {"[email]\nserver = mail.xa.gov.vn\nto = it@xa.gov.vn\n",
       file + ":4: [email] from: missing (the sender's address is required when server is set)"},
      {"[email]\nserver = mail.xa.gov.vn\nfrom = cks@xa.gov.vn\n",
       file + ":4: [email] to: no recipient (set to, to_critical, … or to.KIND)"},
      {"[email]\nserver = mail.xa.gov.vn\nfrom = cks@xa.gov.vn\nto = it@xa.gov.vn\n"
       "security = none\n",
       file + ":7: [email] security: none sends mail unencrypted: allowed only for a server on "
              "this PC (localhost, 127.0.0.1); use starttls or tls"},
      {"[email]\nserver = mail.xa.gov.vn\nfrom = cks@xa.gov.vn\nto = it@xa.gov.vn\n"
       "user = cks\n",
       file + ":4: [email] password_file: missing (user is set: the password must be in a file)"},
  };
  for (const auto& c : cases) {
    const auto config = load(dir, c.email);
    ASSERT_FALSE(config) << c.email;
    EXPECT_EQ(config.error().message, c.message);
  }
  const auto unknown = load(dir, "[email]\nto.certificate_lost = it@xa.gov.vn\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("[email] to.certificate_lost: unknown key (known keys in "
                                         "[email]: ca_file, digest_time, from"),
            std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("to.certificate_expiring"), std::string::npos);
}

TEST(EmailConfigTest, NoneIsAllowedForAServerOnThisPc) {
  test::TempDir dir;
  const auto config = load(dir,
                           "[email]\nserver = 127.0.0.1\nport = 25\nsecurity = none\n"
                           "from = cks@xa.gov.vn\nto_critical = it@xa.gov.vn\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->email.security, EmailSettings::Security::None);
}

TEST(EmailConfigTest, RefusesAPasswordFileOthersCanRead) {
  test::TempDir dir;
  test::writeFile(dir.file("smtp.pass"), "secret\n");
  chmod(dir.file("smtp.pass").c_str(), 0644);
  const std::string email =
      "[email]\nserver = mail.xa.gov.vn\nfrom = cks@xa.gov.vn\nto = it@xa.gov.vn\n"
      "user = cks\npassword_file = smtp.pass\n";
  const auto refused = load(dir, email, FileChecks::Check);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            dir.file("agent.ini") + ":8: [email] password_file: " + dir.file("smtp.pass") +
                ": readable or writable by others (mode 644; it holds a password: chmod 600 " +
                dir.file("smtp.pass") + ")");
  EXPECT_EQ(refused.error().message.find("secret"), std::string::npos);

  chmod(dir.file("smtp.pass").c_str(), 0600);
  EXPECT_TRUE(load(dir, email, FileChecks::Check));

  std::filesystem::remove(dir.file("smtp.pass"));
  const auto missing = load(dir, email, FileChecks::Check);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("smtp.pass: no such file"), std::string::npos);
  EXPECT_TRUE(load(dir, email, FileChecks::Skip));  // cksctl need not read it
}

TEST(EmailConfigTest, TheShippedExamplesAreValid) {
  // config/agent.ini ships [email] commented out (off); each commented example must load.
  const auto shipped = std::filesystem::path(CKS_SOURCE_DIR) / "config" / "agent.ini";
  const std::string text = test::readFile(shipped.string());
  ASSERT_NE(text.find("[email]"), std::string::npos);
  const auto off = loadAgentConfig(shipped.string(), FileChecks::Skip);
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->email.enabled());

  std::string enabled;
  bool in_email = false;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '[') in_email = line == "[email]";
    if (in_email && line.size() > 1 && line[0] == ';' && line[1] != ' ') line.erase(0, 1);
    enabled += line + "\n";
  }
  test::TempDir dir;
  test::writeFile(dir.file("agent.ini"), enabled);
  const auto on = loadAgentConfig(dir.file("agent.ini"), FileChecks::Skip);
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_TRUE(on->email.enabled());
  EXPECT_EQ(on->email.kinds.at(AlertKind::TokenPinLocked),
            std::vector<std::string>{"vanthu@binhchuong.quangngai.gov.vn"});
}

}  // namespace
}  // namespace cks::agent
