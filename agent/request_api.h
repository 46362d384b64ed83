// The local API's request endpoints (docs/local-api.md, "Requests"): filing a request checked
// against the inventory, the province's rules and the requests already filed; listing,
// showing and cancelling them. Answers are JSON bodies with their HTTP status, so the HTTP
// layer (local_api.cc) only routes. Thread-safe: state lives in the store.
#pragma once

#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "agent/agent_config.h"
#include "core/clock.h"
#include "core/messages.h"
#include "store/inventory.h"
#include "store/requests.h"

namespace cks::agent {

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
};

// The request object of docs/local-api.md (the contract fields of `cksctl requests --json`
// first), with its history when asked.
[[nodiscard]] Poco::JSON::Object::Ptr requestJson(const store::StoredRequest& stored,
                                                  bool with_history);
// {"error": code, "message"} with `status`.
[[nodiscard]] ApiReply apiError(int status, const std::string& code, const std::string& message);
// {"error": "store", "message"} with the status of the failure's kind (503 when the store is
// busy or locked).
[[nodiscard]] ApiReply storeError(const Error& error);
// 422 {"error": "refused", "message", "reasons": [{"key", "message"}]} in `language`.
[[nodiscard]] ApiReply apiRefused(const std::vector<Refusal>& refusals, Language language);

// A request body checked against the inventory and the province's rules: the request, ready to
// file when `refusals` is empty.
struct PreparedRequest {
  Request request;
  std::vector<Refusal> refusals;
};

class RequestApi {
 public:
  RequestApi(const AgentConfig& config, store::Inventory& inventory)
      : config_(config), inventory_(inventory), requests_(inventory) {}

  // POST /v1/requests: `body` is {"kind", "cert", "case", "set": {FIELD: VALUE}, "reason",
  // "token", "token_unusable", "subscriber"}. 201 with the request; 422 {"error": "refused",
  // "message", "reasons": [{"key", "message"}]} in `language` when a rule or a conflict
  // refuses it (nothing is queued); 400 for a body that is not such an object.
  [[nodiscard]] ApiReply file(const std::string& body, Language language, TimePoint now);
  // Builds the request of one body object (the shape of POST /v1/requests) and checks it
  // against `certificates` and `tokens` (loaded once by the caller, a batch may be long), the
  // rules and the renewals done. An error for a body that is not such an object.
  [[nodiscard]] Result<PreparedRequest> prepare(
      const Poco::JSON::Object::Ptr& body, const std::vector<InventoryCertificate>& certificates,
      const std::vector<InventoryToken>& tokens, TimePoint now);
  // GET /v1/requests: every request, newest first.
  [[nodiscard]] ApiReply list();
  // GET /v1/requests/ID (a unique prefix of at least 8 characters too, any case), with its
  // history. 404 when none matches; 400 {"error": "ambiguous", "message", "candidates": [ID…]}
  // when a prefix matches several.
  [[nodiscard]] ApiReply show(const std::string& id);
  // POST /v1/requests/ID/cancel (ID as for show): 200 with the request; 404; 400 ambiguous;
  // 409 refused (received already).
  [[nodiscard]] ApiReply cancel(const std::string& id, const std::string& body, Language language,
                                TimePoint now);

 private:
  // The whole id `typed` names, or the reply saying none or several do.
  [[nodiscard]] Result<std::string> resolve(const std::string& typed, ApiReply& refusal);

  const AgentConfig& config_;
  store::Inventory& inventory_;
  store::Requests requests_;
};

}  // namespace cks::agent
