#include "agent/local_api.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include "agent/alert_api.h"
#include "agent/api_proof.h"
#include "agent/api_route.h"
#include "agent/api_secret.h"
#include "agent/hub_api.h"
#include "agent/inventory_api.h"
#include "agent/merger_api.h"
#include "agent/report_api.h"
#include "agent/request_api.h"
#include "sync/protocol/json_text.h"

namespace cks::agent {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

using Endpoint = ApiReply (*)(const LocalApiContext&, const ApiCall&);

// The alert id of /v1/alerts/{id}/…: 1 to 18 digits.
std::optional<std::int64_t> alertId(const ApiCall& call) {
  const std::string& digits = call.param("id");
  if (digits.empty() || digits.size() > 18 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(digits);
}

Language language(const LocalApiContext& context, const ApiCall& call) {
  return call.language(context.config.language);
}

// POST /v1/requests and /v1/requests/{id}/cancel: a request is a few kilobytes.
ApiReply fileOrCancel(const LocalApiContext& context, const ApiCall& call, const std::string& id,
                      bool cancel) {
  const auto body = call.body(1 << 16, "a request is a few kilobytes");
  if (!body) return body.error();
  const TimePoint now = context.alerts.correctedNow();
  RequestApi api(context.config, context.inventory);
  const Language lang = language(context, call);
  ApiReply reply = cancel ? api.cancel(id, *body, lang, now) : api.file(*body, lang, now);
  if (reply.status == 200 || reply.status == 201) context.hub.changed();
  return reply;
}

// A merger plan of a few hundred certificates is some hundred kilobytes.
tl::expected<std::string, ApiReply> mergerBody(const ApiCall& call) {
  return call.body(16 << 20, "a merger plan is at most 16 MiB");
}

// /v1/reports/{year}/…: the year is checked first (400 bad_year), then whether the agency may
// report for it yet, then `answer` runs with the year.
template <typename Answer>
ApiReply forReportYear(const LocalApiContext& context, const ApiCall& call, Answer answer) {
  const std::string& year_text = call.param("year");
  int year = 0;
  const bool digits = !year_text.empty() && year_text.size() <= 4 &&
                      year_text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) year = std::stoi(year_text);
  if (!digits || year < kFirstReportYear || year > kLastReportYear) {
    return apiError(400, "bad_year",
                    "the year in " + call.uri.getPath() + " must be from 2000 to 2100");
  }
  ReportApi api(context.config, context.inventory);
  if (auto refused = api.refuseYear(year, context.alerts.correctedNow())) return *refused;
  return answer(api, year);
}

// The local API (docs/local-api.md, docs/alerts.md): the first route that matches answers.
const std::vector<Route<Endpoint>>& routes() {
  static const std::vector<Route<Endpoint>> kRoutes = {
      {"GET", "/v1/status",
       [](const LocalApiContext& c, const ApiCall&) { return InventoryApi(c).status(); }},
      {"GET", "/v1/tokens",
       [](const LocalApiContext& c, const ApiCall&) { return InventoryApi(c).tokens(); }},
      {"GET", "/v1/certificates",
       [](const LocalApiContext& c, const ApiCall& call) {
         return InventoryApi(c).certificates(call.uri.getQueryParameters());
       }},
      {"POST", "/v1/scan",
       [](const LocalApiContext& c, const ApiCall&) { return InventoryApi(c).scan(); }},
      {"POST", "/v1/sync",
       [](const LocalApiContext& c, const ApiCall&) { return HubApi(c).sync(); }},
      {"POST", "/v1/enroll",
       [](const LocalApiContext& c, const ApiCall& call) {
         const auto body = call.body(1 << 20, "an enrolment request is a few kilobytes");
         if (!body) return body.error();
         return HubApi(c).enroll(*body);
       }},
      {"GET", "/v1/alerts",
       [](const LocalApiContext& c, const ApiCall& call) {
         // Default: state open only (the `cksctl alerts` contract); unresolved=1 adds
         // acknowledged and snoozed ones (the tray marks them seen); all=1 adds resolved ones.
         bool all = false;
         bool unresolved = false;
         for (const auto& [name, value] : call.uri.getQueryParameters()) {
           const bool yes = value != "0" && value != "false";
           if (name == "all") all = yes;
           if (name == "unresolved") unresolved = yes;
         }
         return AlertApi(c).list(all, unresolved, language(c, call));
       }},
      {"GET", "/v1/events",
       [](const LocalApiContext& c, const ApiCall& call) {
         std::optional<std::int64_t> after;
         int wait_seconds = 25;
         for (const auto& [name, value] : call.uri.getQueryParameters()) {
           try {
             if (name == "after") after = std::stoll(value);
             if (name == "wait") wait_seconds = std::clamp(std::stoi(value), 0, 60);
           } catch (const std::exception&) {
             return apiError(400, "bad_request", name + ": \"" + value + "\" is not a number");
           }
         }
         return AlertApi(c).events(after, wait_seconds, language(c, call));
       }},
      {"POST", "/v1/alerts/{id}/ack",
       [](const LocalApiContext& c, const ApiCall& call) {
         const auto id = alertId(call);
         if (!id) return notAnEndpoint("POST", call.uri.getPath());
         return AlertApi(c).acknowledge(*id, language(c, call));
       }},
      {"POST", "/v1/alerts/{id}/snooze",
       [](const LocalApiContext& c, const ApiCall& call) {
         const auto id = alertId(call);
         if (!id) return notAnEndpoint("POST", call.uri.getPath());
         const auto body = call.body(4096, "a snooze is a few bytes");
         if (!body) return body.error();
         return AlertApi(c).snooze(*id, *body, language(c, call));
       }},
      // /v1/requests[/ID[/cancel]] (docs/local-api.md, "Requests"); "/v1/requests/" is the
      // collection too.
      {"GET", "/v1/requests",
       [](const LocalApiContext& c, const ApiCall&) {
         return RequestApi(c.config, c.inventory).list();
       }},
      {"POST", "/v1/requests",
       [](const LocalApiContext& c, const ApiCall& call) {
         return fileOrCancel(c, call, "", false);
       }},
      {"GET", "/v1/requests/{id}",
       [](const LocalApiContext& c, const ApiCall& call) {
         RequestApi api(c.config, c.inventory);
         return call.param("id").empty() ? api.list() : api.show(call.param("id"));
       }},
      {"POST", "/v1/requests/{id}",
       [](const LocalApiContext& c, const ApiCall& call) {
         if (!call.param("id").empty()) return notAnEndpoint("POST", call.uri.getPath());
         return fileOrCancel(c, call, "", false);
       }},
      {"POST", "/v1/requests/{id}/cancel",
       [](const LocalApiContext& c, const ApiCall& call) {
         if (call.param("id").empty()) return notAnEndpoint("POST", call.uri.getPath());
         return fileOrCancel(c, call, call.param("id"), true);
       }},
      // docs/requests.md, "Merger batches".
      {"GET", "/v1/mergers/published",
       [](const LocalApiContext& c, const ApiCall&) {
         return MergerApi(c.config, c.inventory).published();
       }},
      {"POST", "/v1/mergers/plan",
       [](const LocalApiContext& c, const ApiCall& call) {
         const auto body = mergerBody(call);
         if (!body) return body.error();
         return MergerApi(c.config, c.inventory)
             .plan(*body, language(c, call), c.alerts.correctedNow());
       }},
      {"POST", "/v1/mergers/apply",
       [](const LocalApiContext& c, const ApiCall& call) {
         const auto body = mergerBody(call);
         if (!body) return body.error();
         ApiReply reply = MergerApi(c.config, c.inventory)
                              .apply(*body, language(c, call), c.alerts.correctedNow());
         if (reply.status == 201) c.hub.changed();
         return reply;
       }},
      // docs/local-api.md, "Reports".
      {"GET", "/v1/reports/{year}",
       [](const LocalApiContext& c, const ApiCall& call) {
         return forReportYear(c, call, [](ReportApi& api, int year) { return api.show(year); });
       }},
      {"GET", "/v1/reports/{year}/draft",
       [](const LocalApiContext& c, const ApiCall& call) {
         return forReportYear(c, call, [&](ReportApi& api, int year) {
           return api.draftReply(year, c.alerts.correctedNow());
         });
       }},
      {"POST", "/v1/reports/{year}/entries",
       [](const LocalApiContext& c, const ApiCall& call) {
         return forReportYear(c, call, [&](ReportApi& api, int year) {
           const auto body = call.body(1 << 16, "the officer's figures are a few kilobytes");
           if (!body) return body.error();
           ApiReply reply = api.set(year, *body, language(c, call), c.alerts.correctedNow());
           if (reply.status == 200) c.hub.changed();
           return reply;
         });
       }},
      {"POST", "/v1/reports/{year}/submit",
       [](const LocalApiContext& c, const ApiCall& call) {
         return forReportYear(c, call, [&](ReportApi& api, int year) {
           ApiReply reply = api.submit(year, c.alerts.correctedNow());
           if (reply.status == 201) {
             c.hub.changed();
             // The reminder of this year resolves now, not at the next minute.
             (void)c.alerts.evaluate();
           }
           return reply;
         });
       }},
      // Any other report path: its year is judged first, as for the endpoints above.
      {"*", "/v1/reports/{year}/{rest...}",
       [](const LocalApiContext& c, const ApiCall& call) {
         return forReportYear(c, call, [&](ReportApi&, int) {
           return notAnEndpoint(call.request.getMethod(), call.uri.getPath());
         });
       }},
  };
  return kRoutes;
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(const LocalApiContext& context) : context_(context) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      // Unauthenticated by design: the client proves nothing here, the agent proves that it
      // knows the secret before the client sends it (agent/api_proof.h).
      if (request.getMethod() == "GET" && Poco::URI(request.getURI()).getPath() == kHelloPath) {
        return send(response, hello(Poco::URI(request.getURI())));
      }
      const std::string auth = request.get("Authorization", "");
      const std::string prefix = "Bearer ";
      if (auth.compare(0, prefix.size(), prefix) != 0 ||
          !secretsEqual(auth.substr(prefix.size()), context_.secret)) {
        response.set("WWW-Authenticate", "Bearer");
        return send(response, apiError(401, "unauthorized",
                                       "missing or wrong bearer secret (see [api] secret_file)"));
      }
      const Poco::URI uri(request.getURI());
      const std::string& path = uri.getPath();
      const std::string& method = request.getMethod();
      auto match = findRoute(routes(), method, path);
      if (!match) return send(response, notAnEndpoint(method, path));
      const ApiCall call{request, uri, std::move(match->params)};
      send(response, match->route->endpoint(context_, call));
    } catch (const std::exception& e) {
      send(response, apiError(500, "internal", e.what()));
    }
  }

 private:
  // GET /v1/hello?nonce=HEX: {"proof": HMAC of the nonce under the secret}.
  ApiReply hello(const Poco::URI& uri) const {
    std::string nonce;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      if (name == "nonce") nonce = value;
    }
    if (!validHelloNonce(nonce)) {
      return apiError(400, "bad_request", "nonce: expected 32 to 128 lowercase hex digits");
    }
    Poco::JSON::Object body;
    body.set("proof", localApiProof(context_.secret, nonce));
    return ApiReply{200, sync::stringify(body)};
  }

  static void send(HTTPServerResponse& response, const ApiReply& reply) {
    response.setStatus(HTTPResponse::HTTPStatus(reply.status));
    response.setContentType("application/json; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.sendBuffer(reply.body.data(), reply.body.size());
  }

  const LocalApiContext& context_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(const LocalApiContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new ApiHandler(context_);
  }

 private:
  const LocalApiContext& context_;
};

}  // namespace

std::optional<std::string_view> localApiRoute(std::string_view method, std::string_view path) {
  const auto match = findRoute(routes(), method, path);
  if (!match) return std::nullopt;
  return match->route->pattern;
}

Result<std::unique_ptr<LocalApi>> LocalApi::start(LocalApiContext context) {
  std::unique_ptr<LocalApi> api(
      new LocalApi(std::make_unique<LocalApiContext>(std::move(context))));
  const auto port = static_cast<Poco::UInt16>(api->context_->config.api_port);
  try {
    // Loopback only: the API is for programs on this PC, never the network. Poco's
    // ServerSocket(address) sets SO_REUSEPORT too, which let a second agent listen on the same
    // port and take half of the requests: reuse the address (restart during TIME_WAIT), never
    // the port.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true, false);
    socket.listen(16);
    auto params = new Poco::Net::HTTPServerParams;
    // Each cks-tray holds one thread in a long poll of the event stream.
    params->setMaxThreads(16);
    params->setMaxQueued(32);
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(10, 0));
    api->server_ = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(*api->context_),
                                                           socket, params);
    api->server_->start();
  } catch (const Poco::Exception& e) {
    return fail("local api: listen on 127.0.0.1:", std::to_string(port), ": ", e.displayText(),
                " (is another cks-agent running? change [api] port)");
  }
  return api;
}

LocalApi::~LocalApi() { stop(); }

void LocalApi::stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

}  // namespace cks::agent
