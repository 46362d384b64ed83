// The client side of the local API, for cksctl (and tests): one authenticated request to the
// agent on 127.0.0.1. Distinguishes "agent not reachable" from "agent answered with an error".
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/messages.h"
#include "core/result.h"

namespace cks::agent {

struct ApiAnswer {
  int http_status = 0;
  std::string body;
};

class LocalApiClient {
 public:
  LocalApiClient(int port, std::string secret) : port_(port), secret_(std::move(secret)) {}

  // Sends `method path` (with a JSON `body` when given) and returns the agent's answer whatever its
  // status; an error (Unavailable) only when no answer came (refused, timed out, connection
  // dropped).
  [[nodiscard]] Result<ApiAnswer> request(const std::string& method, const std::string& path,
                                          std::chrono::seconds timeout,
                                          const std::string& body = "") const;

  // "127.0.0.1:PORT", for messages.
  [[nodiscard]] std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  std::string secret_;
};

// cksctl's request: the agent's answer whatever its status, or nullopt once the officer has
// been told on stderr (in `language`) that cks-agent did not answer; cksctl then exits with 3.
[[nodiscard]] std::optional<ApiAnswer> askAgent(const LocalApiClient& client,
                                                const std::string& method, const std::string& path,
                                                std::chrono::seconds timeout, Language language,
                                                const std::string& body = "");

}  // namespace cks::agent
