// The local API's hub endpoints (docs/local-api.md): sync now, enrol with the province's hub,
// and the hub part of GET /v1/status. Answers are JSON bodies with their HTTP status; HubSync
// is thread-safe, so any thread may call.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "agent/local_api_context.h"
#include "agent/request_api.h"

namespace cks::agent {

class HubApi {
 public:
  explicit HubApi(const LocalApiContext& context) : context_(context) {}

  // POST /v1/sync: 200 with the outcome (ok, unreachable, refused…), pushed and remaining.
  [[nodiscard]] ApiReply sync();
  // POST /v1/enroll with {"hub": "https://…", "code", "hub_ca": PEM, "force"}: 200 with the
  // enrolment; 400 for another body; 502 hub unreachable, 403 refused, 409 otherwise, with
  // {"error": outcome, "reason", "message", "hub"}.
  [[nodiscard]] ApiReply enroll(const std::string& body);
  // The "hub" object of GET /v1/status: the enrolment, backlog, clock offset, last sync and a
  // refusal.
  [[nodiscard]] Poco::JSON::Object::Ptr status();

 private:
  const LocalApiContext& context_;
};

}  // namespace cks::agent
