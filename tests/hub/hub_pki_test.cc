// The hub's PKI: made once and loaded afterwards, private keys 0600, the server certificate
// naming what agents connect to, agent certificates with the agent's identity, and the
// classification of client certificates the TLS listener relies on.
#include "hub/hub_pki.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "core/certificate.h"
#include "core/openssl_ptr.h"
#include "core/time_format.h"
#include "tests/hub/tls_client.h"
#include "tests/support/temp_dir.h"

namespace cks::hub {
namespace {

namespace fs = std::filesystem;
using X509Ptr = OpenSslPtr<X509, X509_free>;

X509Ptr readPem(const std::string& pem) {
  OpenSslPtr<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

Certificate parsePem(const std::string& pem) {
  const X509Ptr cert = readPem(pem);
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  std::vector<std::uint8_t> bytes(der, der + length);
  OPENSSL_free(der);
  return parseCertificateDer(bytes, SubscriberKindRules{});
}

int modeOf(const std::string& path) {
  struct stat info {};
  stat(path.c_str(), &info);
  return int(info.st_mode & 0777);
}

const FixedClock kClock(*parseIsoUtc("2026-11-22T04:50:38Z"));

TEST(HubPkiTest, MakesItsCasOnceAndLoadsThemAfterwards) {
  test::TempDir dir;
  const std::string tls = dir.file("tls");
  auto first = HubPki::open(tls, {}, "Sở KH&CN tỉnh Quảng Ngãi", kClock);
  ASSERT_TRUE(first) << first.error().message;
  auto second = HubPki::open(tls, {}, "ignored once made", kClock);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ((*first)->agentCaPem(), (*second)->agentCaPem());
  EXPECT_EQ((*first)->serverCaPem(), (*second)->serverCaPem());
  EXPECT_NE((*first)->agentCaPem(), (*first)->serverCaPem());
  const auto ca = parsePem((*first)->agentCaPem());
  EXPECT_EQ(ca.common_name, "cks agent CA");
  EXPECT_EQ(ca.organization, "Sở KH&CN tỉnh Quảng Ngãi");
  EXPECT_TRUE(ca.is_ca);
  for (const char* key : {"agent-ca.key", "server-ca.key", "server.key"}) {
    EXPECT_EQ(modeOf(tls + "/" + key), 0600) << key;
  }
  EXPECT_EQ(modeOf(tls), 0700);
}

TEST(HubPkiTest, TheServerCertificateNamesLocalhostAndTheConfiguredNames) {
  test::TempDir dir;
  auto pki = HubPki::open(dir.file("tls"), {"hub.quangngai.gov.vn", "10.0.0.5"}, "cks", kClock);
  ASSERT_TRUE(pki) << pki.error().message;
  const std::string server = test::readFile((*pki)->serverCertificateFile());
  EXPECT_TRUE(test::signedBy(server, (*pki)->serverCaPem()));
  EXPECT_FALSE(test::signedBy(server, (*pki)->agentCaPem()));
  const X509Ptr cert = readPem(server);
  for (const char* host : {"localhost", "hub.quangngai.gov.vn"}) {
    EXPECT_EQ(X509_check_host(cert.get(), host, 0, 0, nullptr), 1) << host;
  }
  for (const char* ip : {"127.0.0.1", "::1", "10.0.0.5"}) {
    EXPECT_EQ(X509_check_ip_asc(cert.get(), ip, 0), 1) << ip;
  }
  EXPECT_NE(X509_check_host(cert.get(), "evil.example", 0, 0, nullptr), 1);

  // A new name in the configuration gets a new server certificate from the same CA.
  auto again = HubPki::open(dir.file("tls"), {"hub2.quangngai.gov.vn"}, "cks", kClock);
  ASSERT_TRUE(again) << again.error().message;
  const std::string reissued = test::readFile((*again)->serverCertificateFile());
  EXPECT_NE(reissued, server);
  EXPECT_EQ((*again)->serverCaPem(), (*pki)->serverCaPem());
  EXPECT_EQ(X509_check_host(readPem(reissued).get(), "hub2.quangngai.gov.vn", 0, 0, nullptr), 1);
}

TEST(HubPkiTest, AgentCertificatesCarryTheAgentsIdentity) {
  test::TempDir dir;
  auto pki = HubPki::open(dir.file("tls"), {}, "cks", kClock);
  ASSERT_TRUE(pki) << pki.error().message;
  const std::string key = test::makeKeyPem();
  const auto issued =
      (*pki)->signAgentCsr(test::makeCsrPem(key, "whatever the agent asks"), "agent-1", "H21.09");
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_TRUE(test::signedBy(*issued, (*pki)->agentCaPem()));
  const auto cert = parsePem(*issued);
  EXPECT_EQ(cert.common_name, "agent-1");
  EXPECT_EQ(cert.organization, "H21.09");
  EXPECT_EQ(cert.organizational_units, (std::vector<std::string>{"cks-agent"}));
  EXPECT_EQ(cert.extended_key_usage, (std::vector<std::string>{"clientAuth"}));
  EXPECT_FALSE(cert.is_ca);
  EXPECT_GE(cert.daysLeft(kClock.now()), 729);
  EXPECT_LE(cert.daysLeft(kClock.now()), 731);

  const X509Ptr x509 = readPem(*issued);
  const ClientIdentity identity = (*pki)->identify(x509.get());
  EXPECT_EQ(identity.kind, ClientIdentity::Kind::Agent);
  EXPECT_EQ(identity.agent_id, "agent-1");
  EXPECT_EQ(identity.agency_code, "H21.09");
  EXPECT_EQ(identity.public_key, *(*pki)->csrPublicKey(test::makeCsrPem(key)));
}

TEST(HubPkiTest, RefusesWhatIsNotAVerifiableCsr) {
  test::TempDir dir;
  auto pki = HubPki::open(dir.file("tls"), {}, "cks", kClock);
  ASSERT_TRUE(pki) << pki.error().message;
  EXPECT_FALSE((*pki)->signAgentCsr("not a csr", "a", "H21.09"));
  std::string csr = test::makeCsrPem(test::makeKeyPem());
  csr[csr.size() / 2] = csr[csr.size() / 2] == 'A' ? 'B' : 'A';  // breaks the signature or DER
  EXPECT_FALSE((*pki)->csrPublicKey(csr));
}

TEST(HubPkiTest, ClassifiesSelfSignedAndForeignCertificates) {
  test::TempDir dir;
  auto pki = HubPki::open(dir.file("tls"), {}, "cks", kClock);
  ASSERT_TRUE(pki) << pki.error().message;
  const std::string key = test::makeKeyPem();
  const X509Ptr self_signed = readPem(test::makeSelfSignedPem(key));
  EXPECT_EQ((*pki)->identify(self_signed.get()).kind, ClientIdentity::Kind::SelfSigned);
  const X509Ptr foreign = readPem(test::makeForeignCertificatePem(key));
  EXPECT_EQ((*pki)->identify(foreign.get()).kind, ClientIdentity::Kind::Unknown);
  // The server CA is the hub's too, but it does not make agents.
  const X509Ptr server = readPem(test::readFile((*pki)->serverCertificateFile()));
  EXPECT_EQ((*pki)->identify(server.get()).kind, ClientIdentity::Kind::Unknown);
}

TEST(HubPkiTest, NeverReplacesACaWhoseKeyOrCertificateIsMissing) {
  test::TempDir dir;
  ASSERT_TRUE(HubPki::open(dir.file("tls"), {}, "cks", kClock));
  fs::remove(dir.file("tls/agent-ca.key"));
  auto broken = HubPki::open(dir.file("tls"), {}, "cks", kClock);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("agent-ca.key is missing"), std::string::npos)
      << broken.error().message;
}

}  // namespace
}  // namespace cks::hub
