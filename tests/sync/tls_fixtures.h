// Real TLS peers for transport and enrolment tests: a small PKI made with OpenSSL (hub server
// CA, agent CA, a rogue CA), an in-process HTTPS server with mutual TLS (Poco SecureServerSocket
// + HTTPServer) that answers from a handler, an HTTP CONNECT proxy, and a listener that never
// answers. Servers run on 127.0.0.1 port 0 and stop in their destructors. Builders throw
// std::runtime_error on failure, which fails the test that called them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace cks::sync::test {

struct Pem {
  std::string certificate;
  std::string key;
};

// A CA with an EC P-256 key, made in memory.
class TestAuthority {
 public:
  explicit TestAuthority(const std::string& common_name);
  ~TestAuthority();
  TestAuthority(const TestAuthority&) = delete;
  TestAuthority& operator=(const TestAuthority&) = delete;

  [[nodiscard]] std::string certificatePem() const;
  // A server certificate (serverAuth) for dNSName `dns_name`, or a client certificate
  // (clientAuth) when dns_name is empty, with a fresh key.
  [[nodiscard]] Pem issue(const std::string& common_name, const std::string& dns_name) const;
  // Signs a CSR's key as a client certificate (what the hub's agent CA does at enrolment).
  [[nodiscard]] std::string signRequest(const std::string& csr_pem,
                                        const std::string& common_name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when the CSR and the certificate carry the same public key (proof of possession).
[[nodiscard]] bool sameKey(const std::string& csr_pem, const std::string& certificate_pem);

// Every file the TLS tests need, written once per test program into a temporary directory.
struct TlsFiles {
  std::string hub_ca;                               // the hub's server CA
  std::string server_cert, server_key;              // CN=localhost, by hub_ca
  std::string wrong_host_cert, wrong_host_key;      // DNS:hub.elsewhere.vn, by hub_ca
  std::string rogue_ca;                             // an unrelated CA
  std::string rogue_server_cert, rogue_server_key;  // DNS:localhost, by rogue_ca
  std::string agent_ca;                             // the hub's agent CA
  std::string client_cert, client_key;              // CN=agent-1, by agent_ca

  static const TlsFiles& get();
  const TestAuthority& agentAuthority() const { return *agent_authority; }

  std::shared_ptr<TestAuthority> agent_authority;
  std::shared_ptr<cks::test::TempDir> dir;
};

struct SeenRequest {
  std::string path;
  std::string content_encoding;
  std::string accept_encoding;
  std::string raw_body;  // as it arrived
  std::string body;      // decompressed
  std::string client_cn;
  std::string client_cert_pem;
};

struct Reply {
  int status = 200;
  std::string body;
};

// An HTTPS server with mutual TLS. By default it requires a client certificate from
// TlsFiles::agent_ca; `accept_any_client` takes any client certificate (as the hub does for a
// self-signed one on /v1/enroll).
class TestHubServer {
 public:
  using Handler = std::function<Reply(const SeenRequest&)>;
  struct Options {
    std::string cert_file;
    std::string key_file;
    bool accept_any_client = false;
  };

  TestHubServer(Options options, Handler handler);
  ~TestHubServer();
  TestHubServer(const TestHubServer&) = delete;
  TestHubServer& operator=(const TestHubServer&) = delete;

  [[nodiscard]] int port() const;
  // https://localhost:port
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::vector<SeenRequest> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An HTTP proxy that understands only CONNECT, and records each request line.
class ConnectProxy {
 public:
  ConnectProxy();
  ~ConnectProxy();
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  [[nodiscard]] int port() const;
  [[nodiscard]] std::vector<std::string> requestLines() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A TCP listener whose connections complete in the kernel but are never read or answered.
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A TCP port on 127.0.0.1 with nothing listening (bound, then closed).
[[nodiscard]] int closedPort();

// Sets (or unsets, with nullptr) an environment variable for the scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  bool had_ = false;
  std::string old_;
};

}  // namespace cks::sync::test
