// The console's HTTPS listener ([console] in hub.ini): the pages and their assets from the
// console's folder, and the API (console_api.h) under /api/v1/, /login, /logout and /messages.
// Apart from the agents' sync port: a client certificate is asked for only with [console]
// client_ca (staff log in with their own public-service certificate, POST /login/certificate)
// and verified against that bundle alone, so an agent's certificate opens nothing; the sync
// port serves none of these paths. Every answer
// carries a strict Content-Security-Policy (scripts and styles from the console itself only,
// nothing from the internet: province networks are often closed) and no-store for the API.
#pragma once

#include <Poco/Logger.h>

#include <memory>

#include "core/result.h"
#include "hub/console/console_api.h"
#include "hub/hub_config.h"
#include "hub/hub_pki.h"

namespace cks::hub {

class ConsoleServer {
 public:
  // Listens on settings.bind:settings.port (0: a free port, see port()) with the TLS
  // certificate of `settings`, else the hub's server certificate from `pki`.
  [[nodiscard]] static Result<std::unique_ptr<ConsoleServer>> start(const ConsoleSettings& settings,
                                                                    const HubPki& pki,
                                                                    ConsoleApi& api,
                                                                    Poco::Logger& log);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  [[nodiscard]] int port() const;
  void stop();

 private:
  struct Impl;
  explicit ConsoleServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The folder of the console's pages installed with cks-hub.
[[nodiscard]] std::string installedConsoleFolder();

}  // namespace cks::hub
