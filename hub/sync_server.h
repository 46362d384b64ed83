// The hub's HTTPS listener for agents: mutual TLS (TLS 1.2 or later; a client without a
// certificate, or with one from another CA, fails in the handshake; a self-signed certificate
// passes for enrolment only), the bounds that keep it open for enrolled agents
// (sync_connections.h), body limits, gzip both ways, and SyncApi behind it. Owns its threads;
// start() and stop() are called from one thread.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "hub/hub_pki.h"
#include "hub/sync_api.h"

namespace cks::hub {

struct SyncServerOptions {
  std::string bind = "0.0.0.0";
  int port = 8443;  // 0: any free port (tests read port())
  std::size_t max_body = 4 * 1024 * 1024;
  int threads = 16;  // requests decoded and stored at once; connections have threads of their own
  std::chrono::seconds request_deadline{30};  // ConnectionBounds (sync_connections.h)
  int connections_per_address = 32;
  int unenrolled_connections = 8;
};

class SyncServer {
 public:
  // Listens on bind:port and serves `api` until stop(). `pki` and `api` outlive the server.
  [[nodiscard]] static Result<std::unique_ptr<SyncServer>> start(const SyncServerOptions& options,
                                                                 const HubPki& pki, SyncApi& api,
                                                                 Poco::Logger& log);
  ~SyncServer();
  SyncServer(const SyncServer&) = delete;
  SyncServer& operator=(const SyncServer&) = delete;

  // The port it listens on.
  [[nodiscard]] int port() const;

  // Stops accepting, closes open connections and waits for their threads (well under a second).
  void stop();

 private:
  struct Impl;
  explicit SyncServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cks::hub
