// Files served over plain HTTP on a port of 127.0.0.1, as a CA publishes its revocation lists;
// changed while it runs, each request counted; 404 for the others.
#pragma once

#include <Poco/Net/HTTPServer.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cks::test {

class CrlServer {
 public:
  CrlServer();
  ~CrlServer();
  CrlServer(const CrlServer&) = delete;
  CrlServer& operator=(const CrlServer&) = delete;

  void serve(const std::string& path, std::vector<std::uint8_t> bytes);
  [[nodiscard]] std::string url(const std::string& path) const;
  [[nodiscard]] int requests(const std::string& path);

 private:
  class Handler;
  class Factory;

  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  std::map<std::string, int> requests_;
  Poco::Net::HTTPServer server_;
};

}  // namespace cks::test
