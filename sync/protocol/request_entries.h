// A request as an agent pushes it (entry kinds request_filed and request_cancelled, the contract
// in docs/requests.md "Sync of requests"). The agent's store encodes it; the hub decodes it
// field by field so that a bad body is refused with its path ("entries[0].body.request.kind:
// unknown request kind \"x\"") before anything is stored. Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/request.h"
#include "core/result.h"

namespace cks::sync {

struct RequestFiled {
  Request request;  // state as the agent sent it; the hub stores it as received
  Form form{};
  std::vector<std::string> supersedes;  // open renewals/changes this revocation replaces
  // The province's merger whose batch this request was filed in (`cksctl merger apply` of an
  // announced merger); empty for any other request, and from agents before it was sent.
  std::string merger_id;
};

struct RequestCancelled {
  std::string request_id;
  TimePoint at{};
  std::string reason;
};

// {"request": {…}}: state "submitted", the form the request's kind is filed on (null when it
// has none), null for what does not apply; "merger_id" only when the request has one.
[[nodiscard]] std::string encodeBody(const RequestFiled& filed);
// {"request_id", "at", "reason"}.
[[nodiscard]] std::string encodeBody(const RequestCancelled& cancelled);

// Reads {"request": {…}} from an entry's body; `path` names the body in messages
// ("entries[3].body"). Wire names must be those of core/request.h, the form must be the one
// the request's kind (and subscriber) is filed on, and each kind must carry its subject: a
// fingerprint (64 lowercase hex digits) for renewal, change and revocation, a token serial for a
// recovery, a change case, a revocation reason, a subscriber kind for a new certificate. An
// absent or null merger_id (older agents) reads as none.
[[nodiscard]] Result<RequestFiled> readRequestFiled(const Poco::JSON::Object::Ptr& body,
                                                    const std::string& path);

// Reads {"request_id", "at", "reason"} from a request_cancelled entry's body.
[[nodiscard]] Result<RequestCancelled> readRequestCancelled(const Poco::JSON::Object::Ptr& body,
                                                            const std::string& path);

}  // namespace cks::sync
