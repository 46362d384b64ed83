// `alerts`: the agencies' alerts as the province sees them (hub/province/alert_service.h).
#include "core/labels.h"
#include "hub/admin/admin_session.h"
#include "hub/province/alert_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// The state as tables show it: "snoozed until dd/mm/yyyy", or the state with a resolution.
std::string stateText(const AdminSession& session, const AlertLine& line) {
  const AlertChange& alert = line.held.alert;
  if (line.state == AlertState::Snoozed && alert.snoozed_until) {
    return session.text("alerts.state.snoozed_until", {session.shownDate(*alert.snoozed_until)});
  }
  // Severities and states read the same at the agency and the province (shared keys).
  std::string shown = label(line.state, session.language);
  if (line.state == AlertState::Resolved && alert.resolution && !alert.resolution->empty()) {
    // A word only a newer agent knows is shown as it came.
    const std::string& word = *alert.resolution;
    const bool known =
        word == "renewed" || word == "superseded" || word == "cleared" || word == "deadline_passed";
    shown += " (" + (known ? session.text("alerts.resolution." + word) : word) + ")";
  }
  return shown;
}

// `alerts [--agency CODE] [--all] [--json]`: open, acknowledged and snoozed alerts (--all:
// resolved ones too), worst first.
int alerts(AdminSession& session, const AdminArgs& args) {
  const bool all = args.flag("--all");
  auto view = AlertService(session.province()).list(args.value("--agency"), all);
  if (!view) return session.failed(view.error());
  if (args.flag("--json")) {
    return session.printJson(arrayOf(view->alerts, [&](const AlertLine& line) {
      return alertJson(line, session.language, view->at);
    }));
  }
  if (view->alerts.empty()) {
    session.out << session.text(all ? "alerts.none_all" : "alerts.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("alerts.col.severity"), session.text("col.agency"),
       session.text("alerts.col.message"), session.text("col.status"),
       session.text("alerts.col.raised"), session.text("col.host")}};
  for (const auto& line : view->alerts) {
    const AlertChange& a = line.held.alert;
    rows.push_back({label(a.severity, session.language), line.held.agency_code,
                    alertMessage(session.language, a.text(), view->at), stateText(session, line),
                    session.shownTime(a.raised_at), line.host});
  }
  const auto& agency = view->agency;
  session.out << (agency ? session.text("alerts.title_agency", {agency->name, agency->code})
                         : session.text("alerts.title"))
              << '\n'
              << session.renderTable(rows, {2})
              << session.text("alerts.count", {std::to_string(view->alerts.size())}) << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> alertCommands() { return {{"alerts", {}, false, true, alerts}}; }

}  // namespace cks::hub
