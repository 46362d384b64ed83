// A real HTTPS client for the hub's tests, on raw OpenSSL so a test controls everything an
// agent (or an intruder) could: the client certificate or none, the protocol versions, gzip,
// chunked bodies, keep-alive. Keys and certificates for clients are made here too. Failures of
// the test's own setup throw std::runtime_error; TLS refusals are reported, not thrown.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace cks::test {

// A fresh EC P-256 private key, PEM.
[[nodiscard]] std::string makeKeyPem();
// A self-signed client certificate for `key_pem` (what an enrolling agent presents).
[[nodiscard]] std::string makeSelfSignedPem(const std::string& key_pem,
                                            const std::string& common_name = "enrolling agent");
// A certificate for `key_pem` signed by a throwaway CA that is not the hub's.
[[nodiscard]] std::string makeForeignCertificatePem(const std::string& key_pem);
// A CA of a test's own (e.g. the government's root, for staff certificates): its key and
// self-signed certificate, PEM.
struct TestIssuer {
  std::string key_pem;
  std::string cert_pem;
};
[[nodiscard]] TestIssuer makeCaPem(const std::string& common_name);
// A one-day certificate CN=common_name for `key_pem`, issued by `ca`.
[[nodiscard]] std::string issueCertificatePem(const TestIssuer& ca, const std::string& key_pem,
                                              const std::string& common_name);
// A PKCS#10 request for `key_pem`.
[[nodiscard]] std::string makeCsrPem(const std::string& key_pem,
                                     const std::string& common_name = "PC-VANTHU");

// One subject attribute of a PEM certificate (e.g. "CN"), UTF-8; empty when absent.
[[nodiscard]] std::string subjectField(const std::string& cert_pem, const std::string& field);
// True when `cert_pem` is signed by the key of `issuer_pem`.
[[nodiscard]] bool signedBy(const std::string& cert_pem, const std::string& issuer_pem);
// Base64 (no line breaks) and gzip, for request bodies.
[[nodiscard]] std::string base64(const std::vector<std::uint8_t>& bytes);
[[nodiscard]] std::string gzip(const std::string& text);

struct ClientOptions {
  std::string server_ca_pem;  // the only trust anchor; the server must be "localhost"
  std::string cert_pem;       // empty: no client certificate
  std::string key_pem;
  int min_version = 0;  // e.g. TLS1_1_VERSION; 0 leaves OpenSSL's default
  int max_version = 0;
  bool legacy = false;               // @SECLEVEL=0, so that the client can even offer TLS 1.1
  std::string source = "127.0.0.1";  // the loopback address it connects from (127.x.y.z)
};

struct HttpReply {
  bool answered = false;  // an HTTP response arrived
  std::string tls_error;  // OpenSSL's text when the connection failed
  int tls_reason = 0;     // ERR_GET_REASON of that error
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;                            // gunzipped when the hub sent gzip

  // The body as a JSON object (throws when it is not one).
  [[nodiscard]] Poco::JSON::Object::Ptr json() const;
};

// One TLS connection to the hub on 127.0.0.1:port; requests go one after another on it.
class TlsConnection {
 public:
  TlsConnection(int port, const ClientOptions& options);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // False when the TCP connection or the TLS handshake failed (see error()).
  [[nodiscard]] bool handshakeDone() const { return handshake_done_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] int reason() const { return reason_; }

  // Sends one request and reads its response. `raw_body` is sent as is (set the headers that
  // describe it); Content-Length is added unless the headers give Content-Length or
  // Transfer-Encoding.
  HttpReply request(const std::string& method, const std::string& path, const std::string& raw_body,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    bool close = true);
  // Sends `bytes` as they are (a request's first bytes, say); false when the hub has closed.
  bool send(const std::string& bytes);
  // True when the hub closes the connection within `limit` (whatever it sends first).
  bool closedWithin(std::chrono::milliseconds limit);

 private:
  void recordError(const std::string& what);
  bool writeAll(const std::string& data);
  int fd_ = -1;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  bool handshake_done_ = false;
  std::string error_;
  int reason_ = 0;
  std::string pending_;  // bytes read past the previous response
};

// A plain TCP connection to 127.0.0.1:port from `source` (127.x.y.z), sending nothing: -1 when
// it could not connect. The caller closes it.
[[nodiscard]] int connectFrom(int port, const std::string& source);
// True when the peer closes `fd` within `limit` (bytes it sends first are read and dropped).
[[nodiscard]] bool closedWithin(int fd, std::chrono::milliseconds limit);

// Opens a connection, POSTs `body` (JSON) with Connection: close and returns the reply.
HttpReply post(int port, const ClientOptions& options, const std::string& path,
               const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace cks::test
