// `requests`, `request`: the province's request desk (hub/province/request_service.h).
#include <map>

#include "core/labels.h"
#include "core/time_format.h"
#include "hub/admin/admin_session.h"
#include "hub/province/request_service.h"
#include "hub/province/view_json.h"
#include "platform/host.h"

namespace cks::hub {
namespace {

// `requests [--state S] [--agency CODE] [--json]`: the province's inbox, soonest due first.
int requests(AdminSession& session, const AdminArgs& args) {
  std::optional<RequestState> state;
  if (const auto typed = args.value("--state")) {
    RequestState parsed{};
    if (!parseRequestState(*typed, parsed)) {
      std::string known;
      for (const auto s : allRequestStates()) {
        known += (known.empty() ? "" : ", ") + std::string(toString(s));
      }
      return session.usageError(session.text("requests.bad_state", {*typed, known}));
    }
    state = parsed;
  }
  auto view = RequestService(session.province()).list(state, args.value("--agency"));
  if (!view) return session.failed(view.error());
  if (args.flag("--json")) return session.printJson(arrayOf(view->requests, requestJson));
  if (view->requests.empty()) {
    session.out << session.text("requests.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("requests.col.id"), session.text("col.agency"), session.text("col.kind"),
       session.text("requests.col.form"), session.text("col.status"),
       session.text("requests.col.received"), session.text("requests.col.due"),
       session.text("requests.col.handled_by")}};
  for (const auto& line : view->requests) {
    const HubRequest& h = line.held;
    const Request& r = h.request;
    std::string due = h.due_date ? formatVietnameseDate(TimePoint(*h.due_date)) : "";
    if (line.overdue) due += " " + session.text("requests.overdue");
    std::string shown_state = label(r.state, session.language);
    if (r.state == RequestState::Rejected && !r.reason.empty()) shown_state += ": " + r.reason;
    rows.push_back({session.shownId(r.id), h.agency_code, label(r.kind, session.language),
                    std::string(toString(h.form)), shown_state,
                    r.received_at ? session.shownDate(*r.received_at) : "", due,
                    label(r.handled_by, session.language)});
  }
  const auto& agency = view->agency;
  session.out << (agency ? session.text("requests.title_agency", {agency->name, agency->code})
                         : session.text("requests.title"))
              << '\n'
              << session.renderTable(rows, {4}, {0})
              << session.text("requests.count", {std::to_string(view->requests.size()),
                                                 std::to_string(view->overdue)})
              << '\n';
  return 0;
}

// `request accept|forward|complete|reject ID [--reason …] [--reference …] [--by NAME]`.
int requestStep(AdminSession& session, const AdminArgs& args) {
  static const std::map<std::string, RequestState> kSteps = {
      {"accept", RequestState::InProgress},
      {"forward", RequestState::ForwardedToProvider},
      {"complete", RequestState::Completed},
      {"reject", RequestState::Rejected}};
  if (args.operands.size() != 2) return session.usageError(session.text("requests.step_usage"));
  const auto step = kSteps.find(args.operands[0]);
  if (step == kSteps.end()) {
    return session.usageError(session.text("requests.bad_action", {args.operands[0]}));
  }
  // The journal names an admin who did not say --by after the OS user running the command.
  std::string by = args.value("--by").value_or("");
  if (by.empty()) by = platform::userName().value_or("uid " + platform::userId());
  auto moved = RequestService(session.province())
                   .move({args.operands[1], step->second, by, args.value("--reason").value_or(""),
                          args.value("--reference").value_or("")});
  if (!moved) {
    // A step the request's state refuses is the admin's mistake, as a bad argument is.
    if (moved.error().code == ErrorCode::FailedPrecondition) {
      return session.usageError(moved.error().message);
    }
    return session.failed(moved.error());
  }
  session.out << session.text("requests.moved", {moved->id, label(moved->to, session.language),
                                                 moved->by, session.shownTime(moved->at)})
              << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> requestCommands() {
  return {{"requests", {}, false, true, requests}, {"request", {}, true, true, requestStep}};
}

}  // namespace cks::hub
