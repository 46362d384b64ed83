// The store's request desk: the agencies' requests with their journal, and the steps the
// province takes on them. Thread-safe.
#pragma once

#include <vector>

#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

class RequestDesk {
 public:
  explicit RequestDesk(ConnectionPool& pool) : pool_(pool) {}

  // One page of the requests `filter` names, with their journals: the soonest due first (those
  // without a due date last), then received, created and id.
  [[nodiscard]] Result<Page<HubRequest>> requests(const RequestFilter& filter);
  // The requests in a state that is not terminal (core/request.h isTerminal), counted by state
  // and due date.
  [[nodiscard]] Result<std::vector<OpenRequestCount>> openRequests();
  // Moves a request as `step` says when checkTransition allows it (a rejection needs a reason:
  // hub/province/request_service.h checks), journals who and when, and queues a request_status
  // feed item for the agent that filed it, all in one transaction. Unknown: no request with that
  // id.
  [[nodiscard]] Result<TransitionOutcome> transitionRequest(const RequestTransition& step);

 private:
  ConnectionPool& pool_;
};

}  // namespace cks::hub
