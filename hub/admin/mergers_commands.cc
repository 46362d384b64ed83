// `merger publish`: a merger of units told to their agents (hub/province/merger_service.h).
#include <sstream>

#include "hub/admin/admin_session.h"
#include "hub/province/merger_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// `merger publish --into CODE --name NAME --from CODE[=NAME],… [--keep FP] [--decision TEXT]`:
// each agent told plans its batch from its own inventory with `cksctl merger plan`.
int publishMerger(AdminSession& session, const AdminArgs& args) {
  if (args.operands.size() != 1 || args.operands[0] != "publish") {
    return session.usageError(session.text("merger.usage"));
  }
  MergerNotice notice;
  notice.into = {*args.value("--into"), *args.value("--name")};
  notice.keep = args.value("--keep").value_or("");
  notice.decision = args.value("--decision").value_or("");
  std::stringstream list(*args.value("--from"));
  for (std::string part; std::getline(list, part, ',');) {
    const auto equals = part.find('=');
    notice.from.push_back({trimmed(part.substr(0, equals)),
                           equals == std::string::npos ? "" : trimmed(part.substr(equals + 1))});
  }
  auto published = MergerService(session.province()).publish(notice);
  if (!published) return session.failed(published.error());
  if (args.flag("--json")) return session.printJson(mergerJson(*published));
  std::string from;
  for (const auto& unit : published->merger.from) from += (from.empty() ? "" : ", ") + unit.name;
  session.out << session.text("merger.published", {from, published->merger.into.name,
                                                   std::to_string(published->agents)})
              << '\n'
              << published->merger.id << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> mergerCommands() {
  return {{"merger", {"--into", "--name", "--from"}, true, true, publishMerger}};
}

}  // namespace cks::hub
