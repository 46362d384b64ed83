#include "tests/sync/tls_fixtures.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "core/openssl_ptr.h"

namespace cks::sync::test {
namespace {

using KeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using KeyContextPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using RequestPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;

void require(bool ok, const std::string& what) {
  if (ok) return;
  char reason[256] = "no OpenSSL error";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error("tls_fixtures: " + what + ": " + reason);
}

KeyPtr makeKey() {
  const KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  require(context && EVP_PKEY_keygen_init(context.get()) == 1 &&
              EVP_PKEY_CTX_set_group_name(context.get(), "P-256") == 1 &&
              EVP_PKEY_generate(context.get(), &key) == 1,
          "generate key");
  return KeyPtr(key);
}

std::string toPem(X509* certificate) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509(bio.get(), certificate) == 1, "write certificate");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string toPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "write key");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void addExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  require(extension && X509_add_ext(certificate, extension.get(), -1) == 1, "extension " + value);
}

long nextSerial() {
  static std::atomic<long> serial{1000};
  return ++serial;
}

// An unsigned certificate for `public_key`, issued by `issuer` (itself when null).
X509Ptr makeCertificate(EVP_PKEY* public_key, const std::string& common_name, X509* issuer) {
  X509Ptr certificate(X509_new());
  require(certificate != nullptr, "X509_new");
  X509_set_version(certificate.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), nextSerial());
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                     -1, -1, 0) == 1,
          "subject");
  X509_set_issuer_name(certificate.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  require(X509_set_pubkey(certificate.get(), public_key) == 1, "set public key");
  return certificate;
}

void sign(X509* certificate, EVP_PKEY* key) {
  require(X509_sign(certificate, key, EVP_sha256()) != 0, "sign");
}

std::string gunzip(const std::string& data) {
  std::istringstream in(data);
  Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string out;
  Poco::StreamCopier::copyToString(inflater, out);
  return out;
}

std::string gzip(const std::string& data) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflater << data;
  deflater.close();
  return out.str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// TestAuthority

struct TestAuthority::Impl {
  KeyPtr key;
  X509Ptr certificate;
};

TestAuthority::TestAuthority(const std::string& common_name) : impl_(std::make_unique<Impl>()) {
  impl_->key = makeKey();
  impl_->certificate = makeCertificate(impl_->key.get(), common_name, nullptr);
  addExtension(impl_->certificate.get(), impl_->certificate.get(), NID_basic_constraints,
               "critical,CA:TRUE");
  addExtension(impl_->certificate.get(), impl_->certificate.get(), NID_key_usage,
               "critical,keyCertSign,cRLSign");
  addExtension(impl_->certificate.get(), impl_->certificate.get(), NID_subject_key_identifier,
               "hash");
  sign(impl_->certificate.get(), impl_->key.get());
}

TestAuthority::~TestAuthority() = default;

std::string TestAuthority::certificatePem() const { return toPem(impl_->certificate.get()); }

Pem TestAuthority::issue(const std::string& common_name, const std::string& dns_name) const {
  KeyPtr key = makeKey();
  X509Ptr certificate = makeCertificate(key.get(), common_name, impl_->certificate.get());
  X509* ca = impl_->certificate.get();
  addExtension(certificate.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  addExtension(certificate.get(), ca, NID_key_usage, "critical,digitalSignature");
  addExtension(certificate.get(), ca, NID_ext_key_usage,
               dns_name.empty() ? "clientAuth" : "serverAuth");
  addExtension(certificate.get(), ca, NID_authority_key_identifier, "keyid");
  if (!dns_name.empty())
    addExtension(certificate.get(), ca, NID_subject_alt_name, "DNS:" + dns_name);
  sign(certificate.get(), impl_->key.get());
  return {toPem(certificate.get()), toPem(key.get())};
}

std::string TestAuthority::signRequest(const std::string& csr_pem,
                                       const std::string& common_name) const {
  const BioPtr bio(BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
  const RequestPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  require(request != nullptr, "read CSR");
  require(X509_REQ_verify(request.get(), X509_REQ_get0_pubkey(request.get())) == 1,
          "CSR signature");
  X509Ptr certificate =
      makeCertificate(X509_REQ_get0_pubkey(request.get()), common_name, impl_->certificate.get());
  addExtension(certificate.get(), impl_->certificate.get(), NID_ext_key_usage, "clientAuth");
  sign(certificate.get(), impl_->key.get());
  return toPem(certificate.get());
}

bool sameKey(const std::string& csr_pem, const std::string& certificate_pem) {
  const BioPtr csr_bio(BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
  const RequestPtr request(PEM_read_bio_X509_REQ(csr_bio.get(), nullptr, nullptr, nullptr));
  const BioPtr cert_bio(
      BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  const X509Ptr certificate(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return request && certificate &&
         EVP_PKEY_eq(X509_REQ_get0_pubkey(request.get()), X509_get0_pubkey(certificate.get())) == 1;
}

// ---------------------------------------------------------------------------------------------
// TlsFiles

const TlsFiles& TlsFiles::get() {
  static const TlsFiles files = [] {
    TlsFiles f;
    f.dir = std::make_shared<cks::test::TempDir>();
    const auto write = [&](const std::string& name, const std::string& content) {
      const std::string path = f.dir->file(name);
      cks::test::writeFile(path, content);
      return path;
    };
    const TestAuthority hub_ca("cks-hub server CA (test)");
    const TestAuthority rogue_ca("Rogue CA (test)");
    f.agent_authority = std::make_shared<TestAuthority>("cks-hub agent CA (test)");
    f.hub_ca = write("hub-ca.pem", hub_ca.certificatePem());
    f.rogue_ca = write("rogue-ca.pem", rogue_ca.certificatePem());
    f.agent_ca = write("agent-ca.pem", f.agent_authority->certificatePem());
    const Pem server = hub_ca.issue("localhost", "localhost");
    f.server_cert = write("server.crt", server.certificate);
    f.server_key = write("server.key", server.key);
    const Pem wrong = hub_ca.issue("hub.elsewhere.vn", "hub.elsewhere.vn");
    f.wrong_host_cert = write("wrong-host.crt", wrong.certificate);
    f.wrong_host_key = write("wrong-host.key", wrong.key);
    const Pem rogue = rogue_ca.issue("localhost", "localhost");
    f.rogue_server_cert = write("rogue-server.crt", rogue.certificate);
    f.rogue_server_key = write("rogue-server.key", rogue.key);
    const Pem client = f.agent_authority->issue("agent-1", "");
    f.client_cert = write("client.crt", client.certificate);
    f.client_key = write("client.key", client.key);
    return f;
  }();
  return files;
}

// ---------------------------------------------------------------------------------------------
// TestHubServer

namespace {

int acceptAnyCertificate(int /*preverified*/, X509_STORE_CTX* /*context*/) { return 1; }

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const TestHubServer::Handler& reply, std::mutex& mutex, std::vector<SeenRequest>& seen)
      : reply_(reply), mutex_(mutex), seen_(seen) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    SeenRequest req;
    req.path = request.getURI();
    req.content_encoding = request.get("Content-Encoding", "");
    req.accept_encoding = request.get("Accept-Encoding", "");
    Poco::StreamCopier::copyToString(request.stream(), req.raw_body);
    req.body = req.content_encoding == "gzip" ? gunzip(req.raw_body) : req.raw_body;
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Net::SecureStreamSocket secure(impl.socket());
    if (secure.havePeerCertificate()) {
      const Poco::Net::X509Certificate certificate = secure.peerCertificate();
      req.client_cn = certificate.commonName();
      std::ostringstream pem;
      certificate.save(pem);
      req.client_cert_pem = pem.str();
    }
    const Reply reply = reply_(req);
    {
      const std::lock_guard lock(mutex_);
      seen_.push_back(req);
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json");
    std::string body = reply.body;
    if (req.accept_encoding.find("gzip") != std::string::npos) {
      body = gzip(body);
      response.set("Content-Encoding", "gzip");
    }
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  const TestHubServer::Handler& reply_;
  std::mutex& mutex_;
  std::vector<SeenRequest>& seen_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const TestHubServer::Handler& reply, std::mutex& mutex, std::vector<SeenRequest>& seen)
      : reply_(reply), mutex_(mutex), seen_(seen) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(reply_, mutex_, seen_);
  }

 private:
  const TestHubServer::Handler& reply_;
  std::mutex& mutex_;
  std::vector<SeenRequest>& seen_;
};

}  // namespace

struct TestHubServer::Impl {
  Handler handler;
  mutable std::mutex mutex;
  std::vector<SeenRequest> seen;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

TestHubServer::TestHubServer(Options options, Handler handler) : impl_(std::make_unique<Impl>()) {
  Poco::Net::initializeSSL();
  impl_->handler = std::move(handler);
  const TlsFiles& files = TlsFiles::get();
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.key_file,
                             options.cert_file, files.agent_ca, Poco::Net::Context::VERIFY_STRICT);
  // Poco would otherwise check the client's certificate against its host name, and drop
  // every agent (ARCHITECTURE.md, Poco pitfalls).
  context->enableExtendedCertificateVerification(false);
  SSL_CTX_set_verify(context->sslContext(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     options.accept_any_client ? acceptAnyCertificate : nullptr);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  params->setTimeout(Poco::Timespan(5, 0));
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new Factory(impl_->handler, impl_->mutex, impl_->seen), socket, params);
  impl_->server->start();
}

TestHubServer::~TestHubServer() {
  impl_->server->stopAll(true);
  impl_->server.reset();
  Poco::Net::uninitializeSSL();
}

int TestHubServer::port() const { return impl_->port; }

std::string TestHubServer::url() const { return "https://localhost:" + std::to_string(port()); }

std::vector<SeenRequest> TestHubServer::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

// ---------------------------------------------------------------------------------------------
// Sockets

namespace {

// A listening socket on 127.0.0.1, port chosen by the kernel.
int listenLocal(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("tls_fixtures: cannot listen on 127.0.0.1");
  }
  port = ntohs(address.sin_port);
  return fd;
}

int connectLocal(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    return fd;
  }
  if (fd >= 0) ::close(fd);
  return -1;
}

bool sendAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Copies bytes both ways until either side closes.
void relay(int a, int b) {
  char buffer[16384];
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, 10000) <= 0) return;
    for (int i = 0; i < 2; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
      if (n <= 0 || !sendAll(fds[1 - i].fd, buffer, static_cast<std::size_t>(n))) return;
    }
  }
}

}  // namespace

struct ConnectProxy::Impl {
  int fd = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::vector<std::string> lines;
  std::vector<std::thread> connections;
  std::vector<int> open_fds;
  std::thread acceptor;

  void serve(int client) {
    std::string head;
    char c = 0;
    while (head.find("\r\n\r\n") == std::string::npos && ::recv(client, &c, 1, 0) == 1) head += c;
    const std::string line = head.substr(0, head.find("\r\n"));
    {
      const std::lock_guard lock(mutex);
      lines.push_back(line);
    }
    // "CONNECT localhost:1234 HTTP/1.1": this proxy only reaches this machine.
    const auto colon = line.rfind(':');
    const auto space = line.rfind(' ');
    int upstream = -1;
    if (line.rfind("CONNECT ", 0) == 0 && colon != std::string::npos && space > colon) {
      upstream = connectLocal(std::atoi(line.substr(colon + 1, space - colon - 1).c_str()));
    }
    if (upstream < 0) {
      const std::string refusal = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
      sendAll(client, refusal.data(), refusal.size());
      return;
    }
    {
      const std::lock_guard lock(mutex);
      open_fds.push_back(upstream);
    }
    const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
    if (sendAll(client, established.data(), established.size())) relay(client, upstream);
    ::shutdown(upstream, SHUT_RDWR);
    ::shutdown(client, SHUT_RDWR);
  }
};

ConnectProxy::ConnectProxy() : impl_(std::make_unique<Impl>()) {
  impl_->fd = listenLocal(impl_->port);
  impl_->acceptor = std::thread([impl = impl_.get()] {
    for (;;) {
      const int client = ::accept4(impl->fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0 || impl->stopping) {
        if (client >= 0) ::close(client);
        return;
      }
      const std::lock_guard lock(impl->mutex);
      impl->open_fds.push_back(client);
      impl->connections.emplace_back([impl, client] { impl->serve(client); });
    }
  });
}

ConnectProxy::~ConnectProxy() {
  impl_->stopping = true;
  ::shutdown(impl_->fd, SHUT_RDWR);  // wakes accept()
  impl_->acceptor.join();
  ::close(impl_->fd);
  {
    const std::lock_guard lock(impl_->mutex);
    for (const int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& connection : impl_->connections) connection.join();
  for (const int fd : impl_->open_fds) ::close(fd);
}

int ConnectProxy::port() const { return impl_->port; }

std::vector<std::string> ConnectProxy::requestLines() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->lines;
}

SilentServer::SilentServer() { fd_ = listenLocal(port_); }

SilentServer::~SilentServer() { ::close(fd_); }

int closedPort() {
  int port = 0;
  ::close(listenLocal(port));
  return port;
}

// ---------------------------------------------------------------------------------------------
// ScopedEnv

ScopedEnv::ScopedEnv(std::string name, const char* value) : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) {
    had_ = true;
    old_ = old;
  }
  if (value != nullptr) {
    ::setenv(name_.c_str(), value, 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

ScopedEnv::~ScopedEnv() {
  if (had_) {
    ::setenv(name_.c_str(), old_.c_str(), 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

}  // namespace cks::sync::test
