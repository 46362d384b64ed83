#include "hub/console/console_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/bounded_read.h"
#include "core/certificate.h"
#include "core/messages.h"
#include "hub/hub_messages.h"

#ifndef CKS_CONSOLE_FOLDER
#define CKS_CONSOLE_FOLDER "/usr/local/share/cks/console"
#endif

namespace cks::hub {
namespace {

constexpr char kSessionCookie[] = "cks_session";
constexpr std::streamsize kMostBody = 64 * 1024;  // a login or a step, never a file
constexpr int kThreads = 8;
constexpr int kQueued = 64;

// Scripts, styles and images from the console itself only; no frames, no plugins.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'";

const std::map<std::string_view, std::string_view>& contentTypes() {
  static const std::map<std::string_view, std::string_view> types{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
  };
  return types;
}

bool isApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/login" || path == "/login/certificate" ||
         path == "/logout" || path == "/messages";
}

void secure(Poco::Net::HTTPServerResponse& response) {
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Strict-Transport-Security", "max-age=31536000");
}

// "attachment" under `name`: a plain ASCII fallback and the UTF-8 name (RFC 6266), so that a
// Vietnamese file name survives and a name can never break out of the header.
std::string contentDisposition(const std::string& name) {
  std::string plain;
  for (const unsigned char c : name) {
    plain += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? char(c) : '_';
  }
  std::string encoded;
  Poco::URI::encode(name, "!#$&+,/:;=?@[]'()*%\" ", encoded);
  return "attachment; filename=\"" + plain + "\"; filename*=UTF-8''" + encoded;
}

void send(Poco::Net::HTTPServerResponse& response, int status, std::string_view type,
          const std::string& body) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(std::string(type));
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

Language languageOf(const Poco::Net::HTTPServerRequest& request) {
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name == "lang" && value == "en") return Language::English;
  }
  return Language::Vietnamese;
}

// A page with each {{console.…}} replaced by the catalogue's text (hub.console.…) in
// `language`, escaped for HTML: the first page reads in Vietnamese before any script runs, and
// its words come from the one catalogue.
std::string withTexts(const std::string& page, Language language) {
  std::string out;
  size_t at = 0;
  for (;;) {
    const size_t open = page.find("{{", at);
    const size_t close = open == std::string::npos ? open : page.find("}}", open);
    if (close == std::string::npos) break;
    out.append(page, at, open - at);
    const std::string key = page.substr(open + 2, close - open - 2);
    for (const char c : hubMessage(language, key)) {
      switch (c) {
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '&':
          out += "&amp;";
          break;
        case '"':
          out += "&quot;";
          break;
        default:
          out.push_back(c);
      }
    }
    at = close + 2;
  }
  out.append(page, at);
  return out;
}

// OpenSSL's verdict and nothing else: Poco's own callback would let an event handler wave a
// failed certificate through. A certificate that fails ends the handshake; none is fine (the
// password login stays open).
int verifyStaff(int preverify_ok, X509_STORE_CTX*) { return preverify_ok == 1 ? 1 : 0; }

// The SHA-256 (hex) of the client certificate the handshake verified against [console]
// client_ca; empty when the connection presented none.
std::string clientCertificate(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return "";
  Poco::Net::SecureStreamSocket socket(impl->socket());
  if (!socket.havePeerCertificate()) return "";
  const Poco::Net::X509Certificate certificate = socket.peerCertificate();
  const int size = i2d_X509(certificate.certificate(), nullptr);
  if (size <= 0) return "";
  std::vector<std::uint8_t> der(static_cast<size_t>(size));
  std::uint8_t* out = der.data();
  if (i2d_X509(certificate.certificate(), &out) != size) return "";
  return sha256Hex(der);
}

class ConsoleHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ConsoleHandler(ConsoleApi& api, std::string folder, Poco::Logger& log)
      : api_(api), folder_(std::move(folder)), log_(log) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    secure(response);
    try {
      const Poco::URI uri(request.getURI());
      const std::string path = uri.getPath();
      if (isApiPath(path)) return api(request, response, uri);
      return file(request, response, path);
    } catch (const Poco::Exception& e) {
      log_.warning("console: " + request.getMethod() + " " + request.getURI() + ": " +
                   e.displayText());
      if (!response.sent())
        send(response, 400, "application/json", R"({"error":"invalid_argument"})");
    }
  }

 private:
  void api(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
           const Poco::URI& uri) {
    ConsoleRequest call;
    call.method = request.getMethod();
    call.path = uri.getPath();
    for (const auto& [name, value] : uri.getQueryParameters()) call.query[name] = value;
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    call.session_token = cookies.get(kSessionCookie, "");
    call.csrf_token = request.get("X-CSRF-Token", "");
    if (call.path == "/login/certificate") call.client_certificate = clientCertificate(request);
    if (request.getContentLength() > kMostBody) {
      return send(response, 413, "application/json", R"({"error":"invalid_argument"})");
    }
    std::string body;
    if (!readCapped(request.stream(), static_cast<std::size_t>(kMostBody), body)) {
      return send(response, 413, "application/json", R"({"error":"invalid_argument"})");
    }
    call.body = std::move(body);
    const ConsoleAnswer answer = api_.handle(call);
    response.set("Cache-Control", "no-store");
    if (answer.session_cookie) {
      Poco::Net::HTTPCookie cookie(kSessionCookie, *answer.session_cookie);
      cookie.setPath("/");
      cookie.setHttpOnly(true);
      cookie.setSecure(true);
      cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
      if (answer.session_cookie->empty()) cookie.setMaxAge(0);
      response.addCookie(cookie);
    }
    if (answer.status >= 500)
      log_.error("console: " + call.method + " " + call.path + ": " + answer.body);
    if (!answer.download_name.empty()) {
      // RFC 6266: a plain fallback name and the UTF-8 one (Vietnamese names).
      response.set("Content-Disposition", contentDisposition(answer.download_name));
    }
    send(response, answer.status, answer.content_type, answer.body);
  }

  void file(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            std::string path) {
    if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
      return send(response, 405, "text/plain; charset=utf-8", "405\n");
    }
    if (path == "/") path = "/index.html";
    const auto dot = path.rfind('.');
    const auto type =
        dot == std::string::npos ? contentTypes().end() : contentTypes().find(path.substr(dot));
    // Only the folder's own files: no parent steps, no hidden files, known types only.
    if (type == contentTypes().end() || path.find("/.") != std::string::npos ||
        path.find('\\') != std::string::npos) {
      return send(response, 404, "text/plain; charset=utf-8", "404\n");
    }
    std::ifstream in(folder_ + path, std::ios::binary);
    if (!in) return send(response, 404, "text/plain; charset=utf-8", "404\n");
    std::ostringstream content;
    content << in.rdbuf();
    response.set("Cache-Control", "no-cache");
    const bool page = type->first == ".html";
    send(response, 200, type->second,
         page ? withTexts(content.str(), languageOf(request)) : content.str());
  }

  ConsoleApi& api_;
  const std::string folder_;
  Poco::Logger& log_;
};

class ConsoleHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ConsoleHandlerFactory(ConsoleApi& api, std::string folder, Poco::Logger& log)
      : api_(api), folder_(std::move(folder)), log_(log) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new ConsoleHandler(api_, folder_, log_);
  }

 private:
  ConsoleApi& api_;
  const std::string folder_;
  Poco::Logger& log_;
};

}  // namespace

std::string installedConsoleFolder() { return CKS_CONSOLE_FOLDER; }

struct ConsoleServer::Impl {
  ~Impl() { Poco::Net::uninitializeSSL(); }
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

ConsoleServer::ConsoleServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConsoleServer::~ConsoleServer() { stop(); }

Result<std::unique_ptr<ConsoleServer>> ConsoleServer::start(const ConsoleSettings& settings,
                                                            const HubPki& pki, ConsoleApi& api,
                                                            Poco::Logger& log) {
  Poco::Net::initializeSSL();
  auto impl = std::make_unique<Impl>();
  const std::string where = settings.bind + ":" + std::to_string(settings.port);
  try {
    Poco::Net::Context::Params params;
    params.privateKeyFile = settings.key.empty() ? pki.serverKeyFile() : settings.key;
    params.certificateFile =
        settings.certificate.empty() ? pki.serverCertificateFile() : settings.certificate;
    // A client certificate is asked for (not required) only with [console] client_ca, and
    // verified against that bundle alone: never the agents' CA, so an agent's certificate
    // fails the handshake here.
    const bool staff_certificates = !settings.client_ca.empty();
    params.verificationMode =
        staff_certificates ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
    if (staff_certificates) params.caLocation = settings.client_ca;
    params.loadDefaultCAs = false;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:!SHA1";
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    SSL_CTX* ssl = context->sslContext();
    if (SSL_CTX_set_min_proto_version(ssl, TLS1_2_VERSION) != 1) {
      return fail("console: cannot require TLS 1.2");
    }
    if (staff_certificates) {
      // Poco's post-handshake check compares a peer's name with a host name: meaningless for a
      // staff member's certificate.
      context->enableExtendedCertificateVerification(false);
      SSL_CTX_set_verify(ssl, SSL_VERIFY_PEER, &verifyStaff);
      // The browser offers only certificates of these CAs.
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings.client_ca.c_str());
      if (names == nullptr) {
        return fail("console: [console] client_ca = ", settings.client_ca,
                    ": no CA certificate could be read from it");
      }
      SSL_CTX_set_client_CA_list(ssl, names);
      // No resumption: each connection shows its certificate again, judged on what it is now.
      SSL_CTX_set_session_cache_mode(ssl, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_options(ssl, SSL_OP_NO_TICKET);
      SSL_CTX_set_num_tickets(ssl, 0);
      static const unsigned char kSessionContext[] = "cks-console";
      SSL_CTX_set_session_id_context(ssl, kSessionContext, sizeof kSessionContext - 1);
    }
    // As the sync server: bind without SO_REUSEPORT, so that a second hub cannot share the port.
    Poco::Net::SecureServerSocket socket(context);
    socket.bind(Poco::Net::SocketAddress(settings.bind, static_cast<Poco::UInt16>(settings.port)),
                true, false);
    socket.listen(kQueued);
    impl->port = socket.address().port();
    auto http = new Poco::Net::HTTPServerParams;
    http->setMaxThreads(kThreads);
    http->setMaxQueued(kQueued);
    http->setKeepAlive(true);
    http->setKeepAliveTimeout(Poco::Timespan(15, 0));
    http->setTimeout(Poco::Timespan(30, 0));
    http->setServerName("cks-hub");
    impl->pool = std::make_unique<Poco::ThreadPool>(1, kThreads, 60);
    const std::string folder = settings.www.empty() ? installedConsoleFolder() : settings.www;
    impl->server = std::make_unique<Poco::Net::HTTPServer>(
        new ConsoleHandlerFactory(api, folder, log), *impl->pool, socket, http);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return fail("console: listen on ", where, ": ", e.displayText(),
                " (change [console] port or bind)");
  }
  return std::unique_ptr<ConsoleServer>(new ConsoleServer(std::move(impl)));
}

int ConsoleServer::port() const { return impl_->port; }

void ConsoleServer::stop() {
  if (!impl_->server) return;
  impl_->server->stopAll(true);
  impl_->pool->joinAll();
  impl_->server.reset();
}

}  // namespace cks::hub
