// The agent's local API: HTTP on 127.0.0.1 only, every request authenticated with the bearer
// secret. It is the only way cksctl, cks-tray and the local console reach the store.
// Endpoints (docs/local-api.md, docs/alerts.md): GET /v1/status, /v1/tokens,
// /v1/certificates[?expiring=N], /v1/alerts, /v1/events (long poll), /v1/requests[/ID]; POST
// /v1/scan, /v1/sync, /v1/enroll, /v1/alerts/ID/ack, /v1/alerts/ID/snooze, /v1/requests,
// /v1/requests/ID/cancel, /v1/mergers/plan, /v1/mergers/apply; GET /v1/mergers/published;
// GET /v1/reports/Y, /v1/reports/Y/draft; POST /v1/reports/Y/entries, /v1/reports/Y/submit.
// Every endpoint is a method of its `*Api` class (InventoryApi, HubApi, AlertApi, RequestApi,
// MergerApi, ReportApi) behind one route table. Poco's server runs handlers on its own thread
// pool.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/HTTPServer.h>

#include "agent/local_api_context.h"

namespace cks::agent {

// The route pattern ("/v1/alerts/{id}/ack") that answers `method path`, or nullopt: 404.
[[nodiscard]] std::optional<std::string_view> localApiRoute(std::string_view method,
                                                            std::string_view path);

class LocalApi {
 public:
  // Binds 127.0.0.1:config.api_port and starts serving. The error names the port when it is
  // taken (another agent running?).
  [[nodiscard]] static Result<std::unique_ptr<LocalApi>> start(LocalApiContext context);
  ~LocalApi();

  // Stops accepting and closes open connections; returns within a fraction of a second.
  void stop();

 private:
  explicit LocalApi(std::unique_ptr<LocalApiContext> context) : context_(std::move(context)) {}
  std::unique_ptr<LocalApiContext> context_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace cks::agent
