// `merger publish`: a merger of units told to their agents; `merger list`: the mergers published
// and each unit's batch as it arrived (hub/province/merger_service.h).
#include <sstream>

#include "core/labels.h"
#include "hub/admin/admin_session.h"
#include "hub/province/merger_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// `merger publish --into CODE --name NAME --from CODE[=NAME],… [--keep FP] [--decision TEXT]`:
// each agent told plans its batch from its own inventory with `cksctl merger plan`.
int publishMerger(AdminSession& session, const AdminArgs& args) {
  const auto into = args.value("--into");
  const auto name = args.value("--name");
  const auto from = args.value("--from");
  if (!into || !name || !from) return session.usageError(session.text("merger.usage"));
  MergerNotice notice;
  notice.into = {*into, *name};
  notice.keep = args.value("--keep").value_or("");
  notice.decision = args.value("--decision").value_or("");
  std::stringstream list(*from);
  for (std::string part; std::getline(list, part, ',');) {
    const auto equals = part.find('=');
    notice.from.push_back({trimmed(part.substr(0, equals)),
                           equals == std::string::npos ? "" : trimmed(part.substr(equals + 1))});
  }
  auto published = MergerService(session.province()).publish(notice);
  if (!published) return session.failed(published.error());
  if (args.flag("--json")) return session.printJson(mergerJson(*published));
  std::string units;
  for (const auto& unit : published->merger.from) {
    units += (units.empty() ? "" : ", ") + unit.name;
  }
  session.out << session.text("merger.published", {units, published->merger.into.name,
                                                   std::to_string(published->agents)})
              << '\n'
              << published->merger.id << '\n';
  return 0;
}

// A unit's batch in words: "none yet", or its requests by kind and state.
std::string batchText(const AdminSession& session, const std::optional<MergerBatch>& batch) {
  if (!batch) return session.text("merger.no_batch");
  std::string shown;
  for (const BatchCount& count : batch->counts) {
    shown += (shown.empty() ? "" : "; ") + std::to_string(count.count) + " " +
             label(count.kind, session.language) + " (" + label(count.state, session.language) +
             ")";
  }
  return shown;
}

// `merger list [--json]`: every merger published, the latest first, each with a table of its
// units: merged or new, and the batch its agency filed (docs/hub.md).
int listMergers(AdminSession& session, const AdminArgs& args) {
  auto list = MergerService(session.province()).list();
  if (!list) return session.failed(list.error());
  if (args.flag("--json")) return session.printJson(arrayOf(*list, mergerProgressJson));
  if (list->empty()) {
    session.out << session.text("merger.none") << '\n';
    return 0;
  }
  for (const MergerProgress& progress : *list) {
    const Merger& merger = progress.kept.merger;
    session.out << session.text("merger.title", {merger.into.name, merger.into.code,
                                                 session.shownTime(progress.kept.published_at),
                                                 progress.kept.published_by, merger.id})
                << '\n';
    std::vector<std::vector<std::string>> rows = {
        {session.text("col.code"), session.text("col.name"), session.text("col.role"),
         session.text("col.batch"), session.text("col.arrived")}};
    for (const MergerUnitProgress& unit : progress.units) {
      const std::string role = unit.formed   ? session.text("merger.role.new")
                               : unit.merged ? session.text("merger.role.merged")
                                             : session.text("merger.role.other");
      rows.push_back({unit.unit.code, unit.unit.name, role, batchText(session, unit.batch),
                      unit.batch && unit.batch->arrived_at
                          ? session.shownTime(*unit.batch->arrived_at)
                          : std::string()});
    }
    session.out << session.renderTable(rows, {1, 3}) << '\n';
  }
  return 0;
}

// `merger publish …` | `merger list [--json]`.
int merger(AdminSession& session, const AdminArgs& args) {
  if (args.operands.size() == 1 && args.operands[0] == "publish") {
    return publishMerger(session, args);
  }
  if (args.operands.size() == 1 && args.operands[0] == "list") return listMergers(session, args);
  return session.usageError(session.text("merger.usage"));
}

}  // namespace

std::vector<AdminCommand> mergerCommands() { return {{"merger", {}, true, true, merger}}; }

}  // namespace cks::hub
