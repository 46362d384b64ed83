#include "tests/support/crl_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <optional>

namespace cks::test {

class CrlServer::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(CrlServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::optional<std::string> body;
    {
      const std::lock_guard lock(server_.mutex_);
      ++server_.requests_[request.getURI()];
      if (auto found = server_.files_.find(request.getURI()); found != server_.files_.end()) {
        body = found->second;
      }
    }
    if (!body) {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      response.send() << "not found";
      return;
    }
    response.setContentType("application/pkix-crl");
    response.setContentLength(static_cast<std::streamsize>(body->size()));
    response.send() << *body;
  }

 private:
  CrlServer& server_;
};

class CrlServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(CrlServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  CrlServer& server_;
};

CrlServer::CrlServer()
    : server_(new Factory(*this), Poco::Net::ServerSocket(0), new Poco::Net::HTTPServerParams) {
  server_.start();
}

CrlServer::~CrlServer() { server_.stopAll(true); }

void CrlServer::serve(const std::string& path, std::vector<std::uint8_t> bytes) {
  const std::lock_guard lock(mutex_);
  files_[path] = std::string(bytes.begin(), bytes.end());
}

std::string CrlServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(server_.port()) + path;
}

int CrlServer::requests(const std::string& path) {
  const std::lock_guard lock(mutex_);
  return requests_[path];
}

}  // namespace cks::test
