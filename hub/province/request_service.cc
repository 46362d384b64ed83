#include "hub/province/request_service.h"

#include "core/prefix_match.h"
#include "core/working_days.h"
#include "hub/province/agency_service.h"
#include "hub/province/staff_service.h"

namespace cks::hub {

bool RequestService::overdue(const HubRequest& h, TimePoint now) {
  if (isTerminal(h.request.state) || !h.due_date) return false;
  return Deadline{*h.due_date, vietnamMidnight(*h.due_date + std::chrono::days(1))}.overdue(now);
}

Result<RequestList> RequestService::list(std::optional<RequestState> state,
                                         const std::optional<std::string>& agency_code) const {
  auto agency = AgencyService(context_).knownIfGiven(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto requests = everyPage<HubRequest>([&](const std::string& cursor) {
    return context_.requests.requests({*agency ? (*agency)->code : "", state, "", {0, cursor}});
  });
  if (!requests) return tl::unexpected(requests.error());
  const TimePoint now = context_.clock.now();
  RequestList view{*agency, {}, 0};
  for (auto& held : *requests) {
    const bool late = overdue(held, now);
    if (late) ++view.overdue;
    view.requests.push_back({std::move(held), late});
  }
  return view;
}

Result<Page<RequestLine>> RequestService::page(const RequestFilter& filter) const {
  auto requests = context_.requests.requests(filter);
  if (!requests) return tl::unexpected(requests.error());
  const TimePoint now = context_.clock.now();
  Page<RequestLine> page{{}, std::move(requests->next_cursor)};
  for (auto& held : requests->items) {
    const bool late = overdue(held, now);
    page.items.push_back({std::move(held), late});
  }
  return page;
}

Result<std::string> RequestService::holder(const HubRequest& held) const {
  const Request& request = held.request;
  for (const char* field : {"full_name", "organization_name", "device_name"}) {
    const auto named = request.fields.find(field);
    if (named != request.fields.end() && !named->second.empty()) return named->second;
  }
  if (request.fingerprint_sha256.empty()) return std::string();
  // The agency's own certificates only: another agency's copy is not this request's.
  return context_.views.certificateName(held.agency_code, request.fingerprint_sha256);
}

Result<RequestLine> RequestService::request(const std::string& id) const {
  auto found = page({"", std::nullopt, id, {1, ""}});
  if (!found) return tl::unexpected(found.error());
  if (found->items.empty() || id.empty()) {
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "requests.unknown", {id}));
  }
  return std::move(found->items.front());
}

Result<RequestMoved> RequestService::move(const RequestStep& step) const {
  // A rejection needs a reason (the store leaves that to its callers).
  if (step.to == RequestState::Rejected &&
      step.reason.find_first_not_of(" \t") == std::string::npos) {
    return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "requests.reason_required"));
  }
  const TimePoint now = context_.clock.now();
  auto all = everyPage<HubRequest>([&](const std::string& cursor) {
    return context_.requests.requests({"", std::nullopt, "", {0, cursor}});
  });
  if (!all) return tl::unexpected(all.error());
  std::vector<std::string> ids;
  for (const auto& h : *all) ids.push_back(h.request.id);
  const PrefixMatch match = matchRequestId(step.id, ids);
  if (match.outcome == PrefixMatch::Outcome::Ambiguous) {
    std::string candidates;
    for (const auto& id : match.candidates) candidates += "\n  " + id;
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "requests.ambiguous", {step.id, candidates}));
  }
  const std::string id = match.outcome == PrefixMatch::Outcome::Found ? match.found : step.id;
  auto outcome =
      context_.requests.transitionRequest({id, step.to, now, step.by, step.reason, step.reference});
  if (!outcome) return tl::unexpected(outcome.error());
  switch (outcome->kind) {
    case TransitionOutcome::Kind::Unknown:
      return tl::unexpected(context_.refusal(ErrorCode::NotFound, "requests.unknown", {step.id}));
    case TransitionOutcome::Kind::Refused:
      return tl::unexpected(
          Error{outcome->refusal->text(context_.language), ErrorCode::FailedPrecondition});
    case TransitionOutcome::Kind::Done:
      break;
  }
  std::string detail = std::string(toString(step.to));
  for (const auto& h : *all) {
    if (h.request.id == id) detail = std::string(toString(h.request.state)) + " → " + detail;
  }
  if (!step.reason.empty()) detail += ": " + step.reason;
  CKS_TRY(StaffService(context_).record("request.transition", outcome->request->agency_code, id,
                                        detail));
  return RequestMoved{id, step.to, step.by, now};
}

}  // namespace cks::hub
