// `upstream enroll|sync`, `report submit` and `server-ca`: the province hub's link to the
// national hub (hub/upstream.h; docs/report.md, "Upward to the nation") and its own CA.
#include "hub/admin/admin_session.h"
#include "hub/hub_pki.h"
#include "hub/province/report_service.h"
#include "hub/province/staff_service.h"
#include "hub/report_upward.h"
#include "hub/upstream.h"
#include "platform/host.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {
namespace {

constexpr int kExitUnreachable = exitCode(ErrorCode::Unavailable);

// The exit code of a sync that did not end well: 4 when the national hub did not answer (what
// is queued stays queued), 1 otherwise.
int syncFailure(const sync::SyncReport& report) {
  return report.outcome == sync::SyncReport::Outcome::Unreachable ? kExitUnreachable
                                                                  : exitCode(ErrorCode::Internal);
}

// The link of an enrolled province; nullopt (and the exit code in `exit_code`) otherwise.
std::unique_ptr<Upstream> enrolledLink(AdminSession& session, std::string& url, int& exit_code) {
  auto link = Upstream::open(session.config.upstream);
  if (!link) {
    exit_code = session.runtimeError(link.error());
    return nullptr;
  }
  auto linked = (*link)->link();
  if (!linked || !*linked) {
    exit_code = session.runtimeError(linked ? Error{session.text("upstream.not_enrolled")}
                                            : linked.error());
    return nullptr;
  }
  url = (*linked)->url;
  return std::move(*link);
}

// One sync with the national hub, told in one line: 0 everything acknowledged, 4 not
// reachable, 1 any other failure.
int syncUpward(AdminSession& session) {
  std::string url;
  int exit_code = 0;
  auto link = enrolledLink(session, url, exit_code);
  if (!link) return exit_code;
  const sync::SyncReport report = link->sync(session.clock);
  if (report.outcome == sync::SyncReport::Outcome::Ok) {
    session.out << session.text("upstream.synced", {url, std::to_string(report.acked),
                                                    std::to_string(report.remaining)})
                << '\n';
    return 0;
  }
  session.err << "cks-hub: "
              << session.text("upstream.sync_failed",
                              {sync::outcomeName(report.outcome), report.message})
              << '\n';
  return syncFailure(report);
}

// `upstream enroll --hub URL --code CODE --hub-ca FILE [--force]` | `upstream sync`.
int upstream(AdminSession& session, const AdminArgs& args) {
  const std::string action = args.operands.size() == 1 ? args.operands[0] : "";
  const auto hub = args.value("--hub");
  const auto code = args.value("--code");
  const auto hub_ca = args.value("--hub-ca");
  if (action == "enroll" && (!hub || !code || !hub_ca)) {
    return session.usageError(session.text("upstream.usage"));
  }
  if (action != "enroll" && action != "sync") {
    return session.usageError(session.text("upstream.usage"));
  }
  if (action == "sync") return syncUpward(session);
  auto link = Upstream::open(session.config.upstream);
  if (!link) return session.runtimeError(link.error());
  auto enrolled = (*link)->enroll(*hub, *code, *hub_ca, platform::hostName(), args.flag("--force"),
                                  session.clock);
  if (!enrolled) {
    session.err << "cks-hub: " << session.text("upstream.enroll_failed", {enrolled.error().message})
                << '\n';
    return enrolled.error().kind == sync::EnrollmentError::Kind::Unreachable
               ? kExitUnreachable
               : exitCode(ErrorCode::Internal);
  }
  session.out << session.text("upstream.enrolled", {enrolled->url, enrolled->province_code,
                                                    enrolled->province_name, enrolled->agent_id})
              << '\n';
  return 0;
}

// `server-ca`: the CA that signs the hub's server certificate, as PEM.
int serverCa(AdminSession& session, const AdminArgs&) {
  const HubConfig& config = session.config;
  auto pki = HubPki::open(config.tls_dir, config.server_names, config.organization, session.clock);
  if (!pki) return session.runtimeError(pki.error());
  session.out << (*pki)->serverCaPem();
  return 0;
}

}  // namespace

int submitUpward(AdminSession& session, int year) {
  auto queued = queueReportUpward(session.config.upstream, session.province(), year);
  if (!queued) {
    // Not enrolled, or the link's folder unusable: the hub's own state, as before.
    if (queued.error().code == ErrorCode::InvalidArgument) return session.failed(queued.error());
    return session.runtimeError(queued.error());
  }
  const sync::SyncReport report = queued->link->sync(session.clock);
  if (report.outcome != sync::SyncReport::Outcome::Ok) {
    session.err << "cks-hub: "
                << session.text(
                       "report.submit.queued",
                       {std::to_string(year), std::to_string(queued->version), report.message})
                << '\n';
    return syncFailure(report);
  }
  session.out << session.text("report.submit.sent",
                              {std::to_string(year), std::to_string(queued->version),
                               std::to_string(queued->province.agencies_reported),
                               std::to_string(queued->province.agencies_expected), queued->url})
              << '\n';
  return 0;
}

std::vector<AdminCommand> upstreamCommands() {
  return {{"server-ca", {}, false, false, serverCa}, {"upstream", {}, true, false, upstream}};
}

}  // namespace cks::hub
