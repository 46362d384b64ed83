// LocalApiConnection over POSIX sockets: HTTP/1.1 to 127.0.0.1:port, one connection per request
// (Connection: close), the bearer secret in each. Waits in short slices so cancel() ends a long
// poll within a fraction of a second. Thread-safe.
#pragma once

#include <atomic>
#include <string>

#include "tray/core/local_api_connection.h"

namespace cks::tray {

class PosixHttpConnection : public LocalApiConnection {
 public:
  PosixHttpConnection(int port, std::string secret) : port_(port), secret_(std::move(secret)) {}

  [[nodiscard]] Result<HttpAnswer> get(const std::string& path,
                                       std::chrono::seconds timeout) override;
  [[nodiscard]] Result<HttpAnswer> post(const std::string& path, const std::string& body,
                                        std::chrono::seconds timeout) override;
  void cancel() override { cancelled_ = true; }

 private:
  Result<HttpAnswer> request(const std::string& method, const std::string& path,
                             const std::string& body, std::chrono::seconds timeout);

  int port_;
  std::string secret_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace cks::tray
