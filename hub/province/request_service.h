// The province's request desk: the agencies' requests, soonest due first, and the steps the
// province takes on them (accept, forward to the provider, complete, reject). Typed in, typed
// out (province_context.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

struct RequestLine {
  HubRequest held;
  bool overdue = false;  // open, and the end of its due day has passed
};

struct RequestList {
  std::optional<Agency> agency;  // nullopt: province-wide
  std::vector<RequestLine> requests;
  size_t overdue = 0;
};

struct RequestStep {
  std::string id;  // whole, or a unique prefix of at least 8 characters as lists show it
  RequestState to = RequestState::InProgress;
  std::string by;
  std::string reason;  // a rejection must give one
  std::string reference;
};

struct RequestMoved {
  std::string id;  // whole
  RequestState to{};
  std::string by;
  TimePoint at{};
};

class RequestService {
 public:
  explicit RequestService(ProvinceContext context) : context_(context) {}

  // Whether a request is overdue at `now`: open, and the end of its due day has passed.
  [[nodiscard]] static bool overdue(const HubRequest& request, TimePoint now);

  // The requests of every agency or of one (AgencyService::known's errors), in `state` or any.
  [[nodiscard]] Result<RequestList> list(std::optional<RequestState> state,
                                         const std::optional<std::string>& agency_code) const;
  // One page of the requests `filter` names, soonest due first (the console's inbox).
  [[nodiscard]] Result<Page<RequestLine>> page(const RequestFilter& filter) const;
  // The request whose whole id is `id`, with its history. NotFound.
  [[nodiscard]] Result<RequestLine> request(const std::string& id) const;
  // Whom the request is for, as the inbox shows it: the name the agency filed (a new
  // certificate's person, organisation or device) or, for a request about a certificate, the
  // common name of that certificate as the agency's agents reported it; "" when neither is known.
  [[nodiscard]] Result<std::string> holder(const HubRequest& held) const;
  // Takes `step`, journalled and told to the agency. InvalidArgument: a rejection without a
  // reason, or a prefix that names several requests; NotFound: no such request;
  // FailedPrecondition: the request's state refuses the step (the message says why).
  [[nodiscard]] Result<RequestMoved> move(const RequestStep& step) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
