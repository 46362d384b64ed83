#include "tests/hub/tls_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <Poco/Base64Encoder.h>
#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "core/openssl_ptr.h"

namespace cks::test {
namespace {

using KeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using KeyContextPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using RequestPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;

void require(bool ok, const std::string& what) {
  if (ok) return;
  std::array<char, 256> reason{};
  ERR_error_string_n(ERR_get_error(), reason.data(), reason.size());
  ERR_clear_error();
  throw std::runtime_error("tls_client: " + what + ": " + reason.data());
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(size));
}

KeyPtr readKey(const std::string& pem) {
  const BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  require(key != nullptr, "read key");
  return key;
}

X509Ptr readCertificate(const std::string& pem) {
  const BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  require(cert != nullptr, "read certificate");
  return cert;
}

std::string certificatePem(X509* cert) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509(bio.get(), cert) == 1, "write certificate");
  return bioText(bio.get());
}

// A one-day certificate for `key` with subject CN=common_name, signed by `issuer_key` under
// `issuer` (itself when null).
X509Ptr makeCertificate(EVP_PKEY* key, const std::string& common_name, X509* issuer,
                        EVP_PKEY* issuer_key, bool is_ca) {
  X509Ptr cert(X509_new());
  require(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_new");
  unsigned char serial[8];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  OpenSslPtr<BIGNUM, BN_free> number(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get()));
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.data()),
                             int(common_name.size()), -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key);
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : std::vector<std::pair<int, std::string>>{
           {NID_basic_constraints, is_ca ? "CA:TRUE" : "CA:FALSE"}}) {
    OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free> extension(
        X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    require(extension && X509_add_ext(cert.get(), extension.get(), -1) == 1, "extension");
  }
  require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "sign");
  return cert;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

}  // namespace

std::string makeKeyPem() {
  const KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  require(context && EVP_PKEY_keygen_init(context.get()) == 1 &&
              EVP_PKEY_CTX_set_group_name(context.get(), "P-256") == 1 &&
              EVP_PKEY_generate(context.get(), &raw) == 1,
          "generate key");
  const KeyPtr key(raw);
  const BioPtr bio(BIO_new(BIO_s_mem()));
  require(
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
      "write key");
  return bioText(bio.get());
}

std::string makeSelfSignedPem(const std::string& key_pem, const std::string& common_name) {
  const KeyPtr key = readKey(key_pem);
  const X509Ptr cert = makeCertificate(key.get(), common_name, nullptr, key.get(), false);
  return certificatePem(cert.get());
}

std::string makeForeignCertificatePem(const std::string& key_pem) {
  return issueCertificatePem(makeCaPem("Some other CA"), key_pem, "intruder");
}

TestIssuer makeCaPem(const std::string& common_name) {
  TestIssuer ca;
  ca.key_pem = makeKeyPem();
  const KeyPtr key = readKey(ca.key_pem);
  ca.cert_pem =
      certificatePem(makeCertificate(key.get(), common_name, nullptr, key.get(), true).get());
  return ca;
}

std::string issueCertificatePem(const TestIssuer& ca, const std::string& key_pem,
                                const std::string& common_name) {
  const KeyPtr key = readKey(key_pem);
  const KeyPtr ca_key = readKey(ca.key_pem);
  const X509Ptr issuer = readCertificate(ca.cert_pem);
  return certificatePem(
      makeCertificate(key.get(), common_name, issuer.get(), ca_key.get(), false).get());
}

std::string makeCsrPem(const std::string& key_pem, const std::string& common_name) {
  const KeyPtr key = readKey(key_pem);
  RequestPtr request(X509_REQ_new());
  require(request != nullptr, "X509_REQ_new");
  X509_NAME* name = X509_REQ_get_subject_name(request.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.data()),
                             int(common_name.size()), -1, 0);
  require(X509_REQ_set_pubkey(request.get(), key.get()) == 1 &&
              X509_REQ_sign(request.get(), key.get(), EVP_sha256()) > 0,
          "sign CSR");
  const BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509_REQ(bio.get(), request.get()) == 1, "write CSR");
  return bioText(bio.get());
}

std::string subjectField(const std::string& cert_pem, const std::string& field) {
  const X509Ptr cert = readCertificate(cert_pem);
  const X509_NAME* name = X509_get_subject_name(cert.get());
  const int index = X509_NAME_get_index_by_NID(name, OBJ_txt2nid(field.c_str()), -1);
  if (index < 0) return {};
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  std::string text(reinterpret_cast<char*>(utf8), size_t(length));
  OPENSSL_free(utf8);
  return text;
}

bool signedBy(const std::string& cert_pem, const std::string& issuer_pem) {
  const X509Ptr cert = readCertificate(cert_pem);
  const X509Ptr issuer = readCertificate(issuer_pem);
  const bool ok = X509_verify(cert.get(), X509_get0_pubkey(issuer.get())) == 1;
  ERR_clear_error();
  return ok;
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  encoder.close();
  return out.str();
}

std::string gzip(const std::string& text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflating(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflating << text;
  deflating.close();
  return out.str();
}

Poco::JSON::Object::Ptr HttpReply::json() const {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

TlsConnection::TlsConnection(int port, const ClientOptions& options) {
  context_ = SSL_CTX_new(TLS_client_method());
  require(context_ != nullptr, "SSL_CTX_new");
  if (options.legacy) SSL_CTX_set_cipher_list(context_, "DEFAULT:@SECLEVEL=0");
  if (options.min_version) SSL_CTX_set_min_proto_version(context_, options.min_version);
  if (options.max_version) SSL_CTX_set_max_proto_version(context_, options.max_version);
  X509_STORE* store = SSL_CTX_get_cert_store(context_);
  require(X509_STORE_add_cert(store, readCertificate(options.server_ca_pem).get()) == 1,
          "trust the server CA");
  SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
  if (!options.cert_pem.empty()) {
    require(SSL_CTX_use_certificate(context_, readCertificate(options.cert_pem).get()) == 1 &&
                SSL_CTX_use_PrivateKey(context_, readKey(options.key_pem).get()) == 1,
            "client certificate");
  }
  fd_ = connectFrom(port, options.source);
  if (fd_ < 0) {
    error_ = "connect: " + std::string(strerror(errno));
    return;
  }
  const timeval timeout{10, 0};  // a hung hub fails the test instead of hanging it
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ssl_ = SSL_new(context_);
  SSL_set_fd(ssl_, fd_);
  // SSL_set_tlsext_host_name() spelled out: the macro's C cast trips -Wold-style-cast.
  static char kHost[] = "localhost";
  SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, kHost);
  SSL_set1_host(ssl_, "localhost");
  if (SSL_connect(ssl_) != 1) {
    recordError("handshake");
    return;
  }
  handshake_done_ = true;
}

TlsConnection::~TlsConnection() {
  if (ssl_) SSL_free(ssl_);
  if (context_) SSL_CTX_free(context_);
  if (fd_ >= 0) close(fd_);
}

void TlsConnection::recordError(const std::string& what) {
  const int saved_errno = errno;
  const unsigned long code = ERR_peek_last_error();
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  // Without an OpenSSL error the peer closed or reset the connection.
  error_ = what + ": " +
           (code ? std::string(text.data())
                 : "connection closed" +
                       (saved_errno ? " (" + std::string(strerror(saved_errno)) + ")" : ""));
  reason_ = code ? ERR_GET_REASON(code) : 0;
  ERR_clear_error();
}

bool TlsConnection::send(const std::string& bytes) { return handshake_done_ && writeAll(bytes); }

bool TlsConnection::closedWithin(std::chrono::milliseconds limit) {
  if (!handshake_done_) return true;
  const auto end = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < end) {
    pollfd wait{fd_, POLLIN, 0};
    if (SSL_pending(ssl_) == 0 && poll(&wait, 1, 50) == 0) continue;
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n <= 0) return true;
  }
  return false;
}

int connectFrom(int port, const std::string& source) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

bool closedWithin(int fd, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < end) {
    pollfd wait{fd, POLLIN, 0};
    if (poll(&wait, 1, 50) == 0) continue;
    if (recv(fd, buffer, sizeof buffer, 0) <= 0) return true;
  }
  return false;
}

bool TlsConnection::writeAll(const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    errno = 0;
    const int n = SSL_write(ssl_, data.data() + done, int(data.size() - done));
    if (n <= 0) {
      recordError("write");
      return false;
    }
    done += size_t(n);
  }
  return true;
}

HttpReply TlsConnection::request(const std::string& method, const std::string& path,
                                 const std::string& raw_body,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 bool close) {
  HttpReply reply;
  if (!handshake_done_) {
    reply.tls_error = error_;
    reply.tls_reason = reason_;
    return reply;
  }
  std::string head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n";
  bool framed = false;  // the test gave Content-Length or Transfer-Encoding itself
  for (const auto& [name, value] : headers) {
    head += name + ": " + value + "\r\n";
    framed = framed || lower(name) == "transfer-encoding" || lower(name) == "content-length";
  }
  if (!framed) head += "Content-Length: " + std::to_string(raw_body.size()) + "\r\n";
  if (close) head += "Connection: close\r\n";
  head += "\r\n";
  if (!writeAll(head + raw_body)) {
    reply.tls_error = error_;
    reply.tls_reason = reason_;
    return reply;
  }
  // Read the head, then Content-Length bytes (the hub always sends one).
  std::string data = std::move(pending_);
  pending_.clear();
  size_t head_end = std::string::npos;
  size_t need = std::string::npos;
  char buffer[16384];
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::istringstream lines(data.substr(0, head_end));
        std::string line;
        std::getline(lines, line);
        if (line.size() > 12) reply.status = std::atoi(line.substr(9, 3).c_str());
        while (std::getline(lines, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          const auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          reply.headers[lower(line.substr(0, colon))] =
              line.substr(line.find_first_not_of(' ', colon + 1));
        }
        need = std::stoul(reply.headers.count("content-length") ? reply.headers["content-length"]
                                                                : "0");
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + need) break;
    errno = 0;
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n <= 0) {
      recordError("read");
      reply.tls_error = error_;
      reply.tls_reason = reason_;
      return reply;
    }
    data.append(buffer, size_t(n));
  }
  reply.answered = true;
  reply.body = data.substr(head_end + 4, need);
  pending_ = data.substr(head_end + 4 + need);
  if (const auto encoding = reply.headers.find("content-encoding");
      encoding != reply.headers.end() && encoding->second == "gzip") {
    std::istringstream compressed(reply.body);
    Poco::InflatingInputStream inflating(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
    reply.body.assign(std::istreambuf_iterator<char>(inflating), std::istreambuf_iterator<char>());
  }
  return reply;
}

HttpReply post(int port, const ClientOptions& options, const std::string& path,
               const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& headers) {
  TlsConnection connection(port, options);
  auto all = headers;
  all.emplace_back("Content-Type", "application/json");
  return connection.request("POST", path, body, all);
}

}  // namespace cks::test
