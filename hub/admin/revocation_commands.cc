// `revocation`: the CAs' revocation lists the hub fetches (hub/province/revocation_service.h).
#include <Poco/Logger.h>

#include "common/log_settings.h"
#include "hub/admin/admin_session.h"
#include "hub/province/revocation_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

std::string shownOrDash(const AdminSession& session, const std::optional<TimePoint>& at) {
  return at ? session.shownTime(*at) : "-";
}

// The outcome as tables show it: its label, and why a list was refused.
std::string outcomeText(const AdminSession& session, const CrlSourceRecord& source) {
  if (!source.outcome) return session.text("revocation.never_fetched");
  std::string shown = session.text("revocation.outcome." + std::string(toString(*source.outcome)));
  if (!source.detail.empty()) shown += ": " + source.detail;
  return shown;
}

int printSources(AdminSession& session, const AdminArgs& args, RevocationService& service) {
  auto view = service.view();
  if (!view) return session.failed(view.error());
  if (args.flag("--json")) {
    return session.printJson(arrayOf(view->sources, revocationSourceJson));
  }
  if (view->sources.empty()) {
    session.out << session.text(session.config.revocation.enabled() ? "revocation.none"
                                                                    : "revocation.not_configured")
                << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {session.text("revocation.col.source"), session.text("revocation.col.issuer"),
       session.text("revocation.col.this_update"), session.text("revocation.col.next_update"),
       session.text("revocation.col.entries"), session.text("revocation.col.last_fetch"),
       session.text("revocation.col.outcome")}};
  for (const auto& line : view->sources) {
    const auto& held = line.held;
    rows.push_back({line.source.url, line.source.issuer.empty() ? "-" : line.source.issuer,
                    held ? session.shownTime(held->list.this_update) : "-",
                    held ? shownOrDash(session, held->list.next_update) : "-",
                    held ? std::to_string(held->entries) : "-",
                    shownOrDash(session, line.source.last_fetch),
                    outcomeText(session, line.source)});
  }
  session.out << session.text("revocation.title") << '\n'
              << session.renderTable(rows, {0, 1, 6})
              << session.text("revocation.count", {std::to_string(view->sources.size())}) << '\n';
  return 0;
}

// `revocation [--json]`: each source, the list held for its issuer and the last fetch;
// `revocation fetch [--json]`: fetches every source now, then the same.
int revocation(AdminSession& session, const AdminArgs& args) {
  const bool fetch = args.operands.size() == 1 && args.operands[0] == "fetch";
  if (!args.operands.empty() && !fetch) {
    return session.usageError(session.text("revocation.usage"));
  }
  // The fetch's lines go where the running hub writes its own.
  Poco::Logger& log = Poco::Logger::get("cks-hub");
  log.setChannel(common::makeLogChannel(session.config.log));
  log.setLevel(session.config.log.level);
  auto service =
      RevocationService::open(session.store().revocations(), session.config, session.clock, log);
  if (!service) return session.failed(service.error());
  if (fetch) {
    if (!session.config.revocation.enabled()) {
      return session.usageError(session.text("revocation.not_configured"));
    }
    auto fetched = service->fetchAll();
    if (!fetched) return session.runtimeError(fetched.error());
  }
  return printSources(session, args, *service);
}

}  // namespace

std::vector<AdminCommand> revocationCommands() {
  return {{"revocation", {}, true, true, revocation}};
}

}  // namespace cks::hub
