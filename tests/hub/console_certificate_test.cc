// Logging in to the console with the staff member's own public-service certificate (issue 14,
// "Security"): the real cks-hub with [console] client_ca set to a "government" root made here,
// a real TLS client presenting each certificate. The certificate bound to an account
// (`admin user certificate`) logs it in; a valid one bound to none is 401; an agent's
// certificate from the hub's own agent CA never opens the console; without a certificate the
// password login still works. Each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace {

// Someone holding a certificate and its key, as the browser does with the token.
struct Holder {
  std::string key_pem;
  std::string cert_pem;
};

class ConsoleCertificateTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreBackend::Postgresql) CKS_REQUIRE_POSTGRES();
    hub_.start();
  }

  std::string consoleIni() const {
    writeFile(dir_.file("government-ca.pem"), government_.cert_pem);
    return "[console]\nport = " + std::to_string(console_port_) +
           "\nwww = " CKS_SOURCE_DIR "/hub/console/www\nclient_ca = government-ca.pem\n";
  }

  Holder holder(const TestIssuer& ca, const std::string& name) const {
    Holder h;
    h.key_pem = makeKeyPem();
    h.cert_pem = issueCertificatePem(ca, h.key_pem, name);
    return h;
  }

  // `cks-hub admin user add --name NAME --role ROLE`; the one-time password it prints (the
  // second line's last word).
  std::string addUser(const std::string& name, const std::string& role) {
    const auto added = hub_.admin({"user", "add", "--name", name, "--role", role});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    const auto second = added.out.find('\n');
    const auto end = added.out.find('\n', second + 1);
    if (second == std::string::npos || end == std::string::npos) return "";
    const std::string line = added.out.substr(second + 1, end - second - 1);
    return line.substr(line.rfind(' ') + 1);
  }

  // `cks-hub admin user certificate --name NAME --certificate FILE`.
  CommandResult bind(const std::string& name, const Holder& holder) {
    const std::string file = dir_.file(name + ".pem");
    writeFile(file, holder.cert_pem);
    return hub_.admin({"user", "certificate", "--name", name, "--certificate", file});
  }

  // POST /login/certificate on a connection presenting `who` (nullptr: no certificate).
  HttpReply certificateLogin(const Holder* who, bool* handshake = nullptr) {
    TlsConnection tls(console_port_,
                      who ? hub_.client(who->cert_pem, who->key_pem) : hub_.client());
    if (handshake != nullptr) *handshake = tls.handshakeDone();
    if (!tls.handshakeDone()) return {};
    return tls.request("POST", "/login/certificate", "{}", {{"Content-Type", "application/json"}});
  }

  // GET `path` with the session cookie of `login`, over a connection without a certificate.
  HttpReply get(const std::string& path, const HttpReply& login) {
    const auto cookie = login.headers.find("set-cookie");
    EXPECT_NE(cookie, login.headers.end());
    if (cookie == login.headers.end()) return {};
    TlsConnection tls(console_port_, hub_.client());
    return tls.request("GET", path, "",
                       {{"Cookie", cookie->second.substr(0, cookie->second.find(';'))}});
  }

  static std::string error(const HttpReply& reply) {
    return reply.json()->getValue<std::string>("error");
  }

  TempDir dir_;
  const TestIssuer government_ = makeCaPem("RootCA chuyên dùng Chính phủ (thử)");
  const int console_port_ = freePort();
  HubUnderTest hub_{dir_.path().string(),
                    {.extra = consoleIni(), .store_url = storeUrlFor(GetParam())}};
};

TEST_P(ConsoleCertificateTest, TheBoundCertificateLogsInAndAnUnboundOneIsRefused) {
  const Holder officer = holder(government_, "Nguyễn Văn An");
  const Holder stranger = holder(government_, "Trần Thị Bình");
  (void)addUser("can.bo", "officer");
  const auto bound = bind("can.bo", officer);
  ASSERT_EQ(bound.exit_code, 0) << bound.err;
  EXPECT_NE(bound.out.find("Nguyễn Văn An"), std::string::npos) << bound.out;

  const auto listed = hub_.admin({"user", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto accounts = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  const auto certificate = accounts->getObject(0)->getObject("certificate");
  ASSERT_TRUE(certificate) << listed.out;
  const std::string fingerprint = certificate->getValue<std::string>("fingerprint_sha256");
  EXPECT_EQ(fingerprint.size(), 64u);
  EXPECT_EQ(certificate->getValue<std::string>("subject"), "CN=Nguyễn Văn An");

  const auto in = certificateLogin(&officer);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json()->getValue<std::string>("name"), "can.bo");
  EXPECT_EQ(in.json()->getValue<std::string>("role"), "officer");
  EXPECT_FALSE(in.json()->getValue<bool>("must_change_password"))
      << "a certificate login needs no one-time password changed";
  EXPECT_FALSE(in.json()->getValue<std::string>("csrf_token").empty());
  // The session works on any connection, as a password session does.
  EXPECT_EQ(get("/api/v1/certificates", in).status, 200);

  const auto unbound = certificateLogin(&stranger);
  EXPECT_EQ(unbound.status, 401) << unbound.body;
  EXPECT_EQ(error(unbound), "unauthenticated");
  EXPECT_NE(unbound.json()->getValue<std::string>("message").find("chưa được gắn"),
            std::string::npos)
      << unbound.body;
  EXPECT_EQ(unbound.headers.count("set-cookie"), 0u);

  // Unbinding ends the certificate's sessions and its logins.
  const auto cleared = hub_.admin({"user", "certificate", "--name", "can.bo", "--clear"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(get("/api/v1/certificates", in).status, 401);
  EXPECT_EQ(certificateLogin(&officer).status, 401);

  const auto audit = hub_.admin({"audit", "--json", "--action", "user.certificate"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find(fingerprint), std::string::npos) << audit.out;
}

TEST_P(ConsoleCertificateTest, AnAgentsCertificateNeverOpensTheConsole) {
  const EnrolledAgent agent = hub_.enroll("H21.09", "UBND xã Bình Chương");
  const Holder as_agent{agent.key_pem, agent.cert_pem};
  // Even bound to an account: the console trusts the government's CAs, never the agent CA.
  (void)addUser("quan.tri", "admin");
  ASSERT_EQ(bind("quan.tri", as_agent).exit_code, 0);
  bool handshake = false;
  const auto refused = certificateLogin(&as_agent, &handshake);
  EXPECT_FALSE(handshake && refused.answered) << refused.status << " " << refused.body;
  EXPECT_NE(refused.status, 200);

  // Nor does a certificate of some other CA.
  const TestIssuer other = makeCaPem("Some other CA");
  const Holder foreign = holder(other, "Nguyễn Văn An");
  const auto foreign_login = certificateLogin(&foreign, &handshake);
  EXPECT_FALSE(handshake && foreign_login.answered) << foreign_login.body;
}

TEST_P(ConsoleCertificateTest, WithoutACertificateThePasswordLoginStillWorks) {
  const Holder officer = holder(government_, "Nguyễn Văn An");
  const std::string one_time = addUser("can.bo", "officer");
  ASSERT_EQ(bind("can.bo", officer).exit_code, 0);

  bool handshake = false;
  const auto none = certificateLogin(nullptr, &handshake);
  ASSERT_TRUE(handshake) << "a certificate is asked for, never required";
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(error(none), "unauthenticated");
  EXPECT_NE(none.json()->getValue<std::string>("message").find("chứng thư số"), std::string::npos)
      << none.body;
  // A header never stands in for the certificate.
  TlsConnection tls(console_port_, hub_.client());
  const auto forged = tls.request("POST", "/login/certificate", "{}",
                                  {{"Content-Type", "application/json"},
                                   {"X-Client-Certificate", officer.cert_pem.substr(0, 40)},
                                   {"X-SSL-Client-SHA256", std::string(64, 'a')}});
  EXPECT_EQ(forged.status, 401) << forged.body;

  TlsConnection password(console_port_, hub_.client());
  const auto in =
      password.request("POST", "/login", R"({"name": "can.bo", "password": ")" + one_time + "\"}",
                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_TRUE(in.json()->getValue<bool>("must_change_password"));

  // The login page offers the certificate login.
  TlsConnection page(console_port_, hub_.client());
  const auto first = page.request("GET", "/", "");
  EXPECT_NE(first.body.find("Đăng nhập bằng chứng thư số"), std::string::npos);

  // A disabled account cannot log in either way.
  ASSERT_EQ(hub_.admin({"user", "disable", "--name", "can.bo"}).exit_code, 0);
  const auto disabled = certificateLogin(&officer);
  EXPECT_EQ(disabled.status, 409) << disabled.body;
  EXPECT_EQ(error(disabled), "failed_precondition");
}

TEST_P(ConsoleCertificateTest, BindingRefusesAMissingFileACaAndATakenCertificate) {
  const Holder officer = holder(government_, "Nguyễn Văn An");
  (void)addUser("can.bo", "officer");
  (void)addUser("lanh.dao", "viewer");
  const auto missing = hub_.admin(
      {"user", "certificate", "--name", "can.bo", "--certificate", dir_.file("khong-co.pem")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("khong-co.pem"), std::string::npos) << missing.err;
  writeFile(dir_.file("root.pem"), government_.cert_pem);
  EXPECT_EQ(hub_.admin({"user", "certificate", "--name", "can.bo", "--certificate",
                        dir_.file("root.pem")})
                .exit_code,
            2)
      << "a CA's certificate";
  EXPECT_EQ(hub_.admin({"user", "certificate", "--name", "can.bo"}).exit_code, 2);
  ASSERT_EQ(bind("can.bo", officer).exit_code, 0);
  const auto taken = bind("lanh.dao", officer);
  EXPECT_EQ(taken.exit_code, 1) << taken.err;
  EXPECT_NE(taken.err.find("can.bo"), std::string::npos) << taken.err;
  EXPECT_EQ(hub_.admin({"user", "certificate", "--name", "khong.co", "--clear"}).exit_code, 1);
  const auto table = hub_.admin({"user", "list"});
  EXPECT_NE(table.out.find("Nguyễn Văn An"), std::string::npos) << table.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleCertificateTest, kStoreBackends, storeBackendName);

}  // namespace
}  // namespace cks::test
