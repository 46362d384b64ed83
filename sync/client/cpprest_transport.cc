// HubTransport over cpprestsdk: the only file that includes its headers (4.6 s to compile each
// translation unit that does, and upstream is archived, so it stays behind one interface).
#include <cpprest/http_client.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <pplx/threadpool.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "sync/client/hub_transport.h"
#include "sync/client/internal/gzip.h"
#include "sync/client/proxy_setting.h"

namespace cks::sync {
namespace {

namespace http = web::http;
using http::client::http_client;
using http::client::http_client_config;
using Kind = TransportError::Kind;

// Two threads carry every request the agent makes (one sync at a time); cpprestsdk's default
// is 40 threads, each with its stack, in a daemon that otherwise idles at ~16 MB.
constexpr std::size_t kThreads = 2;
// An answer larger than this once decompressed is refused (the hub sends at most 500 feed
// items; this only guards against a broken or hostile peer).
constexpr std::size_t kMaxAnswerSize = 64u << 20;

void shrinkThreadPool() {
  static const bool initialized = [] {
    // OpenSSL first: its clean-up runs at exit after the pool's threads have stopped (exit
    // handlers run in reverse order). Started after the pool, OpenSSL would be cleaned up
    // first and each pool thread's OpenSSL state left behind (LeakSanitizer reports it in a
    // short-lived program such as `cks-hub admin upstream sync`).
    OPENSSL_init_ssl(0, nullptr);
    try {
      crossplat::threadpool::initialize_with_threads(kThreads);
    } catch (const std::exception&) {
      // Someone in this process used cpprestsdk first: keep their pool.
    }
    return true;
  }();
  (void)initialized;
}

// Thrown from the SSL context callback (which cpprestsdk calls while opening a connection) and
// caught in post(), so a missing key file is reported as such, not as a handshake failure.
class SslSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The reason of the first error OpenSSL queued (the root cause; later ones say "system lib").
std::string opensslReason() {
  const unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "OpenSSL refused it";
}

void requireReadable(const std::string& what, const std::string& path) {
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    std::fclose(file);
    return;
  }
  throw SslSetupError(what + " " + path + ": " + std::strerror(errno));
}

void configureTls(SSL_CTX* context, const TransportSettings& settings) {
  ERR_clear_error();
  requireReadable("hub CA", settings.hub_ca_file);
  requireReadable("client certificate", settings.client_cert_file);
  requireReadable("client key", settings.client_key_file);
  // cpprestsdk has already loaded the system's trust store (set_default_verify_paths): replace
  // it, so that only the hub's own server CA is trusted, not every public CA.
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr) throw SslSetupError("X509_STORE_new: " + opensslReason());
  SSL_CTX_set_cert_store(context, store);  // takes ownership, frees the default store
  if (SSL_CTX_load_verify_locations(context, settings.hub_ca_file.c_str(), nullptr) != 1) {
    throw SslSetupError("hub CA " + settings.hub_ca_file + ": " + opensslReason());
  }
  if (SSL_CTX_use_certificate_chain_file(context, settings.client_cert_file.c_str()) != 1) {
    throw SslSetupError("client certificate " + settings.client_cert_file + ": " + opensslReason());
  }
  if (SSL_CTX_use_PrivateKey_file(context, settings.client_key_file.c_str(), SSL_FILETYPE_PEM) !=
      1) {
    throw SslSetupError("client key " + settings.client_key_file + ": " + opensslReason());
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    throw SslSetupError("client key " + settings.client_key_file + " does not match " +
                        settings.client_cert_file);
  }
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  // cpprestsdk sets verify_peer and its rfc2818 host-name check on each stream when
  // validate_certificates is on; set it here too so the context alone is never permissive.
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
}

// An OpenSSL error packed by boost.asio into the value cpprestsdk reports (it drops the
// category, keeping only the number): the library field says "SSL".
bool isOpensslSslError(int value) {
  const auto code = static_cast<unsigned long>(static_cast<unsigned int>(value));
  return value > (1 << 23) && ERR_GET_LIB(code) == ERR_LIB_SSL;
}

TransportError classify(const http::http_exception& e) {
  const int value = e.error_code().value();
  const std::string what = e.what();
  std::string detail = what;
  if (isOpensslSslError(value)) {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(value));
    detail += std::string(": ") + (reason != nullptr ? reason : "TLS error");
    return {Kind::Tls, detail};
  }
  if (what.find("Error resolving") != std::string::npos ||
      what.find("Failed to resolve") != std::string::npos) {
    // Resolver failures carry netdb codes that read as unrelated errno texts.
    return {Kind::Unreachable, what + " (host name not found)"};
  }
  if (what.find("connect to any") != std::string::npos && value == EHOSTUNREACH) {
    // cpprestsdk reports a refused connection as EHOSTUNREACH.
    return {Kind::Unreachable, what + " (connection refused or no route to host)"};
  }
  if (value != 0) detail += " (" + e.error_code().message() + ")";
  if (value == ETIMEDOUT) return {Kind::Timeout, detail};
  if (what.find("SSL handshake") != std::string::npos) return {Kind::Tls, detail};
  if (value == EHOSTUNREACH || value == ECONNREFUSED || value == ENETUNREACH ||
      value == EADDRNOTAVAIL || what.find("connect to any") != std::string::npos ||
      what.find("from proxy") != std::string::npos) {
    return {Kind::Unreachable, detail};
  }
  return {Kind::Other, detail};
}

class CpprestTransport final : public HubTransport {
 public:
  explicit CpprestTransport(TransportSettings settings) : settings_(std::move(settings)) {}

  CpprestTransport(const CpprestTransport&) = delete;
  CpprestTransport& operator=(const CpprestTransport&) = delete;

  tl::expected<HubAnswer, TransportError> post(const std::string& path,
                                               const std::string& json) override {
    if (!client_) {
      if (auto made = makeClient(); !made) return tl::unexpected(made.error());
    }
    HubAnswer answer;
    try {
      http::http_request request(http::methods::POST);
      request.set_request_uri(utility::conversions::to_string_t(path));
      // Headers first: set_body keeps a Content-Type that is already there.
      request.headers().add(http::header_names::content_type, "application/json");
      request.headers().add(http::header_names::accept, "application/json");
      // We decompress answers ourselves (zlib) rather than with cpprestsdk's
      // request_compressed_response: the byte counts then are what crossed the wire.
      if (settings_.gzip) request.headers().add(http::header_names::accept_encoding, "gzip");
      std::vector<unsigned char> body(json.begin(), json.end());
      if (settings_.gzip && json.size() >= internal::kGzipThreshold) {
        auto compressed = internal::gzipCompress(json);
        if (!compressed) return failure(Kind::Other, compressed.error().message);
        if (compressed->size() < json.size()) {
          body.assign(compressed->begin(), compressed->end());
          request.headers().add(http::header_names::content_encoding, "gzip");
        }
      }
      answer.bytes_sent = body.size();
      request.set_body(std::move(body));

      http::http_response response = client_->request(request).get();
      answer.status = response.status_code();
      const std::vector<unsigned char> raw = response.extract_vector().get();
      answer.bytes_received = raw.size();
      std::string encoding;
      if (response.headers().match(http::header_names::content_encoding, encoding) &&
          !encoding.empty() && encoding != "identity") {
        if (encoding != "gzip" && encoding != "x-gzip") {
          return failure(Kind::Other, "hub answered with Content-Encoding " + encoding);
        }
        auto plain = internal::gzipDecompress(
            std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()),
            kMaxAnswerSize);
        if (!plain) return failure(Kind::Other, plain.error().message);
        answer.body = std::move(*plain);
      } else {
        answer.body.assign(raw.begin(), raw.end());
      }
    } catch (const SslSetupError& e) {
      return failure(Kind::Other, e.what());
    } catch (const http::http_exception& e) {
      return tl::unexpected(where(classify(e)));
    } catch (const std::exception& e) {  // boost::system::system_error, pplx, std::bad_alloc
      return failure(Kind::Other, e.what());
    }
    return answer;
  }

 private:
  tl::unexpected<TransportError> failure(Kind kind, const std::string& message) const {
    return tl::unexpected(where(TransportError{kind, message}));
  }

  // Prefixes the message with the hub's address (and the proxy, when one carries the tunnel).
  TransportError where(TransportError error) const {
    std::string prefix = "hub " + settings_.hub_url;
    if (!proxy_url_.empty()) prefix += " via proxy " + proxy_url_;
    error.message = prefix + ": " + error.message;
    return error;
  }

  tl::expected<void, TransportError> makeClient() {
    shrinkThreadPool();
    try {
      const web::uri base(utility::conversions::to_string_t(settings_.hub_url));
      if (base.scheme() != "https" || base.host().empty()) {
        return failure(Kind::Other, "expected an https://host:port URL");
      }
      http_client_config config;
      config.set_timeout(settings_.timeout);
      config.set_validate_certificates(true);  // with it, cpprestsdk checks the host name
      auto proxy = resolveProxy(settings_.proxy, base.host(), processEnvironment());
      if (!proxy) return failure(Kind::Other, proxy.error().message);
      if (*proxy) {
        proxy_url_ = (*proxy)->url();
        web::web_proxy web_proxy{web::uri(utility::conversions::to_string_t(proxy_url_))};
        if (!(*proxy)->username.empty()) {
          web_proxy.set_credentials(web::credentials((*proxy)->username, (*proxy)->password));
        }
        config.set_proxy(web_proxy);
      }
      config.set_ssl_context_callback([settings = settings_](boost::asio::ssl::context& context) {
        configureTls(context.native_handle(), settings);
      });
      client_ = std::make_unique<http_client>(base, config);
    } catch (const std::exception& e) {  // web::uri_exception for a malformed URL
      return failure(Kind::Other, e.what());
    }
    return {};
  }

  const TransportSettings settings_;
  std::string proxy_url_;
  // Not static: an http_client destroyed at exit, after OpenSSL and the thread pool, crashes.
  std::unique_ptr<http_client> client_;
};

}  // namespace

std::unique_ptr<HubTransport> makeHubTransport(const TransportSettings& settings) {
  return std::make_unique<CpprestTransport>(settings);
}

}  // namespace cks::sync
