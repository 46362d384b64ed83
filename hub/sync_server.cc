#include "hub/sync_server.h"

#include <Poco/DeflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <sstream>

#include "common/bounded_read.h"
#include "hub/sync_connections.h"

namespace cks::hub {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The agent CA's chain as usual, with one exception: a self-signed certificate alone (depth 0)
// passes the handshake, so that an agent can prove its key before it has a certificate. The
// request handler then lets such a connection call /v1/enroll only.
int verifyClient(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 1) return 1;
  return X509_STORE_CTX_get_error(store) == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT &&
                 X509_STORE_CTX_get_error_depth(store) == 0
             ? 1
             : 0;
}

bool hasToken(const std::string& header, const std::string& token) {
  std::istringstream in(header);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    const auto end = item.find_first_of(" \t;", first);
    if (item.compare(first, end == std::string::npos ? std::string::npos : end - first, token) ==
        0) {
      return true;
    }
  }
  return false;
}

// How the hub shares its CPU between agents. Poco gives each connection a thread of its own
// for as long as the client keeps it alive, so the pool has room for many connections
// (kConnectionThreads), while only `[server] threads` requests are decoded, checked and stored
// at the same time: more would only share the same cores and hold more bodies in memory. The
// others wait for a permit in arrival order, so that no agent waits much longer than the rest.
// When even the connection threads run out, a connection is closed after its answer so that
// the queued ones get their turn (the closed one reconnects, paying a TLS handshake, instead of
// everyone behind it waiting for the keep-alive timeout).
class Workload {
 public:
  explicit Workload(int permits) : free_(permits) {}

  void watch(const Poco::Net::TCPServer* server) { server_ = server; }
  [[nodiscard]] bool othersWaiting() const {
    const Poco::Net::TCPServer* server = server_.load();
    // A connection is queued for a moment whenever one arrives; it waits for real only when
    // every connection thread is taken.
    return server != nullptr && server->queuedConnections() > 0 &&
           server->currentThreads() >= server->maxThreads();
  }

  // Held while one request is decoded, handled and stored; granted first come, first served.
  class Permit {
   public:
    explicit Permit(Workload& workload) : workload_(workload) { workload_.acquire(); }
    ~Permit() { workload_.release(); }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

   private:
    Workload& workload_;
  };

 private:
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;
  };

  void acquire() {
    std::unique_lock lock(mutex_);
    if (free_ > 0 && waiting_.empty()) {
      --free_;
      return;
    }
    Waiter self;
    waiting_.push_back(&self);
    self.granted_cv.wait(lock, [&] { return self.granted; });
  }

  // Hands the permit to the longest waiter (woken alone), else puts it back.
  void release() {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) {
      ++free_;
      return;
    }
    Waiter* next = waiting_.front();
    waiting_.pop_front();
    next->granted = true;
    next->granted_cv.notify_one();
  }

  std::mutex mutex_;
  int free_;
  std::deque<Waiter*> waiting_;
  std::atomic<const Poco::Net::TCPServer*> server_{nullptr};
};

// Connections served at once (each on its own thread, mostly waiting for the client); those
// beyond wait in Poco's queue (kQueuedConnections), and beyond that are refused.
constexpr int kConnectionThreads = 512;
constexpr int kQueuedConnections = 256;
// How long an agent's connection may wait for its next request.
constexpr int kKeepAliveSeconds = 15;

class SyncHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  SyncHandler(const HubPki& pki, SyncApi& api, std::size_t max_body, Workload& workload,
              ConnectionGuard& guard, Poco::Logger& log)
      : pki_(pki), api_(api), max_body_(max_body), workload_(workload), guard_(guard), log_(log) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const int fd =
        dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().impl()->sockfd();
    SyncAnswer answer;
    try {
      const ClientIdentity caller = identify(request);
      std::string raw;
      BodyRead read = readRaw(request, raw);
      guard_.disarm(fd);
      std::string body;
      // The body arrives before the permit is taken: a slow client holds a connection thread,
      // not one of the threads that decode and store.
      const Workload::Permit permit(workload_);
      if (read == BodyRead::Ok) read = decodeBody(request, raw, body);
      switch (read) {
        case BodyRead::TooLarge:
          // The rest of the body was not read: this connection cannot carry another request.
          response.setKeepAlive(false);
          answer = api_.refuse(413, "too_large",
                               "body: larger than the hub accepts ([server] max_body = " +
                                   std::to_string(max_body_) + " bytes)");
          break;
        case BodyRead::BadEncoding:
          answer = api_.refuse(400, "bad_request", body);
          break;
        case BodyRead::Ok:
          answer =
              api_.handle(caller, request.getMethod(), Poco::URI(request.getURI()).getPath(), body);
          break;
      }
    } catch (const std::exception& e) {
      const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
      log_.error(request.getMethod() + " " + request.getURI() + ": " +
                 (poco ? poco->displayText() : std::string(e.what())));
      response.setKeepAlive(false);
      answer = api_.refuse(500, "internal", "the hub failed; nothing was stored");
    }
    if (workload_.othersWaiting()) response.setKeepAlive(false);
    if (answer.status >= 400) {
      log_.debug(request.getMethod() + " " + request.getURI() + " -> " +
                 std::to_string(answer.status) + " " + answer.body);
    }
    send(request, response, answer);
    guard_.arm(fd, std::chrono::seconds(kKeepAliveSeconds));
  }

 private:
  ClientIdentity identify(HTTPServerRequest& request) {
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Net::SecureStreamSocket socket(impl.socket());
    if (!socket.havePeerCertificate()) return {};
    const Poco::Net::X509Certificate certificate = socket.peerCertificate();
    return pki_.identify(certificate.certificate());
  }

  // The body as it came (at most max_body_ bytes, also when compressed).
  BodyRead readRaw(HTTPServerRequest& request, std::string& raw) {
    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(max_body_)) {
      return BodyRead::TooLarge;
    }
    return readCapped(request.stream(), max_body_, raw) ? BodyRead::Ok : BodyRead::TooLarge;
  }

  // The body decompressed as its Content-Encoding says (at most max_body_ bytes); for
  // BadEncoding, `body` is the message.
  BodyRead decodeBody(HTTPServerRequest& request, std::string& raw, std::string& body) {
    return cks::decodeBody(raw, request.get("Content-Encoding", "identity"), max_body_, body);
  }

  void send(HTTPServerRequest& request, HTTPServerResponse& response, const SyncAnswer& answer) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType("application/json; charset=utf-8");
    response.set("Cache-Control", "no-store");
    if (hasToken(request.get("Accept-Encoding", ""), "gzip")) {
      std::ostringstream compressed;
      {
        Poco::DeflatingOutputStream deflating(compressed, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflating << answer.body;
        deflating.close();
      }
      const std::string bytes = compressed.str();
      response.set("Content-Encoding", "gzip");
      response.sendBuffer(bytes.data(), bytes.size());
    } else {
      response.sendBuffer(answer.body.data(), answer.body.size());
    }
  }

  const HubPki& pki_;
  SyncApi& api_;
  const std::size_t max_body_;
  Workload& workload_;
  ConnectionGuard& guard_;
  Poco::Logger& log_;
};

class SyncHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  SyncHandlerFactory(const HubPki& pki, SyncApi& api, std::size_t max_body, Workload& workload,
                     ConnectionGuard& guard, Poco::Logger& log)
      : pki_(pki), api_(api), max_body_(max_body), workload_(workload), guard_(guard), log_(log) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new SyncHandler(pki_, api_, max_body_, workload_, guard_, log_);
  }

 private:
  const HubPki& pki_;
  SyncApi& api_;
  const std::size_t max_body_;
  Workload& workload_;
  ConnectionGuard& guard_;
  Poco::Logger& log_;
};

// One agent's connection: the TLS handshake first (within the connection's deadline), then, by
// the certificate it showed, free of its address's bound (an enrolled agent) or in the few
// places for the others; then its requests one after another, as Poco's HTTPServerConnection
// serves them, except that the guard forgets the connection before its socket is closed (so a
// socket number the guard lists is always this connection's).
class GuardedConnection final : public Poco::Net::TCPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, const HubPki& pki,
                    ConnectionGuard& guard)
      : TCPServerConnection(socket),
        fd_(socket.impl()->sockfd()),
        ticket_(guard.ticket(fd_)),
        params_(std::move(params)),
        handlers_(std::move(handlers)),
        pki_(pki),
        guard_(guard) {}
  GuardedConnection(const GuardedConnection&) = delete;
  GuardedConnection& operator=(const GuardedConnection&) = delete;

  void run() override {
    try {
      if (admitted()) serve();
    } catch (const Poco::Exception&) {
      // The client went away, broke the protocol or was cut at its deadline: nothing to answer.
    }
    guard_.forget(fd_, ticket_);  // serve() did, unless the handshake failed
  }

 private:
  struct Forget {
    ~Forget() { guard.forget(fd, ticket); }
    ConnectionGuard& guard;
    int fd;
    std::uint64_t ticket;
  };

  bool admitted() {
    Poco::Net::SecureStreamSocket secure(socket());
    secure.completeHandshake();
    const ClientIdentity caller = secure.havePeerCertificate()
                                      ? pki_.identify(secure.peerCertificate().certificate())
                                      : ClientIdentity{};
    if (caller.kind != ClientIdentity::Kind::Agent) return guard_.enterUnenrolled(fd_);
    guard_.proven(fd_);
    return true;
  }

  void serve() {
    Poco::Net::HTTPServerSession session(socket(), params_);
    const Forget forget{guard_, fd_, ticket_};  // destroyed before the session closes the socket
    while (session.hasMoreRequests()) {
      Poco::Net::HTTPServerResponseImpl response(session);
      try {
        Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                              session.canKeepAlive());
        const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
            handlers_->createRequestHandler(request));
        if (request.getExpectContinue()) response.sendContinue();
        handler->handleRequest(request, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                             session.canKeepAlive());
      } catch (const Poco::Net::NoMessageException&) {
        return;  // closed between requests
      } catch (const Poco::Net::MessageException&) {
        // Headers that are no HTTP (or too long: Poco's own limits): answered, then closed.
        if (!response.sent()) {
          response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
          response.setKeepAlive(false);
          response.setContentLength(0);
          response.send();
        }
        return;
      }
    }
  }

  const int fd_;
  const std::uint64_t ticket_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  const HubPki& pki_;
  ConnectionGuard& guard_;
};

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, const HubPki& pki,
                           ConnectionGuard& guard)
      : params_(std::move(params)), handlers_(std::move(handlers)), pki_(pki), guard_(guard) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new GuardedConnection(socket, params_, handlers_, pki_, guard_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  const HubPki& pki_;
  ConnectionGuard& guard_;
};

// At accept, before the connection takes a place in the queue or a thread. A full queue is
// refused here rather than by the server, so that every connection the guard admits reaches a
// handler (the server would close it unseen, and the guard keep its number).
class AddressFilter final : public Poco::Net::TCPServerConnectionFilter {
 public:
  AddressFilter(const Poco::Net::TCPServer& server, ConnectionGuard& guard)
      : server_(server), guard_(guard) {}
  bool accept(const Poco::Net::StreamSocket& socket) override {
    return server_.queuedConnections() < kQueuedConnections && guard_.admit(socket);
  }

 private:
  const Poco::Net::TCPServer& server_;
  ConnectionGuard& guard_;
};

}  // namespace

struct SyncServer::Impl {
  ~Impl() { Poco::Net::uninitializeSSL(); }
  std::unique_ptr<Workload> workload;  // these two outlive the server, whose handlers use them
  std::unique_ptr<ConnectionGuard> guard;
  std::unique_ptr<Poco::ThreadPool> pool;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;
  std::unique_ptr<Poco::Net::TCPServer> server;
  int port = 0;
};

SyncServer::SyncServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncServer::~SyncServer() { stop(); }

Result<std::unique_ptr<SyncServer>> SyncServer::start(const SyncServerOptions& options,
                                                      const HubPki& pki, SyncApi& api,
                                                      Poco::Logger& log) {
  Poco::Net::initializeSSL();
  auto impl = std::make_unique<Impl>();
  const std::string where = options.bind + ":" + std::to_string(options.port);
  try {
    Poco::Net::Context::Params params;
    params.privateKeyFile = pki.serverKeyFile();
    params.certificateFile = pki.serverCertificateFile();
    params.caLocation = pki.agentCaFile();
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.verificationDepth = 2;
    params.loadDefaultCAs = false;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:!SHA1";
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco's own post-handshake check compares the peer's name with a host name, which means
    // nothing for a client certificate and would drop every agent.
    context->enableExtendedCertificateVerification(false);
    SSL_CTX* ssl = context->sslContext();
    SSL_CTX_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &verifyClient);
    if (SSL_CTX_set_min_proto_version(ssl, TLS1_2_VERSION) != 1) {
      return fail("sync server: cannot require TLS 1.2");
    }
    // No session resumption: every connection presents its certificate again, so a revoked
    // or re-enrolled agent is judged on what it holds now.
    SSL_CTX_set_session_cache_mode(ssl, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ssl, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ssl, 0);
    static const unsigned char kSessionContext[] = "cks-hub";
    SSL_CTX_set_session_id_context(ssl, kSessionContext, sizeof kSessionContext - 1);

    // Not Poco's SecureServerSocket(address, …): it sets SO_REUSEPORT, and a second hub on the
    // same port would then start and take half of the agents' connections.
    Poco::Net::SecureServerSocket socket(context);
    socket.bind(Poco::Net::SocketAddress(options.bind, static_cast<Poco::UInt16>(options.port)),
                true, false);
    socket.listen(kQueuedConnections);
    impl->port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params_http = new Poco::Net::HTTPServerParams;
    params_http->setMaxThreads(kConnectionThreads);
    params_http->setMaxQueued(kQueuedConnections);
    params_http->setKeepAlive(true);
    params_http->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
    params_http->setMaxKeepAliveRequests(1000);
    params_http->setTimeout(Poco::Timespan(30, 0));
    params_http->setServerName("cks-hub");
    impl->workload = std::make_unique<Workload>(options.threads);
    impl->guard = std::make_unique<ConnectionGuard>(
        ConnectionBounds{options.request_deadline, options.connections_per_address,
                         options.unenrolled_connections},
        log);
    impl->pool = std::make_unique<Poco::ThreadPool>(1, kConnectionThreads, 60);
    impl->handlers =
        new SyncHandlerFactory(pki, api, options.max_body, *impl->workload, *impl->guard, log);
    // Poco's HTTPServer with its connections wrapped (GuardedConnection) and a filter at accept.
    impl->server = std::make_unique<Poco::Net::TCPServer>(
        new GuardedConnectionFactory(params_http, impl->handlers, pki, *impl->guard), *impl->pool,
        socket, params_http);
    impl->server->setConnectionFilter(new AddressFilter(*impl->server, *impl->guard));
    impl->workload->watch(impl->server.get());
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return fail("sync server: listen on ", where, ": ", e.displayText(),
                " (is another cks-hub running? change [server] port or bind)");
  }
  return std::unique_ptr<SyncServer>(new SyncServer(std::move(impl)));
}

int SyncServer::port() const { return impl_->port; }

void SyncServer::stop() {
  if (!impl_->server) return;
  // Aborting the current connections shuts their sockets, so threads waiting on a keep-alive
  // connection (or in a handshake) return at once instead of after a timeout.
  impl_->server->stop();
  impl_->guard->shutdownAll();
  impl_->workload->watch(nullptr);
  // Handlers still finishing may ask the server how busy it is: it goes once they are done.
  impl_->pool->joinAll();
  impl_->server.reset();
}

}  // namespace cks::hub
