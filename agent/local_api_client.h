// The client side of the local API, for cksctl (and tests): one authenticated request to the
// agent on 127.0.0.1. Distinguishes "agent not reachable" from "agent answered with an error".
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace cks::agent {

struct ApiAnswer {
  int http_status = 0;
  std::string body;
};

enum class ApiFailure { Unreachable, Protocol };

struct ApiError {
  ApiFailure kind;
  std::string message;
};

class LocalApiClient {
 public:
  LocalApiClient(int port, std::string secret) : port_(port), secret_(std::move(secret)) {}

  // Sends `method path` (with a JSON `body` when given) and returns the agent's answer whatever its
  // status; an error only when no answer came (refused, timed out, connection dropped).
  [[nodiscard]] tl::expected<ApiAnswer, ApiError> request(const std::string& method,
                                                          const std::string& path,
                                                          std::chrono::seconds timeout,
                                                          const std::string& body = "") const;

 private:
  int port_;
  std::string secret_;
};

}  // namespace cks::agent
